import { useState, type FormEvent, type ReactNode } from 'react'
import type { ApiKey, Role } from '../api/types.js'
import { Badge, Card, ErrorNotice, Skeleton } from '../components/status.js'
import { useLoad } from '../components/use-load.js'
import { instant, utcInput } from '../format.js'
import { useSession } from '../session.js'

const ROLES: readonly Role[] = ['admin', 'compliance', 'dialer', 'auditor']
const ROLE_HELP: Record<Role, string> = {
  admin: 'everything, keys included',
  compliance: 'records facts, reads evidence, runs retention',
  dialer: 'pre-dial checks, calls, opt-outs',
  auditor: 'reads reports, evidence and the audit log',
}

/** API keys (admin only): role, created, last used, expiry; create (the secret shown once) and revoke. */
export function Keys(): ReactNode {
  const { api, who } = useSession()
  const load = useLoad(() => api.get<{ keys: ApiKey[] }>('/v1/apikeys'), [api])
  const [created, setCreated] = useState<{ id: string; key: string; name: string; role: Role } | null>(null)
  const [form, setForm] = useState({ name: '', role: 'dialer' as Role, expires: '' })
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: unknown }>({ busy: false, done: null, error: null })
  const [revoking, setRevoking] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setState({ busy: true, done: null, error: null })
    setCopied(false)
    try {
      const expires = utcInput(form.expires)
      const k = await api.post<{ id: string; key: string; role: Role; name: string }>('/v1/apikeys', { name: form.name.trim(), role: form.role, ...(expires ? { expires } : {}) })
      setCreated(k)
      setForm({ name: '', role: 'dialer', expires: '' })
      setState({ busy: false, done: null, error: null })
      load.reload()
    } catch (error) {
      setState({ busy: false, done: null, error })
    }
  }
  const revoke = async (k: ApiKey): Promise<void> => {
    setState({ busy: true, done: null, error: null })
    try {
      await api.post<ApiKey>('/v1/apikeys/revoke', { id: k.id })
      setState({ busy: false, done: `Key ${k.name} (${k.id}) revoked: it is refused from now on, on every server.`, error: null })
      setRevoking(null)
      load.reload()
    } catch (error) {
      setState({ busy: false, done: null, error })
    }
  }
  if (load.status === 'error' && load.data === null)
    return (
      <Card title="API keys" id="keys" wide>
        <ErrorNotice error={load.error} />
      </Card>
    )
  const keys = load.data?.keys ?? []
  return (
    <div className="stack">
      <Card title="API keys" id="keys" busy={load.status === 'loading'} wide>
        <p className="card-sub">Only a hash of each key is stored. A revoked or expired key is refused at once on every server.</p>
        {load.data === null ? (
          <Skeleton rows={4} />
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <th scope="row">
                    {k.name}
                    <span className="sub">
                      <code>{k.id}</code>
                      {k.id === who.id ? ' · this session' : ''}
                    </span>
                  </th>
                  <td>{k.role}</td>
                  <td>{instant(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? instant(k.lastUsedAt) : 'never'}</td>
                  <td>{k.expiresAt ? instant(k.expiresAt) : 'never'}</td>
                  <td>
                    {k.state === 'active' ? (
                      revoking === k.id ? (
                        <span className="confirm" role="group" aria-label={`Confirm revoking ${k.name}`}>
                          <button type="button" className="danger" onClick={() => void revoke(k)} disabled={state.busy} autoFocus>
                            Revoke {k.name}
                          </button>
                          <button type="button" className="quiet" onClick={() => setRevoking(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <>
                          <Badge tone="good">Active</Badge>{' '}
                          <button type="button" className="small-button" onClick={() => setRevoking(k.id)} aria-label={`Revoke key ${k.name}`}>
                            Revoke…
                          </button>
                        </>
                      )
                    ) : k.state === 'revoked' ? (
                      <span className="muted">revoked {instant(k.revokedAt)}</span>
                    ) : (
                      <span className="muted">expired</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div aria-live="polite">
          {state.error ? <ErrorNotice error={state.error} /> : null}
          {state.done ? (
            <p className="notice notice-good" role="status">
              {state.done}
            </p>
          ) : null}
        </div>
      </Card>
      <Card title="Create a key" id="create-key" wide>
        <form className="form-grid form-wide" onSubmit={(e) => void create(e)}>
          <label htmlFor="key-name">Name</label>
          <input id="key-name" required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="dialer-east-1" />
          <label htmlFor="key-role">Role</label>
          <select id="key-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r} — {ROLE_HELP[r]}
              </option>
            ))}
          </select>
          <label htmlFor="key-expires">Expires (UTC, optional)</label>
          <input id="key-expires" type="datetime-local" value={form.expires} onChange={(e) => setForm({ ...form, expires: e.target.value })} />
          <button type="submit" disabled={state.busy}>
            Create key
          </button>
        </form>
        <div aria-live="polite">
          {created ? (
            <div className="notice notice-good new-key" role="status">
              <p className="notice-title">
                Key {created.name} ({created.role}) created. Copy it now: it is shown only this once.
              </p>
              <code className="secret" data-testid="new-key">
                {created.key}
              </code>{' '}
              <button
                type="button"
                className="small-button"
                onClick={() => {
                  void navigator.clipboard?.writeText(created.key).then(() => setCopied(true), () => setCopied(false))
                }}
              >
                {copied ? 'Copied' : 'Copy'}
              </button>{' '}
              <button type="button" className="small-button quiet" onClick={() => setCreated(null)}>
                Done, hide it
              </button>
            </div>
          ) : null}
        </div>
      </Card>
    </div>
  )
}
