import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import type { Campaign, CheckResult, DecisionRecord, EvidenceDocument, Reason } from '../api/types.js'
import { Badge, Card, ErrorNotice, Skeleton } from '../components/status.js'
import { useLoad } from '../components/use-load.js'
import { instant, plural, utcInput } from '../format.js'
import { useSession } from '../session.js'

type Kind = 'consent' | 'revocation' | 'dnc' | 'reassigned' | 'call' | 'decision'
interface Entry {
  readonly kind: Kind
  readonly at: string
  readonly id: string
  readonly body: ReactNode
}

const KIND_LABEL: Record<Kind, string> = { consent: 'Consent', revocation: 'Revocation', dnc: 'Do-not-call', reassigned: 'Reassigned check', call: 'Call', decision: 'Decision' }
/** Decisions shown before "Show all" (every other record is always shown). */
const FIRST_DECISIONS = 25

/**
 * One number's timeline from `POST /v1/evidence` (the read is audited): consents and revocations
 * with their evidence and exact disclosure text, do-not-call requests, reassigned-number results,
 * calls, and every decision with each reason and its citation. A check for a campaign now, a
 * do-not-call request, and the signed evidence package.
 */
export function Lookup(): ReactNode {
  const { api } = useSession()
  const [phone, setPhone] = useState('')
  const [query, setQuery] = useState<{ phone: string; n: number } | null>(null)
  const campaigns = useLoad(() => api.get<{ campaigns: Campaign[] }>('/v1/campaigns'), [api])
  const evidence = useLoad(() => (query ? api.post<EvidenceDocument>('/v1/evidence', { phone: query.phone }) : Promise.resolve(null)), [api, query])
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (phone.trim() !== '') setQuery((q) => ({ phone: phone.trim(), n: (q?.n ?? 0) + 1 }))
  }
  const doc = evidence.data
  const refresh = (): void => evidence.reload()
  return (
    <div className="stack">
      <form className="inline-form" onSubmit={submit} role="search" aria-label="Look up a number">
        <label htmlFor="lookup-phone">Phone number</label>
        <input id="lookup-phone" name="phone" type="tel" inputMode="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+1 305 200 0002" />
        <button type="submit">Look up</button>
        <span className="help">Any spelling: E.164, national, with punctuation. The number is sent in the request body, never in the address bar; the read is audited.</span>
      </form>
      {query === null ? (
        <p className="muted">Enter a number to see everything Dialward holds about it, in time order.</p>
      ) : (
        <div aria-live="polite" aria-busy={evidence.status === 'loading'}>
          {evidence.status === 'error' ? <ErrorNotice error={evidence.error} /> : null}
          {doc === null && evidence.status === 'loading' ? <Skeleton rows={6} label="Looking the number up…" /> : null}
          {doc ? (
            <>
              <Summary doc={doc} />
              <div className="grid">
                <CheckPanel phone={doc.query.phone} campaigns={campaigns.data?.campaigns ?? []} />
                <DncPanel phone={doc.query.phone} campaigns={campaigns.data?.campaigns ?? []} onRecorded={refresh} />
              </div>
              <Timeline doc={doc} />
            </>
          ) : null}
        </div>
      )}
    </div>
  )
}

