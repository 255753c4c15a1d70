import { createContext, useContext } from 'react'
import type { Api } from './api/client.js'
import type { WhoAmI } from './api/types.js'

/** Where the key is kept while the tab is open (never in a URL, never in localStorage). */
export const KEY_STORAGE = 'dialward.apiKey'

/** The signed-in session: the API client with the key, who the key is, and how to leave. */
export interface Session {
  readonly api: Api
  readonly who: WhoAmI
  signOut(message?: string): void
}

export const SessionContext = createContext<Session | null>(null)

/** The session of a signed-in page. */
export function useSession(): Session {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession outside a signed-in page')
  return s
}

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE)
  } catch {
    return null
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(KEY_STORAGE)
    else sessionStorage.setItem(KEY_STORAGE, key)
  } catch {
    // storage refused (private mode): the key stays in memory for this page only
  }
}
