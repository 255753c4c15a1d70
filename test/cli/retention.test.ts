import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { dialects, installation, runCli, type Installation } from '../support/cli.js'

interface Check {
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string }>
}
const codes = (c: Check): string[] => c.reasons.map((r) => r.code).sort()

const A = '+13055550101' // revoked in 2021: purged by 2031
const B = '+13055550102' // same history, under a legal hold
const C = '+13055550103' // consent in force: kept
const D = '+13055550104' // erased on request
const E = '+13055550105' // erased twice (a repeated request)
const CANARY = { disclosure: 'I agree to calls from Acme (canary-disclosure-r7). Not a condition of purchase.', ip: '198.51.100.77', ua: 'CanaryAgent/1.0 (zz-ret)', source: 'https://example.test/canary-src-r7', words: 'STOP canary-words-r7' }

/** Rows of a table straight from the database (SQLite file or PostgreSQL). */
async function query(dw: Installation, text: string): Promise<Array<Record<string, unknown>>> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      return db.prepare(text).all() as Array<Record<string, unknown>>
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    return (await client.query(text)).rows as Array<Record<string, unknown>>
  } finally {
    await client.end()
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

describe.each(dialects())('retention and deletion through the CLI (%s)', (dialect) => {
  let dw: Installation
  const ok = (...args: string[]): Promise<void> => dw.ok(...args)
  const history = async (phone: string): Promise<void> => {
    await ok('consent', 'grant', '--phone', phone, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01', '--disclosure', CANARY.disclosure, '--ip', CANARY.ip, '--user-agent', CANARY.ua, '--source', CANARY.source)
    await ok('calls', 'record', '--phone', phone, '--campaign', 'mkt', '--at', '2020-02-01T15:00:00Z', '--outcome', 'answered')
    await ok('consent', 'revoke', '--phone', phone, '--at', '2021-01-01', '--words', CANARY.words)
  }
  const check = (phone: string, campaign: string, at: string): Promise<Check> => dw.json<Check>('check', '--campaign', campaign, '--phone', phone, '--at', at)

  beforeAll(async () => {
    dw = await installation(dialect)
    await ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await ok('campaign', 'add', '--id', 'man', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    await history(A)
    await history(B)
    await ok('consent', 'grant', '--phone', C, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01')
    await ok('consent', 'grant', '--phone', D, '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01', '--ip', CANARY.ip)
    await ok('dnc', 'add', '--phone', D, '--at', '2021-07-01', '--source', CANARY.source)
  }, 180_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('shows the effective policy table, and refuses a policy file below a floor naming the rule', async () => {
    const p = await dw.json<{ classes: Array<{ class: string; ceiling: string | null; floors: Array<{ source: string }> }> }>('retention', 'policy')
    expect(p.classes.map((c) => c.class)).toEqual(['consent-evidence', 'dnc-requests', 'call-records', 'decision-log', 'contact-pii', 'registry-versions', 'reassigned-results', 'suppression-list', 'audit-log', 'contact-fields'])
    expect(p.classes.find((c) => c.class === 'call-records')!.floors[0]!.source).toMatch(/310\.5/)
    const bad = join(dw.dataDir, '..', 'policy.json')
    writeFileSync(bad, JSON.stringify({ ceilings: { 'call-records': { years: 3 } } }))
    const r = await dw.run('retention', 'policy', '--policy', bad, '--json')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/call-records ceiling 3 years is below the legal floor of 5 years.*16 CFR 310\.5\(a\)\(2\)/)
  })

  it('validates hold input', async () => {
    expect((await dw.run('hold', 'add', '--id', 'x', '--reason', 'r')).code).toBe(2)
    expect((await dw.run('hold', 'add', '--id', 'x', '--reason', 'r', '--all', '--phone', A)).code).toBe(2)
    expect((await dw.run('hold', 'release', '--id', 'nope')).code).toBe(2)
  })

  it('purges what is past its ceiling, keeps held data and consents in force, and leaves numbers blocked', async () => {
    await ok('hold', 'add', '--id', 'SMITH-1', '--reason', 'Smith v. Acme', '--phone', B)
    const holds = await dw.json<Array<{ id: string; active: boolean; reason: string }>>('hold', 'list')
    expect(holds).toMatchObject([{ id: 'SMITH-1', active: true, reason: 'Smith v. Acme' }])
    const blobs = dw.name === 'sqlite' ? (await query(dw, `SELECT e.ip_ct, e.words_ct, e.source_ct FROM consent_events e JOIN subjects s ON s.id = e.subject_id`)).flatMap((r) => Object.values(r).filter((v): v is Buffer => Buffer.isBuffer(v))) : []
    const keysBefore = await query(dw, `SELECT key_id FROM subjects`)

    const before = await check(A, 'man', '2031-07-01T15:00:00Z')
    expect(codes(before)).toContain('INTERNAL_DNC')
    const beforeC = await check(C, 'mkt', '2031-07-01T15:00:00Z')
    const dry = await dw.json<{ deleted: Record<string, number> }>('retention', 'run', '--at', '2031-06-01', '--dry-run')
    const r = await dw.json<{ runId: string; deleted: Record<string, number>; keysDestroyed: number; receipt: string; kept: Array<{ class: string; why: string }>; physicalScrubComplete: boolean }>('retention', 'run', '--at', '2031-06-01')
    expect(r.deleted).toMatchObject(dry.deleted)
    expect(r.deleted).toMatchObject({ 'consent-evidence': 1, 'dnc-requests': 1, 'call-records': 1, 'contact-pii': 1 })
    expect(r.keysDestroyed).toBeGreaterThanOrEqual(1)
    expect(r.physicalScrubComplete).toBe(true)
    expect(r.kept.some((k) => k.class === 'consent-evidence' && /legal hold SMITH-1/.test(k.why))).toBe(true)

    // the number stays blocked for marketing, by its suppression entry
    expect(await check(A, 'man', '2031-07-01T15:00:00Z')).toMatchObject({ verdict: before.verdict, reasons: before.reasons })
    // the consent in force and the held number are untouched; the gate answers the same for them
    expect(await check(C, 'mkt', '2031-07-01T15:00:00Z')).toMatchObject({ verdict: beforeC.verdict, reasons: beforeC.reasons })
    expect(Number((await query(dw, `SELECT count(*) AS n FROM subjects`))[0]!['n'])).toBe(3)

    // the receipt verifies offline (no data directory) and holds no PII
    const v = await runCli(['receipts', 'verify', r.receipt, '--json'], { DIALWARD_DATA: '/nonexistent' })
    expect(v.code, v.stderr).toBe(0)
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, kind: 'retention-purge' })
    const text = readFileSync(r.receipt, 'utf8')
    for (const needle of [A, A.slice(2), ...Object.values(CANARY)]) expect(text.includes(needle)).toBe(false)
    expect(statSync(r.receipt).mode & 0o777).toBe(0o600)
    // a tampered receipt fails
    const doc = JSON.parse(text) as Record<string, unknown>
    writeFileSync(`${r.receipt}.bad`, JSON.stringify({ ...doc, records: [] }))
    const bad = await runCli(['receipts', 'verify', `${r.receipt}.bad`], {})
    expect(bad.code).toBe(3)

    // destroyed keys: no wrapped key left; nothing purged is decryptable
    const destroyed = await query(dw, `SELECT id, wrapped FROM data_keys WHERE destroyed_at IS NOT NULL`)
    expect(destroyed.length).toBeGreaterThanOrEqual(1)
    for (const k of destroyed) expect(k['wrapped']).toBeNull()
    const liveKeys = new Set((await query(dw, `SELECT key_id FROM subjects`)).map((x) => x['key_id']))
    expect(keysBefore.filter((k) => !liveKeys.has(k['key_id'])).length).toBeGreaterThanOrEqual(1)
    if (dw.name === 'sqlite') {
      // no ciphertext of a purged row is left in the database file or its WAL
      const kept = (await query(dw, `SELECT ip_ct, words_ct, source_ct FROM consent_events`)).flatMap((x) => Object.values(x).filter((b): b is Buffer => Buffer.isBuffer(b)))
      const purged = blobs.filter((b) => !kept.some((k) => k.equals(b)))
      expect(purged.length).toBeGreaterThanOrEqual(3)
      for (const f of filesUnder(dw.dataDir)) {
        const bytes = readFileSync(f)
        for (const b of purged) expect(bytes.includes(b.subarray(0, 48)), `ciphertext of a purged row in ${f}`).toBe(false)
      }
    }

    // releasing the hold lets the next purge take the held number
    await ok('hold', 'release', '--id', 'SMITH-1')
    const again = await dw.json<{ deleted: Record<string, number> }>('retention', 'run', '--at', '2031-06-02')
    expect(again.deleted['contact-pii']).toBe(1)
    expect(codes(await check(B, 'man', '2031-07-01T15:00:00Z'))).toContain('INTERNAL_DNC')
    // an idempotent rerun deletes nothing
    const third = await dw.json<{ deleted: Record<string, number> }>('retention', 'run', '--at', '2031-06-02')
    expect(third.deleted).toEqual({})
  }, 300_000)

  it('exports a person decrypted, then erases all that no floor requires, keeping a suppression entry', async () => {
    const ex = await dw.json<{ found: boolean; contact: { phone: string }; consents: Array<{ ip: string | null }>; dncEntries: Array<{ source: string }>; receipt: string }>('export', '--phone', D)
    expect(ex.found).toBe(true)
    expect(ex.contact.phone).toBe(D)
    expect(ex.consents[0]!.ip).toBe(CANARY.ip)
    expect(ex.dncEntries[0]!.source).toBe(CANARY.source)
    const e = await dw.json<{ deleted: Record<string, number>; kept: Array<{ class: string; why: string }>; receipt: string }>('erase', '--phone', D, '--at', '2026-08-01')
    // the 2021 request is past its 5-year floor: it goes (leaving a suppression entry); the 2026 consent is within its floor: kept
    expect(e.deleted).toMatchObject({ 'dnc-requests': 1 })
    expect(e.kept.some((k) => k.class === 'consent-evidence' && /legal floor/.test(k.why))).toBe(true)
    expect(codes(await check(D, 'man', '2026-08-03T15:00:00Z'))).toContain('INTERNAL_DNC')
    const v = await runCli(['receipts', 'verify', e.receipt, '--json'], {})
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, kind: 'erasure' })
    // at the floor, the next purge takes the rest (ceilings shrink to floors after an erasure request)
    const later = await dw.json<{ deleted: Record<string, number> }>('retention', 'run', '--at', '2031-01-02')
    expect(later.deleted['contact-pii']).toBe(1)
    const after = await dw.json<{ found: boolean; contact: unknown; consents: unknown[]; suppressions: unknown[] }>('export', '--phone', D)
    expect(after.contact).toBeNull()
    expect(after.consents).toEqual([])
    expect(after.suppressions.length).toBeGreaterThanOrEqual(1)
  }, 300_000)

  it('takes a second erasure request for the same number: nothing left to erase, and check, scrub and audit verify go on working', async () => {
    // the second entry writes no row of the number's scope: the gate used to take its head for
    // one rolled back (AUDIT_TAMPERED), so check refused the number and every scrub refused
    await ok('consent', 'grant', '--phone', E, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01')
    await ok('consent', 'revoke', '--phone', E, '--at', '2020-06-01')
    await ok('erase', '--phone', E)
    const again = await dw.json<{ deleted: Record<string, number> }>('erase', '--phone', E)
    expect(again.deleted).toEqual({})
    expect(codes(await check(E, 'man', '2026-12-01T15:00:00Z'))).toContain('INTERNAL_DNC')
    const dir = join(dw.dataDir, '..')
    writeFileSync(join(dir, 'twice.csv'), `phone\n${E}\n${C}\n`)
    const s = await dw.run('scrub', '--campaign', 'man', '--in', join(dir, 'twice.csv'), '--out', join(dir, 'twice.out.csv'), '--at', '2026-12-01T15:00:00Z')
    expect(s.code, s.stderr).toBe(0)
    expect(readFileSync(join(dir, 'twice.out.csv'), 'utf8')).toContain('INTERNAL_DNC')
    const v = await dw.run('audit', 'verify')
    expect(v.code, v.stderr).toBe(0)
  }, 120_000)

  it('forecasts what will be deleted when', async () => {
    const f = await dw.json<{ items: Array<{ date: string; class: string; records: number }>; total: number }>('retention', 'forecast', '--at', '2026-06-01', '--until', '2060-01-01')
    // records are still stored (calls, decisions, consents of the numbers kept so far): they all come due
    expect(f.items.length).toBeGreaterThan(0)
    expect(f.total).toBe(f.items.reduce((n, i) => n + i.records, 0))
    const dates = f.items.map((i) => i.date)
    expect(dates).toEqual([...dates].sort())
    for (const i of f.items) {
      expect(i.records).toBeGreaterThan(0)
      expect(i.date >= '2026-06-01' && i.date <= '2060-01-01').toBe(true)
    }
  })
})

describe('a purge killed with SIGKILL at every step resumes without resurrection or half-purged subjects (sqlite)', () => {
  it('kill -9 after step k, k = 1, 2, …, then rerun', async () => {
    const dw = await installation('sqlite')
    try {
      expect((await dw.run('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')).code).toBe(0)
      const phones = Array.from({ length: 26 }, (_, i) => `+1305555${String(1000 + i)}`)
      for (let i = 0; i < phones.length; i += 8) {
        await Promise.all(
          phones.slice(i, i + 8).map(async (p) => {
            expect((await dw.run('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01', '--ip', CANARY.ip)).code).toBe(0)
            expect((await dw.run('consent', 'revoke', '--phone', p, '--at', '2020-06-01')).code).toBe(0)
          }),
        )
      }
      const invariant = async (): Promise<void> => {
        // every subject is whole (its key alive) or gone with its key destroyed; no revocation vanished without a suppression entry
        const subjects = await query(dw, `SELECT s.id, k.wrapped, k.destroyed_at FROM subjects s JOIN data_keys k ON k.id = s.key_id`)
        for (const s of subjects) expect(s['destroyed_at']).toBeNull()
        const grants = Number((await query(dw, `SELECT count(*) AS n FROM consent_events WHERE type = 'revoke'`))[0]!['n'])
        const sup = Number((await query(dw, `SELECT count(*) AS n FROM suppressions`))[0]!['n'])
        expect(grants + sup).toBe(phones.length)
        expect(subjects.length + Number((await query(dw, `SELECT count(*) AS n FROM data_keys WHERE scope = 'subject' AND destroyed_at IS NOT NULL`))[0]!['n'])).toBe(phones.length)
      }
      let finished = false
      let kills = 0
      for (let k = 1; k <= 40 && !finished; k++) {
        const r = await runCli(['retention', 'run', '--at', '2031-01-01', '--json'], { ...dw.env, DIALWARD_TEST_CRASH_AT: `uow.after-commit:${k}` })
        if (r.code === 0) finished = true
        else kills++
        await invariant()
      }
      expect(finished).toBe(true)
      expect(kills).toBeGreaterThan(2)
      // every run has a receipt, and they all verify
      const runs = await query(dw, `SELECT status, receipt_path FROM retention_runs`)
      expect(runs.every((r) => r['status'] === 'done')).toBe(true)
      for (const r of runs) expect(JSON.parse((await runCli(['receipts', 'verify', String(r['receipt_path']), '--json'], {})).stdout)).toMatchObject({ valid: true })
      expect(Number((await query(dw, `SELECT count(*) AS n FROM subjects`))[0]!['n'])).toBe(0)
      const again = await dw.json<{ deleted: Record<string, number> }>('retention', 'run', '--at', '2031-01-01')
      expect(again.deleted).toEqual({})
    } finally {
      await dw.dispose()
    }
  }, 300_000)
})