function Summary({ doc }: { doc: EvidenceDocument }): ReactNode {
  const { api } = useSession()
  const [state, setState] = useState<{ busy: boolean; error: unknown; done: string | null }>({ busy: false, error: null, done: null })
  const download = async (): Promise<void> => {
    setState({ busy: true, error: null, done: null })
    try {
      const { blob, sha256 } = await api.download('/v1/evidence/package', { phone: doc.query.phone })
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = `evidence-${doc.query.phone.replace(/\D/g, '')}.zip`
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      setState({ busy: false, error: null, done: `Downloaded ${a.download} (${plural(blob.size, 'byte')}, SHA-256 ${sha256 ?? 'not given'}). It verifies offline: see docs/guides/evidence.md.` })
    } catch (error) {
      setState({ busy: false, error, done: null })
    }
  }
  const latest = latestPerCampaign(doc.decisions)
  return (
    <Card
      title={doc.query.phone}
      id="lookup-summary"
      wide
      actions={
        <button type="button" onClick={() => void download()} disabled={state.busy}>
          {state.busy ? 'Preparing the package…' : 'Download evidence package'}
        </button>
      }
    >
      <p className="card-sub">
        {plural(doc.consentEvents.length, 'consent event')}, {plural(doc.dncEntries.length, 'do-not-call request')}, {plural(doc.reassignedChecks.length, 'reassigned check')}, {plural(doc.calls.length, 'call')},{' '}
        {plural(doc.decisions.length, 'decision')}. Subject (blind index) <code>{doc.subject ?? 'none stored'}</code>.
      </p>
      {state.error ? <ErrorNotice error={state.error} /> : null}
      {state.done ? <p className="notice" role="status">{state.done}</p> : null}
      {latest.length > 0 ? (
        <table className="compact">
          <caption>Latest decision per campaign</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Checked for</th>
              <th scope="col">Verdict</th>
              <th scope="col">Reasons</th>
              <th scope="col">Allowed again at</th>
            </tr>
          </thead>
          <tbody>
            {latest.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.campaign}</th>
                <td>{instant(d.at)}</td>
                <td>
                  <Verdict verdict={d.verdict} />
                </td>
                <td>{d.reasons.length === 0 ? '—' : [...new Set(d.reasons.map((r) => r.code))].join(', ')}</td>
                <td>{d.verdict === 'block' ? (d.nextAllowedAt ? instant(d.nextAllowedAt) : 'not by waiting') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  )
}

function latestPerCampaign(decisions: readonly DecisionRecord[]): DecisionRecord[] {
  const by = new Map<string, DecisionRecord>()
  for (const d of decisions) {
    const cur = by.get(d.campaign)
    if (!cur || Date.parse(d.at) > Date.parse(cur.at) || (d.at === cur.at && Date.parse(d.decidedAt) > Date.parse(cur.decidedAt))) by.set(d.campaign, d)
  }
  return [...by.values()].sort((a, b) => a.campaign.localeCompare(b.campaign))
}

function Verdict({ verdict }: { verdict: 'allow' | 'block' }): ReactNode {
  return verdict === 'allow' ? <Badge tone="good">ALLOW</Badge> : <Badge tone="bad">BLOCK</Badge>
}

function Reasons({ reasons }: { reasons: readonly Reason[] }): ReactNode {
  if (reasons.length === 0) return null
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={i}>
          <code className="reason-code">{r.code}</code> {r.message}
          <span className="citation">{r.rule}</span>
        </li>
      ))}
    </ul>
  )
}

function CheckPanel({ phone, campaigns }: { phone: string; campaigns: readonly Campaign[] }): ReactNode {
  const { api } = useSession()
  const [campaign, setCampaign] = useState('')
  const [at, setAt] = useState('')
  const [state, setState] = useState<{ busy: boolean; result: CheckResult | null; error: unknown }>({ busy: false, result: null, error: null })
  const chosen = campaign || campaigns[0]?.id || ''
  const run = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setState((s) => ({ ...s, busy: true, error: null }))
    try {
      const result = await api.post<CheckResult>('/v1/check', { campaign: chosen, phone, ...(utcInput(at) ? { at: utcInput(at) } : {}) })
      setState({ busy: false, result, error: null })
    } catch (error) {
      setState({ busy: false, result: null, error })
    }
  }
  return (
    <Card title="Check now" id="check" busy={state.busy}>
      <form className="form-grid" onSubmit={(e) => void run(e)}>
        <label htmlFor="check-campaign">Campaign</label>
        <select id="check-campaign" value={chosen} onChange={(e) => setCampaign(e.target.value)}>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.id} ({c.seller}, {c.purpose}, {c.dialing})
            </option>
          ))}
        </select>
        <label htmlFor="check-at">At (UTC, optional)</label>
        <input id="check-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-describedby="check-at-help" />
        <span id="check-at-help" className="help span2">
          Empty: now. The check is the dialer&apos;s pre-dial check (admin and dialer keys) and is logged like any other.
        </span>
        <button type="submit" disabled={state.busy || chosen === ''} className="span2">
          {state.busy ? 'Checking…' : 'Check'}
        </button>
      </form>
      <div className="check-result" aria-live="polite">
        {state.error ? <ErrorNotice error={state.error} /> : null}
        {state.result ? (
          <div data-testid="check-result">
            <p>
              <Verdict verdict={state.result.verdict} /> for <strong>{chosen}</strong>
              {state.result.verdict === 'block' ? (
                <> · {state.result.nextAllowedAt ? <>allowed again at <strong>{instant(state.result.nextAllowedAt)}</strong></> : 'allowed again: not by waiting'}</>
              ) : null}
            </p>
            <Reasons reasons={state.result.reasons} />
          </div>
        ) : null}
      </div>
    </Card>
  )
}

