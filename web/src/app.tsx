import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { apiClient } from './api/client.js'
import type { WhoAmI } from './api/types.js'
import { SessionContext, storedKey, storeKey, useSession, type Session } from './session.js'
import { SignIn } from './sign-in.js'
import { Overview } from './pages/overview.js'
import { Lookup } from './pages/lookup.js'
import { Retention } from './pages/retention.js'
import { Audit } from './pages/audit.js'
import { Keys } from './pages/keys.js'
import { Skeleton } from './components/status.js'

/** The pages, in the order of the navigation; the hash names the page (`#/lookup`), nothing else. */
const PAGES = [
  { id: 'overview', title: 'Overview', render: () => <Overview /> },
  { id: 'lookup', title: 'Number lookup', render: () => <Lookup /> },
  { id: 'retention', title: 'Retention', render: () => <Retention /> },
  { id: 'audit', title: 'Audit', render: () => <Audit /> },
  { id: 'keys', title: 'Keys', render: () => <Keys />, note: 'admin' },
] as const

type PageId = (typeof PAGES)[number]['id']

function pageFromHash(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '')
  return (PAGES.find((p) => p.id === id)?.id ?? 'overview') as PageId
}

/** The dashboard: sign-in with an API key, then the pages over the public API. */
export function App(): ReactNode {
  const [key, setKey] = useState<string | null>(() => storedKey())
  const [who, setWho] = useState<WhoAmI | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [page, setPage] = useState<PageId>(() => pageFromHash())

  useEffect(() => {
    const onHash = (): void => setPage(pageFromHash())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  const signOut = useCallback((why?: string) => {
    storeKey(null)
    setKey(null)
    setWho(null)
    setMessage(why ?? null)
  }, [])

  // a stored key is checked again when the page loads: a revoked one goes back to sign-in
  useEffect(() => {
    if (key === null || who !== null) return
    let live = true
    apiClient(key)
      .get<WhoAmI>('/v1/whoami')
      .then(
        (w) => live && setWho(w),
        () => live && signOut('Your saved key was refused: sign in again.'),
      )
    return () => {
      live = false
    }
  }, [key, who, signOut])

  const session = useMemo<Session | null>(() => (key !== null && who !== null ? { api: apiClient(key, () => undefined), who, signOut } : null), [key, who, signOut])

  if (key === null)
    return (
      <SignIn
        message={message}
        onSignedIn={(k, w) => {
          storeKey(k)
          setKey(k)
          setWho(w)
          setMessage(null)
        }}
      />
    )
  if (session === null)
    // the frame of the signed-in pages while a stored key is checked: nothing moves when the page arrives
    return (
      <div className="layout">
        <header className="top">
          <span className="brand">Dialward</span>
        </header>
        <nav className="side" aria-label="Pages" />
        <main id="main" className="content" aria-busy="true">
          <Skeleton rows={3} label="Checking your key…" />
        </main>
      </div>
    )
  return (
    <SessionContext.Provider value={session}>
      <Shell page={page} />
    </SessionContext.Provider>
  )
}

function Shell({ page }: { page: PageId }): ReactNode {
  const s = useSession()
  const current = PAGES.find((p) => p.id === page)!
  const heading = useRef<HTMLHeadingElement>(null)
  const first = useRef(true)
  useEffect(() => {
    document.title = `${current.title} · Dialward`
    // move focus to the new page's heading (not on first load), so keyboard and screen-reader users land on it
    if (first.current) first.current = false
    else heading.current?.focus()
  }, [current])
  return (
    <div className="layout">
          <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); heading.current?.focus() }}>
            Skip to content
          </a>
          <header className="top">
            <span className="brand">Dialward</span>
            <span className="who">
              Signed in as <strong>{s.who.name}</strong> <span className="role">({s.who.role})</span>
            </span>
            <button type="button" className="quiet" onClick={() => s.signOut('You signed out.')}>
              Sign out
            </button>
          </header>
          <nav className="side" aria-label="Pages">
            <ul>
              {PAGES.map((p) => (
                <li key={p.id}>
                  <a href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined}>
                    {p.title}
                    {'note' in p ? <span className="nav-note"> ({p.note} only)</span> : null}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" className="content">
            <h1 ref={heading} tabIndex={-1}>
              {current.title}
            </h1>
            {current.render()}
          </main>
    </div>
  )
}
