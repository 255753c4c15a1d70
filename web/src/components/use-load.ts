import { useCallback, useEffect, useRef, useState } from 'react'

/** A request's state: loading (with the previous data while reloading), loaded, or failed. */
export type Load<T> = { readonly status: 'loading'; readonly data: T | null; readonly error: null } | { readonly status: 'ok'; readonly data: T; readonly error: null } | { readonly status: 'error'; readonly data: T | null; readonly error: unknown }

/**
 * Runs `fetcher` when the component mounts and whenever `deps` change, keeps the last answer while
 * reloading (no flicker), and ignores answers that arrive after a newer request started.
 */
export function useLoad<T>(fetcher: () => Promise<T>, deps: readonly unknown[]): Load<T> & { reload(): void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading', data: null, error: null })
  const generation = useRef(0)
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((t) => t + 1), [])
  useEffect(() => {
    const mine = ++generation.current
    setState((s) => ({ status: 'loading', data: s.data, error: null }))
    fetcher().then(
      (data) => {
        if (generation.current === mine) setState({ status: 'ok', data, error: null })
      },
      (error: unknown) => {
        if (generation.current === mine) setState((s) => ({ status: 'error', data: s.data, error }))
      },
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  return { ...state, reload }
}