function DncPanel({ phone, campaigns, onRecorded }: { phone: string; campaigns: readonly Campaign[]; onRecorded: () => void }): ReactNode {
  const { api } = useSession()
  const sellers = useMemo(() => [...new Set(campaigns.map((c) => c.seller))].sort(), [campaigns])
  const [seller, setSeller] = useState('')
  const [source, setSource] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: unknown }>({ busy: false, done: null, error: null })
  const record = async (): Promise<void> => {
    setState({ busy: true, done: null, error: null })
    try {
      const r = await api.post<{ id: string; scope: string; at: string; seller: string | null }>('/v1/dnc', { phone, ...(seller ? { seller } : {}), ...(source.trim() ? { source: source.trim() } : {}) })
      setState({ busy: false, done: `Recorded do-not-call request ${r.id} for ${r.seller ?? 'every seller'} at ${instant(r.at)}.`, error: null })
      setConfirming(false)
      onRecorded()
    } catch (error) {
      setState({ busy: false, done: null, error })
      setConfirming(false)
    }
  }
  return (
    <Card title="Record a do-not-call request" id="dnc" busy={state.busy}>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault()
          setConfirming(true)
        }}
      >
        <label htmlFor="dnc-seller">Seller</label>
        <select id="dnc-seller" value={seller} onChange={(e) => setSeller(e.target.value)}>
          <option value="">Every seller</option>
          {sellers.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="dnc-source">How it was made</label>
        <input id="dnc-source" type="text" value={source} onChange={(e) => setSource(e.target.value)} placeholder="letter of 2026-11-30; agent note…" maxLength={4000} />
        {confirming ? (
          <div className="confirm span2" role="group" aria-label="Confirm the do-not-call request">
            <span>
              Record that {phone} asked not to be called by {seller || 'any seller'}? It is honored at once and for at least 5 years.
            </span>
            <button type="button" className="danger" onClick={() => void record()} disabled={state.busy} autoFocus>
              Record it
            </button>
            <button type="button" className="quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="submit" className="span2">
            Add do-not-call request
          </button>
        )}
      </form>
      <div aria-live="polite">
        {state.error ? <ErrorNotice error={state.error} /> : null}
        {state.done ? (
          <p className="notice notice-good" role="status">
            {state.done} Check again to see the new verdict.
          </p>
        ) : null}
      </div>
    </Card>
  )
}

function Timeline({ doc }: { doc: EvidenceDocument }): ReactNode {
  const [shown, setShown] = useState<Record<Kind, boolean>>({ consent: true, revocation: true, dnc: true, reassigned: true, call: true, decision: true })
  const [all, setAll] = useState(false)
  const entries = useMemo(() => timelineOf(doc), [doc])
  const visible = entries.filter((e) => shown[e.kind])
  const decisionIds = new Set(visible.filter((e) => e.kind === 'decision').slice(0, FIRST_DECISIONS).map((e) => e.id))
  const list = all ? visible : visible.filter((e) => e.kind !== 'decision' || decisionIds.has(e.id))
  return (
    <Card title="Timeline" id="timeline" wide>
      <fieldset className="filters">
        <legend>Show</legend>
        {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
          <label key={k}>
            <input type="checkbox" checked={shown[k]} onChange={(e) => setShown((s) => ({ ...s, [k]: e.target.checked }))} /> {KIND_LABEL[k]} ({entries.filter((e) => e.kind === k).length})
          </label>
        ))}
      </fieldset>
      {list.length === 0 ? <p className="muted">Nothing recorded for this number.</p> : null}
      <ol className="timeline" aria-label="Events, newest first">
        {list.map((e) => (
          <li key={e.id} className={`tl tl-${e.kind}`} data-kind={e.kind}>
            <div className="tl-when">
              <time dateTime={e.at}>{instant(e.at)}</time>
              <span className="tl-kind">{KIND_LABEL[e.kind]}</span>
            </div>
            <div className="tl-body">{e.body}</div>
          </li>
        ))}
      </ol>
      {visible.length > list.length ? (
        <button type="button" onClick={() => setAll(true)}>
          Show all {visible.filter((e) => e.kind === 'decision').length} decisions
        </button>
      ) : null}
    </Card>
  )
}

