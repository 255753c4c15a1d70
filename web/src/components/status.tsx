import type { ReactNode } from 'react'
import { ApiError } from '../api/client.js'
import { useSession } from '../session.js'

/** What a refusal means to the person at the screen, by HTTP status. */
export function explain(error: unknown, role: string | null): { title: string; detail: string } {
  if (!(error instanceof ApiError)) return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) }
  const said = `${error.code}: ${error.message}`
  switch (error.status) {
    case 0:
      return { title: 'The server cannot be reached', detail: 'Check that `dialward serve` is running and reachable from this browser, then try again.' }
    case 401:
      return { title: 'Your API key was refused (401)', detail: `The key is unknown, revoked or expired. Sign in again with a valid key. (${said})` }
    case 403:
      return { title: 'Not allowed for your role (403)', detail: `Keys with the role ${role ?? 'you have'} may not do this; ask an administrator for a key with the right role. (${said})` }
    case 429:
      return { title: 'Too many refused sign-ins (429)', detail: `Wait a minute before trying again. (${said})` }
    case 503:
      return { title: 'The server is not ready (503)', detail: `Its database or keys are unavailable, so it refuses rather than guess: nothing was decided or changed. Try again when /readyz answers ready. (${said})` }
    default:
      return { title: `The server refused (${error.status})`, detail: said }
  }
}

/** A refusal or failure, explained; a 401 offers to sign in again. */
export function ErrorNotice({ error }: { error: unknown }): ReactNode {
  const session = useSession()
  const { title, detail } = explain(error, session.who.role)
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{detail}</p>
      {error instanceof ApiError && error.status === 401 ? (
        <button type="button" onClick={() => session.signOut('Sign in again: your key was refused.')}>
          Sign in again
        </button>
      ) : null}
    </div>
  )
}

/** Placeholder rows of the height the content will have, so nothing moves when it arrives. */
export function Skeleton({ rows = 4, label = 'Loading…' }: { rows?: number; label?: string }): ReactNode {
  return (
    <div className="skeleton" role="status" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-row" />
      ))}
    </div>
  )
}

/** A titled card of a page; `busy` marks it loading for assistive technology. */
export function Card({ title, id, busy = false, actions, children, wide = false, reserve }: { title: string; id: string; busy?: boolean; actions?: ReactNode; children: ReactNode; wide?: boolean; reserve?: number }): ReactNode {
  return (
    <section className={`card${wide ? ' card-wide' : ''}`} aria-labelledby={id} aria-busy={busy} style={reserve ? { minHeight: reserve } : undefined}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  )
}

/** A small label: a verdict, a state. */
export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'neutral'; children: ReactNode }): ReactNode {
  return <span className={`badge badge-${tone}`}>{children}</span>
}
