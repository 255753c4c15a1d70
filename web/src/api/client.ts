/** Why the API refused, as the dashboard explains it. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number
  /** The error code of the error catalogue (`UNAUTHENTICATED`, `FORBIDDEN`, `STORE_UNAVAILABLE`, …). */
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** How to call the API: with the signed-in key. */
export interface Api {
  get<T>(path: string): Promise<T>
  post<T>(path: string, body: unknown): Promise<T>
  /** POSTs and returns the answer's bytes (the evidence package). */
  download(path: string, body: unknown): Promise<{ blob: Blob; sha256: string | null }>
}

/**
 * A client of Dialward's public API (`/v1/…`) that sends the key as `Authorization: Bearer` —
 * never in a URL. Every non-2xx answer becomes an {@link ApiError} with the catalogue's code.
 */
export function apiClient(key: string, onUnauthenticated: () => void = () => undefined): Api {
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    let res: Response
    try {
      res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${key}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      })
    } catch {
      throw new ApiError(0, 'UNREACHABLE', 'the Dialward server cannot be reached')
    }
    if (!res.ok) {
      let code = `HTTP_${res.status}`
      let message = res.statusText
      try {
        const doc = (await res.json()) as { error?: { code?: string; message?: string } }
        code = doc.error?.code ?? code
        message = doc.error?.message ?? message
      } catch {
        // not a JSON error document (a proxy's page): keep the status
      }
      if (res.status === 401) onUnauthenticated()
      throw new ApiError(res.status, code, message)
    }
    return res
  }
  return {
    get: async <T>(path: string) => (await (await send('GET', path)).json()) as T,
    post: async <T>(path: string, body: unknown) => (await (await send('POST', path, body)).json()) as T,
    download: async (path, body) => {
      const res = await send('POST', path, body)
      return { blob: await res.blob(), sha256: res.headers.get('x-dialward-sha256') }
    },
  }
}
