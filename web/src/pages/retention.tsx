import { useState, type FormEvent, type ReactNode } from 'react'
import type { Hold, PolicyView, Receipt } from '../api/types.js'
import { Badge, Card, ErrorNotice, Skeleton } from '../components/status.js'
import { useLoad } from '../components/use-load.js'
import { count, instant, utcInput } from '../format.js'
import { useSession } from '../session.js'

/** The effective retention policy, legal holds (add, release) and the receipts of purges, each verified. */
export function Retention(): ReactNode {
  return (
    <div className="stack">
      <PolicyTable />
      <Holds />
      <Receipts />
    </div>
  )
}

function PolicyTable(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<PolicyView>('/v1/retention/policy'), [api])
  const p = load.data
  return (
    <Card title="Effective retention policy" id="policy" busy={load.status === 'loading'} wide>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {p === null ? (
        load.status === 'loading' ? <Skeleton rows={6} /> : null
      ) : (
        <>
          <p className="card-sub">
            Source: <strong>{p.source === 'defaults' ? 'the built-in defaults' : p.source}</strong> · policy SHA-256 <code>{p.sha256.slice(0, 16)}…</code> (named in every receipt). A record is kept at least as long as its
            longest floor and deleted once its ceiling has passed, unless a legal hold covers it.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Record class</th>
                <th scope="col">Floor (kept at least) and its source</th>
                <th scope="col">Ceiling</th>
                <th scope="col">Clock starts</th>
                <th scope="col">Then</th>
              </tr>
            </thead>
            <tbody>
              {p.classes.map((c) => (
                <tr key={c.class}>
                  <th scope="row">
                    {c.class}
                    <span className="sub">{c.records}</span>
                  </th>
                  <td>
                    {c.floors.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <ul className="plain">
                        {c.floors.map((f, i) => (
                          <li key={i}>
                            <strong>{f.period}</strong> from {f.from}: {f.rule} <span className="citation">{f.source}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{c.ceiling ?? 'none (kept)'}</td>
                  <td>{c.trigger}</td>
                  <td>{c.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  )
}

type Scope = 'phone' | 'seller' | 'campaign' | 'all'

function Holds(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<{ holds: Hold[] }>('/v1/holds'), [api])
  const [form, setForm] = useState({ id: '', reason: '', scope: 'phone' as Scope, target: '', until: '' })
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: unknown }>({ busy: false, done: null, error: null })
  const [releasing, setReleasing] = useState<string | null>(null)
  const add = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setState({ busy: true, done: null, error: null })
    try {
      const until = utcInput(form.until)
      const h = await api.post<Hold>('/v1/holds', { id: form.id.trim(), reason: form.reason, ...(form.scope === 'all' ? { all: true } : { [form.scope]: form.target.trim() }), ...(until ? { until } : {}) })
      setState({ busy: false, done: `Legal hold ${h.id} placed.`, error: null })
      setForm({ id: '', reason: '', scope: 'phone', target: '', until: '' })
      load.reload()
    } catch (error) {
      setState({ busy: false, done: null, error })
    }
  }
  const release = async (id: string): Promise<void> => {
    setState({ busy: true, done: null, error: null })
    try {
      await api.post<Hold>('/v1/holds/release', { id })
      setState({ busy: false, done: `Legal hold ${id} released.`, error: null })
      setReleasing(null)
      load.reload()
    } catch (error) {
      setState({ busy: false, done: null, error })
    }
  }
  const holds = load.data?.holds ?? []
  return (
    <Card title="Legal holds" id="holds" busy={load.status === 'loading'} wide>
      <p className="card-sub">While a hold is active, nothing it covers is purged or erased. Placing and releasing a hold is audited.</p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {load.data === null ? (
        load.status === 'loading' ? <Skeleton rows={2} /> : null
      ) : holds.length === 0 ? (
        <p className="muted">No legal holds.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Hold</th>
              <th scope="col">Covers</th>
              <th scope="col">Reason</th>
              <th scope="col">Placed</th>
              <th scope="col">Until</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {holds.map((h) => (
              <tr key={h.id}>
                <th scope="row">{h.id}</th>
                <td>
                  {h.scope}
                  {h.target ? <span className="sub">{h.scope === 'phone' ? `blind index ${h.target.slice(0, 12)}…` : h.target}</span> : null}
                </td>
                <td>{h.reason}</td>
                <td>{instant(h.createdAt)}</td>
                <td>{h.until ? instant(h.until) : 'until released'}</td>
                <td>
                  {h.active ? (
                    releasing === h.id ? (
                      <span className="confirm" role="group" aria-label={`Confirm releasing ${h.id}`}>
                        <button type="button" className="danger" onClick={() => void release(h.id)} disabled={state.busy} autoFocus>
                          Release {h.id}
                        </button>
                        <button type="button" className="quiet" onClick={() => setReleasing(null)}>
                          Cancel
                        </button>
                      </span>
                    ) : (
                      <>
                        <Badge tone="warn">Active</Badge>{' '}
                        <button type="button" className="small-button" onClick={() => setReleasing(h.id)} aria-label={`Release hold ${h.id}`}>
                          Release…
                        </button>
                      </>
                    )
                  ) : (
                    <span className="muted">released {instant(h.releasedAt)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form-grid form-wide" onSubmit={(e) => void add(e)} aria-labelledby="hold-add-title">
        <h3 id="hold-add-title" className="span-all">
          Place a legal hold
        </h3>
        <label htmlFor="hold-id">Hold id</label>
        <input id="hold-id" required value={form.id} pattern="[\w.:\-]{1,200}" onChange={(e) => setForm({ ...form, id: e.target.value })} placeholder="case-2026-044" />
        <label htmlFor="hold-scope">Covers</label>
        <select id="hold-scope" value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value as Scope })}>
          <option value="phone">a number</option>
          <option value="seller">a seller</option>
          <option value="campaign">a campaign</option>
          <option value="all">everything</option>
        </select>
        {form.scope !== 'all' ? (
          <>
            <label htmlFor="hold-target">{form.scope === 'phone' ? 'Phone number' : form.scope === 'seller' ? 'Seller' : 'Campaign id'}</label>
            <input id="hold-target" required value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })} />
          </>
        ) : null}
        <label htmlFor="hold-reason">Reason</label>
        <input id="hold-reason" required value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} placeholder="litigation, regulator inquiry…" />
        <label htmlFor="hold-until">Until (UTC, optional)</label>
        <input id="hold-until" type="datetime-local" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
        <button type="submit" disabled={state.busy}>
          Place hold
        </button>
      </form>
      <div aria-live="polite">
        {state.error ? <ErrorNotice error={state.error} /> : null}
        {state.done ? (
          <p className="notice notice-good" role="status">
            {state.done}
          </p>
        ) : null}
      </div>
    </Card>
  )
}

function Receipts(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<{ receipts: Receipt[] }>('/v1/retention/receipts'), [api])
  const receipts = load.data?.receipts ?? []
  return (
    <Card title="Receipts" id="receipts" busy={load.status === 'loading'} wide>
      <p className="card-sub">Every purge, erasure and access request ends with a receipt signed by this installation. Each is verified again now: signature, embedded audit checkpoint and inclusion proof, and signer.</p>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {load.data === null ? (
        load.status === 'loading' ? <Skeleton rows={2} /> : null
      ) : receipts.length === 0 ? (
        <p className="muted">No receipts yet: none is written before the first purge, erasure or access request.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Receipt</th>
              <th scope="col">Kind</th>
              <th scope="col">As of</th>
              <th scope="col">Deleted</th>
              <th scope="col">Verification</th>
            </tr>
          </thead>
          <tbody>
            {receipts.map((r) => (
              <tr key={r.id} className={r.valid ? undefined : 'row-bad'}>
                <th scope="row">
                  <code>{r.id}</code>
                  <span className="sub">completed {instant(r.completedAt)}</span>
                </th>
                <td>{r.kind}</td>
                <td>{instant(r.at)}</td>
                <td className="small">
                  {Object.entries(r.records)
                    .filter(([, n]) => n > 0)
                    .map(([c, n]) => `${count(n)} ${c}`)
                    .join(', ') || 'nothing'}
                  {r.keysDestroyed > 0 ? `; ${count(r.keysDestroyed)} keys destroyed` : ''}
                </td>
                <td>
                  {r.valid ? (
                    <>
                      <Badge tone="good">Valid</Badge> <span className="sub">signer {r.publicKeySha256?.slice(0, 16)}…</span>
                    </>
                  ) : (
                    <>
                      <Badge tone="bad">Invalid</Badge>
                      <ul className="plain small">
                        {r.problems.map((p, i) => (
                          <li key={i}>{p}</li>
                        ))}
                      </ul>
                    </>
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
