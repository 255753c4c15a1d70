/** What an HTTP call to a Dialward server answered. */
export interface HttpAnswer {
  readonly status: number
  readonly json: Record<string, unknown>
}

/** POSTs a JSON body with a bearer key; parses the JSON answer. */
export async function post(url: string, key: string, body: unknown): Promise<HttpAnswer> {
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: r.status, json: (await r.json()) as Record<string, unknown> }
}

/** `GET /readyz` of a server. */
export async function ready(base: string): Promise<HttpAnswer> {
  const r = await fetch(`${base}/readyz`)
  return { status: r.status, json: (await r.json()) as Record<string, unknown> }
}

/** Polls `/readyz` every 50 ms until it answers 200; fails after `limitMs` with its last answer. */
export async function untilReady(base: string, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs
  for (;;) {
    const r = await ready(base)
    if (r.status === 200) return
    if (Date.now() > deadline) throw new Error(`not ready within ${limitMs} ms: ${JSON.stringify(r.json)}`)
    await new Promise((res) => setTimeout(res, 50))
  }
}
