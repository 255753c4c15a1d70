import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

/** The contact-data routes answer what their CLI commands answer, over the same services. */
describe.each(dialects())('contact-data routes (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let compliance: string
  let auditor: string
  let dialer: string
  const get = (url: string, key: string) => srv.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'auto', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    const leads = join(dw.dataDir, '..', 'leads.csv')
    writeFileSync(leads, 'phone,first_name,ssn,verified_at\n+13052000601,Ann,000-00-0000,2026-01-10\n99,Bad,000-00-0001,2026-01-10\n')
    await dw.ok('contacts', 'import', '--file', leads, '--purpose', 'marketing')
    await dw.ok('consent', 'grant', '--phone', '+13052000601', '--seller', 'Acme', '--kind', 'written', '--at', '2026-03-05T10:00:00Z')
    srv = await testServer(dw)
    compliance = (await srv.key('compliance')).key
    auditor = (await srv.key('auditor')).key
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('lists stale contacts, the quarantine and the numbers due for a reassigned-number query; only to roles that may read PII', async () => {
    const stale = await get('/v1/contacts/stale?at=2026-07-10T00:00:00Z', compliance)
    expect(stale.statusCode, stale.body).toBe(200)
    expect((stale.json() as { contacts: Array<{ phone: string }> }).contacts.map((c) => c.phone)).toEqual(['+13052000601'])
    expect(((await get('/v1/contacts/stale?at=2026-07-08T00:00:00Z', compliance)).json() as { total: number }).total).toBe(0)
    const q = (await get('/v1/contacts/quarantine', compliance)).json() as { rows: Array<{ reason: string; fields: Record<string, string> }> }
    expect(q.rows.map((r) => r.reason.split(':')[0])).toEqual(['INVALID_NUMBER'])
    expect(q.rows[0]!.fields).toEqual({ first_name: 'Bad' })
    const due = (await get('/v1/reassigned/due?campaign=auto', compliance)).json() as { numbers: Array<{ phone: string; queryDate: string }> }
    expect(due.numbers).toEqual([expect.objectContaining({ phone: '+13052000601', queryDate: '2026-03-05' })])
    expect((await get('/v1/reassigned/due?campaign=nope', compliance)).statusCode).toBe(404)
    expect((await get('/v1/contacts/stale?purpose=nope', compliance)).statusCode).toBe(404)
    expect((await get('/v1/contacts/stale', auditor)).statusCode).toBe(403)
    expect((await get('/v1/reassigned/due', dialer)).statusCode).toBe(403)
  })

  it('serves the inventory (counts and dates only) to auditors', async () => {
    const r = await get('/v1/inventory', auditor)
    expect(r.statusCode, r.body).toBe(200)
    const inv = r.json() as { subjects: number; purposes: Array<{ purpose: string; contacts: number }>; quarantine: { rows: number } }
    expect(inv.subjects).toBe(1)
    expect(inv.purposes.find((p) => p.purpose === 'marketing')!.contacts).toBe(1)
    expect(inv.quarantine.rows).toBe(1)
    expect(r.body).not.toContain('+13052000601')
    expect((await get('/v1/inventory?at=yesterday', auditor)).statusCode).toBe(400)
  })
})
