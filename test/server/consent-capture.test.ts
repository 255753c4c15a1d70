import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHmac } from 'node:crypto'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'
import { twilioSignature } from '../../src/server/sms-signature.js'

const SECRET = 'whsec_0123456789abcdef'
const PUBLIC_URL = 'https://dialward.example/v1/webhooks/sms'

/** Web-form consent capture and SMS opt-out replies, through the HTTP API, on both databases. */
describe.each(dialects())('consent capture and SMS replies (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let signed: TestServer
  let key: string
  let dialer: string
  const post = (s: TestServer, url: string, body: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) })
  const check = async (phone: string, campaign = 'mkt'): Promise<{ verdict: string; reasons: Array<{ code: string }> }> => {
    const r = await post(srv, '/v1/check', { campaign, phone, at: new Date(Date.now() + 60_000).toISOString() }, { authorization: `Bearer ${dialer}` })
    expect(r.statusCode, r.body).toBe(200)
    return r.json()
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    for (const [id, seller] of [
      ['mkt', 'Acme'],
      ['globex', 'Globex'],
    ] as const) {
      await dw.ok('campaign', 'add', '--id', id, '--seller', seller, '--purpose', 'marketing', '--dialing', 'manual')
    }
    srv = await testServer(dw, { DIALWARD_TRUSTED_PROXIES: '127.0.0.1' })
    signed = await testServer(dw, { DIALWARD_SMS_WEBHOOK_SECRET: SECRET, DIALWARD_SMS_WEBHOOK_URL: PUBLIC_URL })
    key = (await srv.key('compliance')).key
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await signed?.close()
    await dw?.dispose()
  })

  it('records a web-form consent with the client address from a trusted proxy, the user agent and certificate references', async () => {
    const r = await post(
      srv,
      '/v1/consents',
      { phone: '(305) 200-0101', seller: 'Acme', kind: 'written', at: '2026-11-01T10:00:00Z', disclosure: 'I agree to autodialed calls from Acme.', pageUrl: 'https://acme.example/signup', trustedFormCertUrl: 'https://cert.trustedform.com/abc123', leadIdToken: 'LEADID-TOKEN-1' },
      { 'x-forwarded-for': '198.51.100.23', 'user-agent': 'Mozilla/5.0 (capture test)' },
    )
    expect(r.statusCode, r.body).toBe(200)
    const evidence = await dw.json<{ consentEvents: Array<{ ip: string | null; userAgent: string | null; source: string | null }> }>('evidence', '--phone', '+13052000101')
    expect(evidence.consentEvents[0]).toMatchObject({
      ip: '198.51.100.23',
      userAgent: 'Mozilla/5.0 (capture test)',
      source: 'https://acme.example/signup',
      trustedFormCertUrl: 'https://cert.trustedform.com/abc123',
      leadIdToken: 'LEADID-TOKEN-1',
    })
  })

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const plain = await testServer(dw)
    try {
      const r = await plain.app.inject({
        method: 'POST',
        url: '/v1/consents',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.99' },
        payload: JSON.stringify({ phone: '+13052000102', seller: 'Acme', kind: 'written', at: '2026-11-01T10:00:00Z' }),
      })
      expect(r.statusCode, r.body).toBe(200)
      const evidence = await dw.json<{ consentEvents: Array<{ ip: string | null }> }>('evidence', '--phone', '+13052000102')
      expect(evidence.consentEvents[0]!.ip).toBe('127.0.0.1')
    } finally {
      await plain.close()
    }
  })

  it('a STOP reply (form-encoded, any case, within text) revokes consent for every seller at once and keeps the words', async () => {
    for (const seller of ['Acme', 'Globex']) {
      expect((await post(srv, '/v1/consents', { phone: '+13052000103', seller, kind: 'written', at: '2026-11-01T10:00:00Z' })).statusCode).toBe(200)
    }
    expect((await post(srv, '/v1/dnc', { phone: '+13052000199', at: '2026-11-01T00:00:00Z' })).statusCode).toBe(200) // unrelated number
    const r = await srv.app.inject({
      method: 'POST',
      url: '/v1/webhooks/sms',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: new URLSearchParams({ From: '+13052000103', To: '+18005550100', Body: 'please stop texting me' }).toString(),
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ action: 'revoked', keyword: 'STOP' })
    for (const campaign of ['mkt', 'globex']) expect((await check('+13052000103', campaign)).reasons.map((x) => x.code)).toContain('INTERNAL_DNC')
    const evidence = await dw.json<{ consentEvents: Array<{ type: string; words: string | null; via: string | null; seller: string | null }> }>('evidence', '--phone', '+13052000103')
    expect(evidence.consentEvents.find((e) => e.type === 'revoke')).toMatchObject({ words: 'please stop texting me', via: 'sms', seller: null })
  })

  it('answers a provider form post with empty TwiML and ignores replies without a keyword', async () => {
    const r = await srv.app.inject({
      method: 'POST',
      url: '/v1/webhooks/sms',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ From: '+13052000104', Body: 'What time do you open?' }).toString(),
    })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/xml/)
    expect(r.body).toContain('<Response></Response>')
    const json = await post(srv, '/v1/webhooks/sms', { from: '+13052000104', body: 'YES' })
    expect(json.json()).toMatchObject({ action: 'ignored', keyword: null, revocation: null })
  })

  it('with a secret configured, verifies provider signatures and refuses unsigned or badly signed posts (even with a key)', async () => {
    const params = { From: '+13052000105', To: '+18005550100', Body: 'UNSUBSCRIBE' }
    const form = new URLSearchParams(params).toString()
    const unsigned = await signed.app.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form })
    expect(unsigned.statusCode).toBe(401)
    const forged = await signed.app.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { 'x-twilio-signature': twilioSignature('wrong secret', PUBLIC_URL, params), 'content-type': 'application/x-www-form-urlencoded' }, payload: form })
    expect(forged.statusCode).toBe(401)
    const good = await signed.app.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { 'x-twilio-signature': twilioSignature(SECRET, PUBLIC_URL, params), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: form })
    expect(good.statusCode, good.body).toBe(200)
    expect(good.json()).toMatchObject({ action: 'revoked', keyword: 'UNSUBSCRIBE' })
    const body = JSON.stringify({ from: '+13052000106', body: 'End' })
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
    const json = await signed.app.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { 'x-dialward-signature': sig, 'content-type': 'application/json' }, payload: body })
    expect(json.statusCode, json.body).toBe(200)
    const tampered = await signed.app.inject({ method: 'POST', url: '/v1/webhooks/sms', headers: { 'x-dialward-signature': sig, 'content-type': 'application/json' }, payload: body.replace('106', '107') })
    expect(tampered.statusCode).toBe(401)
    expect((await check('+13052000107')).reasons.map((x) => x.code)).not.toContain('INTERNAL_DNC')
    // written through the other server: seen here within a second (the change log)
    await expect.poll(async () => (await check('+13052000106')).reasons.map((x) => x.code), { timeout: 1_000, interval: 50 }).toContain('INTERNAL_DNC')
  })

  it('imports 2,000 do-not-call records over HTTP with a per-row report, and --strict refuses a file with a bad row', async () => {
    const lines = ['phone,seller,at']
    for (let i = 0; i < 2_000; i++) lines.push(`+1305300${String(i).padStart(4, '0')},${i % 2 ? 'Acme' : ''},2026-11-01`)
    lines.push('+1 305 100 0000,,2026-11-01') // invalid exchange
    const csv = `${lines.join('\n')}\n`
    const r = await srv.app.inject({ method: 'POST', url: '/v1/dnc/import', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, payload: csv })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ rows: 2_001, stored: 2_000, refused: 1, rejected: false })
    expect(r.json().refusals[0]).toMatchObject({ row: 2_001, field: 'phone', code: 'INVALID_INPUT' })
    expect((await check('+13053000000')).reasons.map((x) => x.code)).toContain('INTERNAL_DNC')
    const strict = await srv.app.inject({ method: 'POST', url: '/v1/dnc/import?strict=true', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, payload: '{"phone":"+13053009998"}\n{"phone":"12"}\n' })
    expect(strict.json()).toMatchObject({ rows: 2, stored: 0, refused: 1, rejected: true })
    expect((await check('+13053009998')).reasons.map((x) => x.code)).not.toContain('INTERNAL_DNC')
  }, 120_000)
})
