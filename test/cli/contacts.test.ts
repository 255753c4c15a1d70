import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { dialects, installation, type Installation } from '../support/cli.js'
import { VICIDIAL_LEAD_COLUMNS } from '../../src/core/contacts/vicidial-layout.js'

interface ImportReport {
  importId: string | null
  rows: number
  stored: number
  merged: number
  quarantined: number
  fieldsDropped: Record<string, number>
  quarantineReasons: Record<string, number>
  rejected: boolean
}
interface Check {
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string }>
}
interface ExportDoc {
  found: boolean
  contacts: Array<{ purpose: string; verifiedAt: string; fields: Record<string, { value: string; verifiedAt: string | null }> }>
}

/** Values that may be kept (and must be found sealed only) and values that must never be stored. */
const KEPT = { first: 'Zebulonkeptzq', newer: 'Ysoldenewerzq', corrected: 'Xanthecorrzq', email: 'canary-email-zq@example.test' }
const NEVER = ['987-65-4329', '1961-04-13', 'canary-note-zq7', 'canary-ssn-zq8']

/** A data schema: marketing keeps the dialer fields and an email for 30 days; informational keeps less. */
const SCHEMA = {
  purposes: {
    marketing: { fields: ['first_name', 'last_name', 'state', 'zip', 'timezone', 'external_id', 'consent_ref', { name: 'email', keep: { days: 30 } }], staleAfter: { days: 180 } },
    informational: { fields: ['first_name', 'zip'], staleAfter: { days: 365 } },
  },
}

const P1 = '+13055550111'
const P2 = '+13055550112'
const P3 = '+13055550113'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Everything stored, as text: every file of the data directory and, on PostgreSQL, every row of every table. */
async function storedText(dw: Installation): Promise<string> {
  const files = filesUnder(dw.dataDir).filter((f) => !f.endsWith('data-schema.json')).map((f) => readFileSync(f).toString('latin1'))
  if (dw.name === 'sqlite') return files.join('\n')
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    const tables = (await client.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()")).rows.map((r) => r.t)
    for (const t of tables) for (const r of (await client.query<{ x: string }>(`SELECT x::text AS x FROM "${t}" x`)).rows) files.push(r.x)
    return files.join('\n')
  } finally {
    await client.end()
  }
}

/** Row count of one table straight from the database. */
async function count(dw: Installation, table: string): Promise<number> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)
  } finally {
    await client.end()
  }
}

const codes = (c: Check): string[] => c.reasons.map((r) => r.code)

