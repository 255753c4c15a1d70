import { useMemo, type ReactNode } from 'react'
import type { AbandonmentSeriesReport, CoverageReport, DecisionReport, Forecast, RegistryRow } from '../api/types.js'
import { Chart } from '../components/chart.js'
import { Badge, Card, ErrorNotice, Skeleton } from '../components/status.js'
import { useLoad } from '../components/use-load.js'
import { addDays, count, dateOf, instant, percent, plural } from '../format.js'
import { useSession } from '../session.js'

/** The morning page: registries, consent coverage, abandonment, decisions, purges due. */
export function Overview(): ReactNode {
  return (
    <div className="grid">
      <RegistryFreshness />
      <PurgesDue />
      <ConsentCoverage />
      <Abandonment />
      <Decisions />
    </div>
  )
}

const COUNTRY_NAME: Record<string, string> = { US: 'US', CA: 'Canadian', GB: 'UK' }

function RegistryFreshness(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<{ at: string; registries: RegistryRow[] }>('/v1/registries/status'), [api])
  const rows = load.data?.registries ?? []
  const stale = new Set(rows.filter((r) => r.state === 'stale').map((r) => r.registry)).size
  return (
    <Card title="Registry freshness" id="registries" busy={load.status === 'loading'} wide reserve={330}>
      <p className="card-sub">
        Each registry must be scrubbed against a version no older than 31 days (US, Canada) or 28 days (UK) before the call; an older one blocks marketing calls with <code>REGISTRY_STALE</code>.
      </p>
      <p className="summary-line">
        {load.data ? (stale > 0 ? <strong className="text-bad">{plural(stale, 'registry', 'registries')} stale today.</strong> : <span className="text-good">Every imported registry is fresh today.</span>) : null}
      </p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {load.data === null ? (
        load.status === 'loading' ? <Skeleton rows={4} /> : null
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Registry</th>
              <th scope="col">Area codes</th>
              <th scope="col">Version as of</th>
              <th scope="col" className="num">Age</th>
              <th scope="col" className="num">Numbers</th>
              <th scope="col">Today</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.registry} ${r.areaCodes}`} className={r.state === 'stale' ? 'row-bad' : undefined} data-registry={r.registry} data-state={r.state}>
                <th scope="row">{r.registry}</th>
                <td>{r.areaCodes === 'all' ? 'all (whole registry)' : r.areaCodes}</td>
                <td>{r.asOf ?? '—'}</td>
                <td className="num">{r.ageDays === null ? '—' : plural(r.ageDays, 'day')}</td>
                <td className="num">{r.numbers === null ? '—' : count(r.numbers)}</td>
                <td>
                  {r.state === 'stale' ? (
                    <span className="text-bad">
                      <Badge tone="bad">Stale</Badge> since {r.staleFrom} (older than {r.maxAgeDays} days)
                    </span>
                  ) : r.state === 'fresh' ? (
                    <span>
                      <Badge tone="good">Fresh</Badge> until {r.staleFrom ? dateOf(addDays(r.staleFrom, -1)) : '—'}
                    </span>
                  ) : (
                    <span>
                      <Badge tone="warn">Not imported</Badge>{' '}
                      {r.areaCodes === 'all' ? `marketing calls to ${COUNTRY_NAME[r.country] ?? r.country} numbers are blocked` : 'no version covers these area codes: marketing calls to them are blocked'}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}

function PurgesDue(): ReactNode {
  const { api, who } = useSession()
  const until = addDays(who.now, 30)
  const load = useLoad(() => api.get<Forecast>(`/v1/retention/forecast?until=${encodeURIComponent(until)}`), [api, until])
  const f = load.data
  const held = f ? Object.entries(f.held) : []
  return (
    <Card title="Purges due in the next 30 days" id="purges" busy={load.status === 'loading'} reserve={560}>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {f === null ? (
        load.status === 'loading' ? <Skeleton rows={3} /> : null
      ) : f.items.length === 0 ? (
        <p>Nothing is due for deletion before {instant(f.until)}.</p>
      ) : (
        <>
          <p className="card-sub">
            {plural(f.total, 'record')} reach the end of their retention period by {dateOf(f.until)} and will be deleted by the next purge on or after that day (with a signed receipt).
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Due</th>
                <th scope="col">Record class</th>
                <th scope="col" className="num">Records</th>
              </tr>
            </thead>
            <tbody>
              {f.items.map((i) => (
                <tr key={`${i.date}-${i.class}`}>
                  <td>{i.date}</td>
                  <td>{i.class}</td>
                  <td className="num">{count(i.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {held.length > 0 ? <p className="help">Kept by legal holds: {held.map(([c, n]) => `${plural(n, 'record')} (${c})`).join(', ')}.</p> : null}
    </Card>
  )
}

function ConsentCoverage(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<CoverageReport>('/v1/reports/consent-coverage?days=30'), [api])
  return (
    <Card title="Consent coverage per campaign" id="coverage" busy={load.status === 'loading'} reserve={560}>
      <p className="card-sub">Of the numbers each campaign checked in the last 30 days, those whose latest check found the consent the campaign needs.</p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {load.data === null ? (
        load.status === 'loading' ? <Skeleton rows={4} /> : null
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col" className="num">Numbers</th>
              <th scope="col">Covered</th>
              <th scope="col">Lacking</th>
            </tr>
          </thead>
          <tbody>
            {load.data.campaigns.map((c) => (
              <tr key={c.campaign}>
                <th scope="row" className="nowrap">
                  {c.campaign}
                  <span className="sub">
                    {c.seller}
                    <br />
                    {c.purpose}, {c.dialing}
                  </span>
                </th>
                <td className="num">{count(c.numbers)}</td>
                <td>
                  {!c.consentRequired ? (
                    <span className="muted">not required (manual dialing)</span>
                  ) : c.coveragePercent === null ? (
                    <span className="muted">no checks</span>
                  ) : (
                    <span className="meter-cell">
                      <span className="meter" aria-hidden="true">
                        <span style={{ width: `${c.coveragePercent}%` }} />
                      </span>
                      {percent(c.coveragePercent)}
                    </span>
                  )}
                </td>
                <td className="small">
                  {c.consentRequired && c.numbers > 0
                    ? [
                        c.lacking.NO_CONSENT ? `${count(c.lacking.NO_CONSENT)} no consent` : null,
                        c.lacking.CONSENT_REVOKED ? `${count(c.lacking.CONSENT_REVOKED)} revoked` : null,
                        c.lacking.REASSIGNED_NUMBER ? `${count(c.lacking.REASSIGNED_NUMBER)} reassigned` : null,
                      ]
                        .filter(Boolean)
                        .join(', ') || 'none'
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}

function Abandonment(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<AbandonmentSeriesReport>('/v1/reports/abandonment/series?days=30'), [api])
  const data = load.data
  const campaigns = data?.campaigns.filter((c) => c.dialing !== 'manual') ?? []
  const option = useMemo(() => {
    if (!data) return null
    const dates = campaigns[0]?.points.map((p) => p.date.slice(5)) ?? []
    const top = Math.max(data.limitPercent + 1, ...campaigns.flatMap((c) => c.points.map((p) => p.ratePercent)))
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 44, right: 70, top: 34, bottom: 28 },
      xAxis: { type: 'category', data: dates, axisLabel: { color: '#57606a' } },
      yAxis: { type: 'value', min: 0, max: Math.ceil(top), axisLabel: { formatter: '{value}%', color: '#57606a' } },
      series: campaigns.map((c, i) => ({
        name: c.campaign,
        type: 'line',
        symbol: ['circle', 'rect', 'triangle', 'diamond'][i % 4],
        symbolSize: 6,
        data: c.points.map((p) => p.ratePercent),
        ...(i === 0
          ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: '#b3261e', type: 'dashed', width: 2 }, label: { formatter: `${data.limitPercent}% limit`, color: '#b3261e', position: 'end' }, data: [{ yAxis: data.limitPercent }] } }
          : {}),
      })),
    }
  }, [data])
  const over = campaigns.filter((c) => c.current.overLimit)
  return (
    <Card title="Abandonment rate per campaign" id="abandonment" busy={load.status === 'loading'} wide reserve={590}>
      <p className="card-sub">
        Abandoned calls as a share of live-answered calls over the 30 days ending each day; the US limit is 3% per campaign (47 CFR 64.1200(a)(7)). A campaign over it is blocked with <code>ABANDON_RATE</code>.
      </p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {option ? (
        <Chart
          option={option}
          summary={`Line chart of the 30-day abandonment rate per campaign with the ${data!.limitPercent}% limit. Now: ${campaigns.map((c) => `${c.campaign} ${c.current.ratePercent}%`).join(', ')}.`}
        />
      ) : (
        <div className="chart-placeholder" style={{ height: 260 }}>
          {load.status === 'loading' ? <Skeleton rows={5} label="Loading the chart…" /> : null}
        </div>
      )}
      {data ? (
        <table className="compact">
          <caption>Now (the 30 days up to {instant(campaigns[0]?.current.to ?? null)})</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col" className="num">Live-answered</th>
              <th scope="col" className="num">Abandoned</th>
              <th scope="col" className="num">Rate</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.campaign} className={c.current.overLimit ? 'row-bad' : undefined}>
                <th scope="row">{c.campaign}</th>
                <td className="num">{count(c.current.liveAnswered)}</td>
                <td className="num">{count(c.current.abandoned)}</td>
                <td className="num">{percent(c.current.ratePercent)}</td>
                <td>{c.current.overLimit ? <Badge tone="bad">Over {data.limitPercent}%</Badge> : c.current.ratePercent >= data.limitPercent * 0.8 ? <Badge tone="warn">Near the limit</Badge> : <Badge tone="good">Within</Badge>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {over.length > 0 ? <p className="text-bad small">Over the limit now: {over.map((c) => c.campaign).join(', ')}.</p> : null}
    </Card>
  )
}

/** One colour per reason code (its place in REASON_ORDER), so a reason keeps its colour whichever codes occur; each at least 3:1 on white. */
const REASON_COLOURS = ['#1f5fbf', '#b3261e', '#1a7f37', '#8a5a00', '#6f42c1', '#d9480f', '#0b7285', '#c2255c', '#495057', '#5c940d', '#212529', '#a61e4d', '#364fc7', '#862e9c', '#087f5b']
const REASON_ORDER = ['NO_CONSENT', 'CONSENT_REVOKED', 'INTERNAL_DNC', 'NATIONAL_DNC', 'STATE_DNC', 'REGISTRY_STALE', 'CALLING_HOURS', 'RESTRICTED_DAY', 'FREQUENCY_CAP', 'REASSIGNED_NUMBER', 'ABANDON_RATE', 'EMERGENCY', 'DATA_STALE', 'LITIGATOR', 'INVALID_NUMBER']

function Decisions(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<DecisionReport>('/v1/reports/decisions?days=30'), [api])
  const data = load.data
  const codes = data ? REASON_ORDER.filter((c) => (data.totals.reasons[c] ?? 0) > 0) : []
  const verdicts = useMemo(() => {
    if (!data) return null
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 44, right: 16, top: 34, bottom: 28 },
      xAxis: { type: 'category', data: data.days.map((d) => d.date.slice(5)), axisLabel: { color: '#57606a' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#57606a' } },
      series: [
        { name: 'allow', type: 'bar', stack: 'v', itemStyle: { color: '#1a7f37' }, data: data.days.map((d) => d.allow) },
        { name: 'block', type: 'bar', stack: 'v', itemStyle: { color: '#b3261e' }, data: data.days.map((d) => d.block) },
      ],
    }
  }, [data])
  const reasons = useMemo(() => {
    if (!data) return null
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, itemGap: 8, itemWidth: 14, textStyle: { fontSize: 11 } },
      grid: { left: 44, right: 16, top: 20 + 20 * Math.ceil(codes.length / 4), bottom: 28 },
      xAxis: { type: 'category', data: data.days.map((d) => d.date.slice(5)), axisLabel: { color: '#57606a' } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#57606a' } },
      series: codes.map((c) => ({ name: c, type: 'bar', stack: 'r', itemStyle: { color: REASON_COLOURS[REASON_ORDER.indexOf(c)] }, data: data.days.map((d) => d.reasons[c] ?? 0) })),
    }
  }, [data])
  const total = data ? data.totals.allow + data.totals.block : 0
  return (
    <Card title="Decisions by verdict and reason" id="decisions" busy={load.status === 'loading'} wide reserve={480}>
      <p className="card-sub">Every decision the gate logged in the last 30 days, by UTC day of the instant checked. A blocked decision counts under each of its reasons.</p>
      <p className="summary-line" data-testid="decision-totals">
        {data ? `${plural(total, 'decision')}: ${count(data.totals.allow)} allowed, ${count(data.totals.block)} blocked.` : null}
      </p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      <div className="two">
        {verdicts ? (
          <Chart option={verdicts} height={300} summary={`Stacked bar chart of decisions per day: ${count(data!.totals.allow)} allowed and ${count(data!.totals.block)} blocked in 30 days.`} />
        ) : (
          <div className="chart-placeholder" style={{ height: 300 }}>
            {load.status === 'loading' ? <Skeleton rows={5} label="Loading the chart…" /> : null}
          </div>
        )}
        {reasons ? (
          <Chart option={reasons} height={300} summary={`Stacked bar chart of blocked decisions per day by reason: ${codes.map((c) => `${c} ${data!.totals.reasons[c]}`).join(', ')}.`} />
        ) : (
          <div className="chart-placeholder" style={{ height: 300 }} />
        )}
      </div>
      {data ? (
        <details>
          <summary>Blocked decisions by reason (table)</summary>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" className="num">Decisions (30 days)</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c}>
                  <th scope="row">
                    <code>{c}</code>
                  </th>
                  <td className="num">{count(data.totals.reasons[c] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </Card>
  )
}
