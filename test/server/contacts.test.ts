import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'
import { VICIDIAL_LEAD_COLUMNS } from '../../src/core/contacts/vicidial-layout.js'

/** The contact-data routes answer what their CLI commands answer, over the same services. */
describe.each(dialects())('contact-data routes (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let compliance: string
  let auditor: string
  let dialer: string
  const get = (url: string, key: string) => srv.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })
  const post = (url: string, key: string, body: string | object, contentType = 'application/json') =>
    srv.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) })
  const marketingContacts = async (): Promise<number> => ((await get('/v1/inventory', auditor)).json() as { purposes: Array<{ purpose: string; contacts: number }> }).purposes.find((p) => p.purpose === 'marketing')!.contacts

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

  it('imports lead files as contacts import does: disallowed fields dropped and never stored, --strict stores nothing, VICIdial layout', async () => {
    const csv = 'phone,first_name,ssn\n+13052000602,Bea,zzhttpcanary-1\n(305) 200-0602,Bee,zzhttpcanary-2\n12,Bad,zzhttpcanary-3\n'
    const r = await post('/v1/contacts/import?purpose=marketing&verifiedAt=2026-11-01T00:00:00Z', compliance, csv, 'text/csv')
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ purpose: 'marketing', rows: 3, stored: 1, merged: 1, quarantined: 1, fieldsDropped: { ssn: 3 }, quarantineReasons: { INVALID_NUMBER: 1 }, rejected: false })
    // (the data directory is not scanned here: a file of the database opened and closed in this
    // process, where the server holds it open, would drop the server's SQLite locks; the CLI tests
    // scan it for canaries after the same service's imports)
    const held = async (): Promise<string> => (await get('/v1/contacts/quarantine', compliance)).body + (await post('/v1/exports', compliance, { phone: '+13052000602' })).body
    const shown = await held()
    expect(shown).toContain('Bee')
    expect(shown).not.toContain('zzhttpcanary')
    const before = await marketingContacts()
    const strict = await post('/v1/contacts/import?purpose=marketing&strict=true', compliance, 'phone,first_name,ssn\n+13052000605,Sol,zzhttpcanary-4\n', 'text/csv')
    expect(strict.statusCode, strict.body).toBe(200)
    expect(strict.json()).toMatchObject({ importId: null, rejected: true, stored: 0, fieldsDropped: { ssn: 1 } })
    expect(await marketingContacts()).toBe(before)

    const cols: Record<string, string> = { vendor_lead_code: 'crm-3', phone_code: '1', phone_number: '3052000603', first_name: 'Vic', state: 'FL', comments: 'zzhttpcanary-5' }
    const vici = `${VICIDIAL_LEAD_COLUMNS.map((c) => cols[c] ?? '').join('|')}\n`
    const v = await post('/v1/contacts/import?purpose=marketing&format=vicidial&verifiedAt=2026-11-01T00:00:00Z', compliance, vici, 'text/tab-separated-values')
    expect(v.statusCode, v.body).toBe(200)
    expect(v.json()).toMatchObject({ rows: 1, stored: 1, fieldsDropped: { comments: 1 } })
    expect(await marketingContacts()).toBe(before + 1)

    expect((await post('/v1/contacts/import?purpose=nope', compliance, csv, 'text/csv')).statusCode).toBe(404)
    expect((await post('/v1/contacts/import?purpose=marketing', compliance, csv, 'text/tab-separated-values')).json()).toMatchObject({ error: { code: 'INVALID_INPUT' } })
    expect((await post('/v1/contacts/import?purpose=marketing', dialer, csv, 'text/csv')).statusCode).toBe(403)
    expect((await post('/v1/contacts/import?purpose=marketing', auditor, csv, 'text/csv')).statusCode).toBe(403)
    expect(await marketingContacts()).toBe(before + 1)
  })

  it('corrects a field as contacts correct does, and refuses what it cannot correct', async () => {
    const r = await post('/v1/contacts/corrections', compliance, { phone: '+13052000602', field: 'first_name', value: 'Beatrice' })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ phone: '+13052000602', field: 'first_name', corrected: [{ purpose: 'marketing', hadValue: true }] })
    expect(r.body).not.toContain('Beatrice')
    expect((await post('/v1/contacts/corrections', compliance, { phone: '+13052000699', field: 'first_name', value: 'X' })).json()).toMatchObject({ error: { code: 'UNKNOWN_CONTACT' } })
    expect((await post('/v1/contacts/corrections', compliance, { phone: '+13052000602', field: 'ssn', value: 'X' })).statusCode).toBe(400)
    expect((await post('/v1/contacts/corrections', compliance, { phone: '+13052000602', field: 'first_name' })).statusCode).toBe(400)
    expect((await post('/v1/contacts/corrections', dialer, { phone: '+13052000602', field: 'first_name', value: 'X' })).statusCode).toBe(403)
  })

  it('answers dialer lists as export-list and dnc export write them: only allowed contacts, only kept fields', async () => {
    await dw.ok('campaign', 'add', '--id', 'mm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const registry = join(dw.dataDir, '..', 'us-national.txt')
    writeFileSync(registry, '305,2000010\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-20')
    await dw.ok('registry', 'import', '--registry', 'us-state-FL', '--file', registry, '--as-of', '2026-11-20')
    await dw.ok('dnc', 'add', '--phone', '+13052000604', '--at', '2026-08-01')
    const at = '2026-12-02T16:00:00Z'
    const list = await get(`/v1/export-list?campaign=mm&at=${at}`, dialer)
    expect(list.statusCode, list.body).toBe(200)
    expect(list.headers['content-type']).toMatch(/^text\/csv/)
    const lines = list.body.trim().split('\n')
    expect(lines[0]).toBe('phone,first_name,last_name,state,zip,timezone,external_id,consent_ref')
    // +13052000601's data (verified 2026-01-10) is stale: only the two verified in November are written
    expect(lines.slice(1).sort()).toEqual(['+13052000602,Beatrice,,,,,,', '+13052000603,Vic,,FL,,,crm-3,'])
    const summary = JSON.parse(String(list.headers['x-dialward-summary'])) as { written: number; contacts: number; byReason: Record<string, number> }
    expect(summary).toMatchObject({ campaign: 'mm', contacts: 3, written: 2, byReason: { DATA_STALE: 1 } })
    const vici = await get(`/v1/export-list?campaign=mm&at=${at}&format=vicidial`, compliance)
    expect(vici.body.replace(/\n$/, '').split('\n').map((l) => l.split('\t')[VICIDIAL_LEAD_COLUMNS.indexOf('phone_number')]).sort()).toEqual(['3052000602', '3052000603'])
    expect((await get('/v1/export-list?campaign=nope', compliance)).statusCode).toBe(404)
    expect((await get('/v1/export-list?campaign=mm&format=xlsx', compliance)).statusCode).toBe(400)
    expect((await get('/v1/export-list?campaign=mm', auditor)).statusCode).toBe(403)

    const dnc = await get('/v1/dnc/export?format=vicidial', dialer)
    expect(dnc.statusCode, dnc.body).toBe(200)
    expect(dnc.body).toBe('3052000604\n')
    expect(JSON.parse(String(dnc.headers['x-dialward-summary']))).toEqual({ format: 'vicidial', seller: null, numbers: 1 })
    expect((await get('/v1/dnc/export', compliance)).body.trim().split('\n')).toEqual(['phone,seller,requested_at', '+13052000604,,2026-08-01T00:00:00Z'])
    expect((await get('/v1/dnc/export', auditor)).statusCode).toBe(403)
  })
})
