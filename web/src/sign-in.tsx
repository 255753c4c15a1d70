import { useState, type FormEvent, type ReactNode } from 'react'
import { apiClient } from './api/client.js'
import type { WhoAmI } from './api/types.js'
import { explain } from './components/status.js'

/**
 * Sign-in with an API key (`dialward apikey create`, or the key `npm start` prints). The key is
 * kept in this tab's session storage only and sent as `Authorization: Bearer`, never in a URL.
 */
export function SignIn({ message, onSignedIn }: { message: string | null; onSignedIn: (key: string, who: WhoAmI) => void }): ReactNode {
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ title: string; detail: string } | null>(null)
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    const k = key.trim()
    if (k === '') {
      setError({ title: 'Enter an API key', detail: 'Paste the key printed by `npm start` or by `dialward apikey create`.' })
      return
    }
    setBusy(true)
    setError(null)
    try {
      onSignedIn(k, await apiClient(k).get<WhoAmI>('/v1/whoami'))
    } catch (err) {
      setError(explain(err, null))
      setBusy(false)
    }
  }
  return (
    <main className="signin">
      <h1>Dialward</h1>
      <p className="lead">Compliance dashboard: registries, consent, decisions, retention and the audit log.</p>
      <form onSubmit={(e) => void submit(e)} aria-describedby="signin-help">
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} placeholder="dwk_…" />
        <p id="signin-help" className="help">
          The key stays in this browser tab (session storage) and is sent only in the Authorization header.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="signin-status" aria-live="polite">
        {error ? (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{error.title}</p>
            <p>{error.detail}</p>
          </div>
        ) : message ? (
          <div className="notice">
            <p>{message}</p>
          </div>
        ) : null}
      </div>
    </main>
  )
}