function Field({ name, value }: { name: string; value: ReactNode }): ReactNode {
  if (value === null || value === undefined || value === '') return null
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  )
}

/** Every record of the evidence document as one list, newest first. */
function timelineOf(doc: EvidenceDocument): Entry[] {
  const out: Entry[] = []
  for (const c of doc.consentEvents) {
    if (c.type === 'grant')
      out.push({
        kind: 'consent',
        at: c.at,
        id: c.id,
        body: (
          <>
            <p>
              <strong>{c.kind}</strong> consent for <strong>{c.seller}</strong> ({c.channel}){c.erased ? ' — erased' : ''}
            </p>
            <dl className="fields">
              <Field name="Source" value={c.source} />
              <Field name="IP address" value={c.ip} />
              <Field name="User agent" value={c.userAgent} />
              <Field name="TrustedForm" value={c.trustedFormCertUrl} />
              <Field name="Jornaya LeadiD" value={c.leadIdToken} />
              <Field name="Recorded" value={instant(c.recordedAt)} />
              <Field name="Audit entry" value={c.auditSeq === null ? null : `#${c.auditSeq}`} />
            </dl>
            {c.disclosure ? (
              <figure className="disclosure">
                <figcaption>
                  Disclosure shown, exactly (SHA-256 <code>{c.disclosure.sha256.slice(0, 16)}…</code>)
                </figcaption>
                <blockquote>{c.disclosure.text ?? '(erased)'}</blockquote>
              </figure>
            ) : (
              <p className="muted small">No disclosure text recorded.</p>
            )}
          </>
        ),
      })
    else
      out.push({
        kind: 'revocation',
        at: c.at,
        id: c.id,
        body: (
          <>
            <p>
              Consent revoked for <strong>{c.seller ?? 'every seller'}</strong>
              {c.via ? ` by ${c.via}` : ''} (also a do-not-call request)
            </p>
            <dl className="fields">
              <Field name="Words" value={c.words ? <q>{c.words}</q> : null} />
              <Field name="Recorded" value={instant(c.recordedAt)} />
              <Field name="Audit entry" value={c.auditSeq === null ? null : `#${c.auditSeq}`} />
            </dl>
          </>
        ),
      })
  }
  for (const d of doc.dncEntries)
    out.push({
      kind: 'dnc',
      at: d.at,
      id: d.id,
      body: (
        <>
          <p>
            Do-not-call request for <strong>{d.seller ?? 'every seller'}</strong>
            {d.erased ? ' — erased' : ''}
          </p>
          <dl className="fields">
            <Field name="Source" value={d.source} />
            <Field name="Recorded" value={instant(d.recordedAt)} />
            <Field name="Audit entry" value={d.auditSeq === null ? null : `#${d.auditSeq}`} />
          </dl>
        </>
      ),
    })
  for (const r of doc.reassignedChecks)
    out.push({
      kind: 'reassigned',
      at: r.queriedAt,
      id: r.id,
      body: (
        <p>
          Reassigned Numbers Database: <strong>{r.result === 'yes' ? 'reassigned' : r.result === 'no' ? 'not reassigned' : 'no data'}</strong> since {r.date}
          {r.result === 'yes' ? ' — consents granted on or before that date are void' : ''}
        </p>
      ),
    })
  for (const c of doc.calls)
    out.push({
      kind: 'call',
      at: c.at,
      id: c.id,
      body: (
        <p>
          Call for <strong>{c.campaign}</strong>: {c.outcome}
          {c.durationSeconds ? `, ${c.durationSeconds} s` : ''}
        </p>
      ),
    })
  for (const d of doc.decisions)
    out.push({
      kind: 'decision',
      at: d.at,
      id: d.id,
      body: (
        <>
          <p>
            <Verdict verdict={d.verdict} /> for <strong>{d.campaign}</strong>
            {d.verdict === 'block' ? <> · {d.nextAllowedAt ? `allowed again at ${instant(d.nextAllowedAt)}` : 'allowed again: not by waiting'}</> : null}
            <span className="muted small"> · decided {instant(d.decidedAt)}</span>
          </p>
          <Reasons reasons={d.reasons} />
        </>
      ),
    })
  return out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id.localeCompare(a.id))
}