describe.each(dialects())('contact data through the CLI (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  const file = (name: string, text: string): string => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }
  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    return lines[0]!
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    mkdirSync(dw.dataDir, { recursive: true })
    writeFileSync(join(dw.dataDir, 'data-schema.json'), JSON.stringify(SCHEMA))
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual', '--data-purpose', 'informational')
  }, 120_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('imports only the fields the purpose allows, reports the dropped ones by name, quarantines invalid numbers and merges duplicates', async () => {
    const csv = file(
      'leads.csv',
      [
        'Phone,First Name,Last Name,State,Postal Code,E-mail,SSN,Date of Birth,Notes,verified_at',
        `${P1},${KEPT.first},Lee,FL,33101,${KEPT.email},${NEVER[0]},${NEVER[1]},${NEVER[2]},2026-01-10`,
        `(305) 555-0112,Bob,Ray,fl,33102,,${NEVER[3]},,,2026-01-10`,
        `12,Bad,Num,FL,33103,,${NEVER[0]},,${NEVER[2]},2026-01-10`,
        `,No,Number,FL,33104,,,,,2026-01-10`,
        `305-555-0111,${KEPT.newer},,,,,,,${NEVER[2]},2026-02-01`,
        `${P1},Older,Name,GA,,,,,,2025-12-01`,
      ].join('\n') + '\n',
    )
    const r = await dw.json<ImportReport>('contacts', 'import', '--file', csv, '--purpose', 'marketing')
    expect(r).toMatchObject({ rows: 6, stored: 2, merged: 2, quarantined: 2, rejected: false })
    expect(r.fieldsDropped).toEqual({ SSN: 3, 'Date of Birth': 1, Notes: 3 })
    expect(r.quarantineReasons).toEqual({ INVALID_NUMBER: 1, MISSING_NUMBER: 1 })

    const q = await dw.json<{ rows: Array<{ row: number; reason: string; phone: string | null; fields: Record<string, string> }>; total: number }>('contacts', 'quarantine')
    expect(q.total).toBe(2)
    expect(q.rows.map((x) => [x.row, x.reason.split(':')[0], x.phone]).sort()).toEqual([
      [3, 'INVALID_NUMBER', '12'],
      [4, 'MISSING_NUMBER', null],
    ])
    expect(Object.keys(q.rows.find((x) => x.row === 3)!.fields).sort()).toEqual(['first_name', 'last_name', 'state', 'zip'])

    // the merge kept the most recently verified value of each field
    const doc = await dw.json<ExportDoc>('export', '--phone', P1)
    const c = doc.contacts.find((x) => x.purpose === 'marketing')!
    expect(c.verifiedAt).toBe('2026-02-01T00:00:00Z')
    expect(c.fields['first_name']!.value).toBe(KEPT.newer)
    expect(c.fields['last_name']!.value).toBe('Lee')
    expect(c.fields['state']!.value).toBe('FL')
    expect(c.fields['email']!.value).toBe(KEPT.email)
    const bob = (await dw.json<ExportDoc>('export', '--phone', P2)).contacts[0]!
    expect(bob.fields['state']!.value).toBe('FL')

    // the dropped fields are stored nowhere; the kept ones only sealed
    const text = await storedText(dw)
    expect(text).toContain('INVALID_NUMBER') // the scan sees what is stored in plain text
    for (const v of [...NEVER, KEPT.first, KEPT.newer, KEPT.email]) expect(text.includes(v), v).toBe(false)
  })

  it('--strict refuses a file with disallowed fields, naming them, and stores nothing', async () => {
    const before = await count(dw, 'contacts')
    const audit = await count(dw, 'audit_log')
    const csv = file('strict.csv', `phone,first_name,ssn\n${P3},Cy,${NEVER[3]}\n`)
    const r = await dw.run('contacts', 'import', '--file', csv, '--purpose', 'marketing', '--strict')
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/--file: .*"marketing" does not allow: ssn; nothing stored/)
    expect(await count(dw, 'contacts')).toBe(before)
    expect(await count(dw, 'contact_quarantine')).toBe(2)
    expect(await count(dw, 'audit_log')).toBe(audit)
    const ok = await dw.json<ImportReport>('contacts', 'import', '--file', file('strict-ok.csv', `phone,first_name\n${P3},Cy\n`), '--purpose', 'informational', '--strict', '--verified-at', '2026-01-10')
    expect(ok).toMatchObject({ stored: 1, rejected: false, fieldsDropped: {} })
  })

  it('refuses bad input with exit 2 and one line naming the field or row, storing nothing', async () => {
    const before = await count(dw, 'contacts')
    const quarantined = await count(dw, 'contact_quarantine')
    const cases: Array<[string[], RegExp]> = [
      [['--file', file('nophone.csv', 'name,zip\nAl,33101\n'), '--purpose', 'marketing'], /--file: .*no telephone number column/],
      [['--file', file('noheader.csv', `${P3},Al\n${P2},Bo\n`), '--purpose', 'marketing'], /--file: .*header row/],
      [['--file', file('broken.csv', `phone,first_name\n${P3},Al\n${P2},"Bo\n`), '--purpose', 'marketing'], /--file: /],
      [['--file', file('ok.csv', `phone\n${P3}\n`), '--purpose', 'collections'], /--purpose: purpose "collections" is not declared/],
      [['--file', join(dir, 'missing.csv'), '--purpose', 'marketing'], /--file: cannot read/],
      [['--file', file('ok2.csv', `phone\n${P3}\n`), '--purpose', 'marketing', '--format', 'xlsx'], /--format: must be one of csv, ndjson, vicidial/],
    ]
    for (const [args, message] of cases) {
      const r = await dw.run('contacts', 'import', ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    expect(await count(dw, 'contacts')).toBe(before)
    expect(await count(dw, 'contact_quarantine')).toBe(quarantined)
  })

  it('reads VICIdial lead files', async () => {
    const line = (phone: string, first: string): string => {
      const cols: Record<string, string> = { vendor_lead_code: 'crm-7', list_id: '101', phone_code: '1', phone_number: phone, first_name: first, last_name: 'Vic', state: 'FL', postal_code: '33101', date_of_birth: NEVER[1]!, comments: NEVER[2]! }
      return VICIDIAL_LEAD_COLUMNS.map((c) => cols[c] ?? '').join('|')
    }
    const r = await dw.json<ImportReport>('contacts', 'import', '--file', file('vici.txt', `${line('3055550114', 'Vera')}\n${line('30555', 'Bad')}\n`), '--purpose', 'marketing', '--format', 'vicidial', '--verified-at', '2026-01-10')
    expect(r).toMatchObject({ rows: 2, stored: 1, quarantined: 1 })
    expect(r.fieldsDropped).toEqual({ comments: 2, date_of_birth: 2, list_id: 2 })
    const c = (await dw.json<ExportDoc>('export', '--phone', '+13055550114')).contacts[0]!
    expect(c.fields['first_name']!.value).toBe('Vera')
    expect(c.fields['zip']!.value).toBe('33101')
    expect(c.fields['external_id']!.value).toBe('crm-7')
  })

  it('corrects a field (audited; the old value only sealed in the audit log) and refuses a field the purpose does not keep', async () => {
    const r = await dw.json<{ corrected: Array<{ purpose: string; hadValue: boolean }> }>('contacts', 'correct', '--phone', P1, '--field', 'First Name', '--value', KEPT.corrected, '--purpose', 'marketing')
    expect(r.corrected).toEqual([{ contact: expect.any(String), purpose: 'marketing', hadValue: true }])
    const c = (await dw.json<ExportDoc>('export', '--phone', P1)).contacts.find((x) => x.purpose === 'marketing')!
    expect(c.fields['first_name']!.value).toBe(KEPT.corrected)
    const text = await storedText(dw)
    expect(text.includes(KEPT.corrected)).toBe(false)
    expect(text.includes(KEPT.newer)).toBe(false)
    const bad = await dw.run('contacts', 'correct', '--phone', P3, '--field', 'email', '--value', 'x@example.test')
    expect(bad.code).toBe(2)
    expect(oneLine(bad.stderr)).toMatch(/--field: .*keep no field "email"/)
    const none = await dw.run('contacts', 'correct', '--phone', '+13055550199', '--field', 'zip', '--value', '33101')
    expect(none.code).toBe(2)
    expect(oneLine(none.stderr)).toMatch(/--phone: no contact record/)
    const audit = await dw.json<{ ok?: boolean }>('audit', 'verify')
    expect(audit).toBeTruthy()
  })

  it('blocks with DATA_STALE for campaigns of a purpose whose data is older than its staleness period, and lists it', async () => {
    // P2 marketing data verified 2026-01-10: stale after 180 days (2026-07-09); P3 informational (365 days)
    const fresh = await dw.json<Check>('check', '--campaign', 'mkt', '--phone', P2, '--at', '2026-07-08T16:00:00Z')
    expect(codes(fresh)).not.toContain('DATA_STALE')
    const stale = await dw.json<Check>('check', '--campaign', 'mkt', '--phone', P2, '--at', '2026-07-10T16:00:00Z')
    expect(stale.verdict).toBe('block')
    expect(codes(stale)).toContain('DATA_STALE')
    // a campaign of another data purpose judges that purpose's record only
    expect(codes(await dw.json<Check>('check', '--campaign', 'info', '--phone', P3, '--at', '2026-07-10T16:00:00Z'))).not.toContain('DATA_STALE')
    expect(codes(await dw.json<Check>('check', '--campaign', 'info', '--phone', P2, '--at', '2026-07-10T16:00:00Z'))).not.toContain('DATA_STALE')
    expect(codes(await dw.json<Check>('check', '--campaign', 'info', '--phone', P3, '--at', '2027-01-11T16:00:00Z'))).toContain('DATA_STALE')

    const list = await dw.json<{ contacts: Array<{ phone: string; purpose: string; staleSince: string }>; total: number }>('contacts', 'stale', '--at', '2026-07-10T16:00:00Z')
    expect(list.contacts.map((x) => [x.phone, x.purpose]).sort()).toEqual([
      [P2, 'marketing'],
      ['+13055550114', 'marketing'],
    ])
    expect(list.contacts.find((x) => x.phone === P2)!.staleSince).toBe('2026-07-09T00:00:00Z')

    // a newer import re-verifies the data: no longer stale
    await dw.ok('contacts', 'import', '--file', file('reverify.csv', `phone,verified_at\n${P2},2026-07-10\n`), '--purpose', 'marketing')
    expect(codes(await dw.json<Check>('check', '--campaign', 'mkt', '--phone', P2, '--at', '2026-07-10T16:00:00Z'))).not.toContain('DATA_STALE')
  })

  it('retention deletes the fields a purpose no longer keeps, the inventory shows what is held, and erasure removes contact data', async () => {
    const inv0 = await dw.json<{ purposes: Array<{ purpose: string; contacts: number; nextDeletion: string | null }>; categories: Array<{ class: string; count: number }>; quarantine: { rows: number } }>('inventory')
    expect(inv0.purposes.find((p) => p.purpose === 'marketing')!.contacts).toBe(3)
    expect(inv0.purposes.find((p) => p.purpose === 'informational')!.contacts).toBe(1)
    expect(inv0.purposes.find((p) => p.purpose === 'marketing')!.nextDeletion).not.toBeNull()
    expect(inv0.quarantine.rows).toBe(3)
    expect(inv0.categories.find((c) => c.class === 'contact-fields')!.count).toBe(4)

    // email is kept 30 days after its verification (2026-02-01): a purge now removes it, the rest stays
    await dw.ok('retention', 'run')
    const c = (await dw.json<ExportDoc>('export', '--phone', P1)).contacts.find((x) => x.purpose === 'marketing')!
    expect(c.fields['email']).toBeUndefined()
    expect(c.fields['first_name']!.value).toBe(KEPT.corrected)

    // quarantined rows go after the schema's 30 days
    await dw.ok('retention', 'run', '--at', new Date(Date.now() + 31 * 86_400_000).toISOString())
    expect(await count(dw, 'contact_quarantine')).toBe(0)

    const erased = await dw.json<{ deleted: Record<string, number> }>('erase', '--phone', P1)
    expect(erased.deleted['contact-fields']).toBeGreaterThan(0)
    const doc = await dw.json<ExportDoc>('export', '--phone', P1)
    expect(doc.contacts).toEqual([])
  })

  it('lists the numbers due for a Reassigned Numbers Database query and loads a results file as one batch', async () => {
    await dw.ok('campaign', 'add', '--id', 'auto', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await dw.ok('consent', 'grant', '--phone', P2, '--seller', 'Acme', '--kind', 'written', '--at', '2026-03-05T10:00:00Z')
    await dw.ok('consent', 'grant', '--phone', P3, '--seller', 'Acme', '--kind', 'written', '--at', '2026-04-01T23:30:00Z')
    await dw.ok('consent', 'grant', '--phone', '+13055550115', '--seller', 'Other', '--kind', 'written', '--at', '2026-04-02T10:00:00Z')
    type Due = { numbers: Array<{ phone: string; queryDate: string; seller: string }>; total: number }
    const due = await dw.json<Due>('reassigned', 'due', '--campaign', 'auto')
    expect(due.numbers.map((n) => [n.phone, n.queryDate]).sort()).toEqual([
      [P2, '2026-03-05'],
      [P3, '2026-04-01'],
    ])
    expect((await dw.json<Due>('reassigned', 'due')).total).toBe(3)

    const checks = await count(dw, 'reassigned_checks')
    const bad = await dw.run('reassigned', 'import', '--file', file('rnd-bad.csv', `phone,date,result\n${P2},2026-03-05,no\n${P3},2026-04-01,maybe\n`))
    expect(bad.code).toBe(2)
    expect(oneLine(bad.stderr)).toMatch(/--file: row 2: result must be one of yes, no, no-data/)
    const badDate = await dw.run('reassigned', 'import', '--file', file('rnd-bad2.csv', `phone,date,result\n${P2},03/05/2026,no\n`))
    expect(badDate.code).toBe(2)
    expect(oneLine(badDate.stderr)).toMatch(/--file: row 1: date /)
    expect(await count(dw, 'reassigned_checks')).toBe(checks)

    const r = await dw.json<{ rows: number; stored: number; results: Record<string, number> }>('reassigned', 'import', '--file', file('rnd.csv', `phone,date,result\n${P2},2026-03-05,no\n${P3},2026-04-01,yes\n`))
    expect(r).toMatchObject({ rows: 2, stored: 2, unchanged: 0, results: { yes: 1, no: 1, 'no-data': 0 } })
    expect(await count(dw, 'reassigned_checks')).toBe(checks + 2)
    // the same results again (one row twice, one new): only the new one is stored
    const again = `phone,date,result,queried_at\n${P2},2026-03-05,no,2026-04-20T10:00:00Z\n${P2},2026-03-05,no,2026-04-20T10:00:00Z\n${P3},2026-04-01,yes,2026-04-20T10:00:00Z\n`
    expect(await dw.json('reassigned', 'import', '--file', file('rnd-again.csv', again))).toMatchObject({ rows: 3, stored: 2, unchanged: 1 })
    expect(await dw.json('reassigned', 'import', '--file', file('rnd-again.csv', again))).toMatchObject({ rows: 3, stored: 0, unchanged: 3, results: { yes: 0, no: 0, 'no-data': 0 } })
    expect(await count(dw, 'reassigned_checks')).toBe(checks + 4)
    expect((await dw.json<Due>('reassigned', 'due', '--campaign', 'auto')).numbers).toEqual([])
    expect(codes(await dw.json<Check>('check', '--campaign', 'auto', '--phone', P3, '--at', '2026-05-01T16:00:00Z'))).toContain('REASSIGNED_NUMBER')
    expect(codes(await dw.json<Check>('check', '--campaign', 'auto', '--phone', P2, '--at', '2026-05-01T16:00:00Z'))).not.toContain('REASSIGNED_NUMBER')
    // a result queried before --checked-since no longer counts as a check
    expect((await dw.json<Due>('reassigned', 'due', '--campaign', 'auto', '--checked-since', new Date(Date.now() + 86_400_000).toISOString())).numbers.map((n) => n.phone)).toEqual([P2])
  })

  it('writes dialer lists of only the allowed contacts with only the purpose\'s fields, and the DNC list, with no formula cells', async () => {
    const P4 = '+13055550116'
    await dw.ok('campaign', 'add', '--id', 'mm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const registry = file('us-national.txt', '305,2000010\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-20')
    await dw.ok('registry', 'import', '--registry', 'us-state-FL', '--file', registry, '--as-of', '2026-11-20')
    await dw.ok('dnc', 'add', '--phone', P2, '--seller', 'Acme', '--at', '2026-08-01')
    await dw.ok('dnc', 'add', '--phone', '+13055550117', '--at', '2026-08-01')
    const leads = `phone,first_name,last_name,state,zip,external_id,ssn\n${P4},"=HYPERLINK(""http://x"")",-Lee,FL,33101,@crm-9,${NEVER[3]}\n`
    await dw.ok('contacts', 'import', '--file', file('p4.csv', leads), '--purpose', 'marketing', '--verified-at', '2026-11-01')
    const at = '2026-12-02T16:00:00Z'
    const out = join(dir, 'list.csv')
    const r = await dw.json<{ written: number; contacts: number; byReason: Record<string, number>; fields: string[] }>('export-list', '--campaign', 'mm', '--out', out, '--at', at)
    // P2 is on the company list, +13055550114's data is stale: only P4 is written
    expect(r).toMatchObject({ contacts: 3, written: 1 })
    expect(r.byReason['INTERNAL_DNC']).toBe(1)
    expect(r.byReason['DATA_STALE']).toBe(1)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('phone,first_name,last_name,state,zip,timezone,external_id,consent_ref,email')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toBe(`${P4},"'=HYPERLINK(""http://x"")",'-Lee,FL,33101,,'@crm-9,,`)
    for (const cell of lines[1]!.split(',').slice(1)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/)

    const vici = join(dir, 'list.txt')
    await dw.ok('export-list', '--campaign', 'mm', '--out', vici, '--at', at, '--format', 'vicidial')
    const cols = readFileSync(vici, 'utf8').replace(/\n$/, '').split('\t')
    expect(cols).toHaveLength(VICIDIAL_LEAD_COLUMNS.length)
    const col = (name: string): string => cols[VICIDIAL_LEAD_COLUMNS.indexOf(name)]!
    expect([col('phone_code'), col('phone_number'), col('vendor_lead_code'), col('first_name'), col('postal_code'), col('date_of_birth')]).toEqual(['1', '3055550116', "'@crm-9", `'=HYPERLINK("http://x")`, '33101', ''])

    const dnc = join(dir, 'dnc.txt')
    await dw.ok('dnc', 'export', '--out', dnc, '--format', 'vicidial')
    expect(readFileSync(dnc, 'utf8').trim().split('\n').sort()).toEqual(['3055550112', '3055550117'])
    const dncCsv = join(dir, 'dnc.csv')
    await dw.ok('dnc', 'export', '--out', dncCsv, '--seller', 'Other')
    expect(readFileSync(dncCsv, 'utf8').trim().split('\n')).toEqual(['phone,seller,requested_at', '+13055550117,,2026-08-01T00:00:00Z'])

    for (const args of [
      ['export-list', '--campaign', 'mm', '--out', join(dir, 'missing', 'x.csv')],
      ['export-list', '--campaign', 'mm', '--out', out, '--format', 'xlsx'],
      ['export-list', '--campaign', 'nope', '--out', out],
      ['dnc', 'export', '--out', dir],
    ]) {
      const bad = await dw.run(...args)
      expect(bad.code, args.join(' ')).toBe(2)
      expect(oneLine(bad.stderr)).toMatch(/^dialward: --(out|format|campaign): /)
    }
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2)
    expect((await storedText(dw)).includes(NEVER[3]!)).toBe(false)
  })

  it('a lead file with extra fields, 2% invalid numbers and 5% duplicates: none of the extra fields stored, exactly the invalid rows quarantined, exactly the duplicates merged', async () => {
    const rows = 4_000
    const lines = ['phone,first_name,zip,ssn,date_of_birth,notes']
    let invalid = 0
    let duplicates = 0
    const used: string[] = []
    for (let i = 0; i < rows; i++) {
      const canary = `cnry${i}zq`
      if (i % 50 === 7) {
        lines.push(`55${i},Bad${i},33101,ssn-${canary},dob-${canary},note-${canary}`)
        invalid++
      } else if (i % 20 === 3 && used.length > 0) {
        lines.push(`${used[i % used.length]},Dup${i},33101,ssn-${canary},dob-${canary},note-${canary}`)
        duplicates++
      } else {
        const phone = `+1786${String(2000000 + i)}`
        used.push(phone)
        lines.push(`${phone},Kept${canary},33101,ssn-${canary},dob-${canary},"note, ${canary}"`)
      }
    }
    expect(invalid).toBe(80)
    expect(duplicates).toBe(200)
    const r = await dw.json<ImportReport>('contacts', 'import', '--file', file('big.csv', `${lines.join('\n')}\n`), '--purpose', 'informational')
    expect(r).toMatchObject({ rows, stored: rows - invalid - duplicates, merged: duplicates, quarantined: invalid, quarantineReasons: { INVALID_NUMBER: invalid } })
    expect(r.fieldsDropped).toEqual({ ssn: rows, date_of_birth: rows, notes: rows })
    const text = await storedText(dw)
    for (const probe of ['ssn-cnry', 'dob-cnry', 'note-cnry', 'note, cnry', 'Keptcnry1']) expect(text.includes(probe), probe).toBe(false)
  })
})
