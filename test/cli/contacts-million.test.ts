import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { installation, type Installation } from '../support/cli.js'
import { filesContaining } from '../support/canary-scan.js'
import { leadNumber } from '../support/lead-numbers.js'

/**
 * Issue 11's done-when, at full size: a 1,000,000-row lead file with fields no purpose keeps
 * (SSN, date of birth, notes — each value a canary), 2% invalid numbers and 5% duplicates,
 * imported through the CLI on the embedded database. The speed of this import is measured by
 * `bench/contacts-import.bench.ts`, not here. (PostgreSQL runs the same checks at 4,000 rows
 * in contacts.test.ts.)
 */
const ROWS = Number(process.env['DIALWARD_MILLION_ROWS'] ?? 1_000_000)
const CANARY = 'zqcanary'


interface Generated {
  readonly file: string
  /** 1-based data rows whose number is invalid, and rows that repeat an earlier number. */
  readonly invalid: Set<number>
  readonly duplicates: Set<number>
}

/** Writes the lead file: every 50th row (from the 8th) invalid, every 20th (from the 4th) a repeat of an earlier number. */
function generate(path: string): Generated {
  const invalid = new Set<number>()
  const duplicates = new Set<number>()
  const fd = openSync(path, 'w')
  let buf = 'Phone Number,First Name,Last Name,State,ZIP,External ID,SSN,Date of Birth,Notes\n'
  let unique = 0
  for (let i = 0; i < ROWS; i++) {
    const row = i + 1
    let phone: string
    if (i % 50 === 7) {
      // too short, an N11 exchange, an unassigned area code, in turn
      phone = [`55${i}`, `(786) 411-${String(i % 10_000).padStart(4, '0')}`, `+1 999 555 ${String(i % 10_000).padStart(4, '0')}`][i % 3]!
      invalid.add(row)
    } else if (i % 20 === 3 && unique > 0) {
      phone = leadNumber((i * 7919) % unique)
      duplicates.add(row)
    } else phone = leadNumber(unique++)
    buf += `${phone},First${i},Last${i},FL,33101,crm-${i},${CANARY}-ssn-${i},${CANARY}-dob-${i},"${CANARY} notes, ${i}"\n`
    if (buf.length > 1 << 20) {
      writeSync(fd, buf)
      buf = ''
    }
  }
  writeSync(fd, buf)
  closeSync(fd)
  return { file: path, invalid, duplicates }
}

describe(`a ${ROWS.toLocaleString('en-US')}-row lead file (sqlite)`, () => {
  let dw: Installation
  let lead: Generated
  let report: { rows: number; stored: number; merged: number; quarantined: number; fieldsDropped: Record<string, number>; quarantineReasons: Record<string, number> }

  beforeAll(async () => {
    dw = await installation('sqlite')
    lead = generate(join(dw.dataDir, '..', 'leads.csv'))
    report = await dw.json('contacts', 'import', '--file', lead.file, '--purpose', 'marketing')
  }, 1_800_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('reports every row: stored, merged, quarantined, and the dropped fields by the file\'s names', () => {
    expect(lead.invalid.size).toBe(ROWS / 50)
    expect(lead.duplicates.size).toBe(ROWS / 20)
    expect(report).toMatchObject({
      rows: ROWS,
      stored: ROWS - lead.invalid.size - lead.duplicates.size,
      merged: lead.duplicates.size,
      quarantined: lead.invalid.size,
      quarantineReasons: { INVALID_NUMBER: lead.invalid.size },
    })
    expect(report.fieldsDropped).toEqual({ SSN: ROWS, 'Date of Birth': ROWS, Notes: ROWS })
  })

  it('quarantines exactly the invalid rows and merges exactly the duplicates (as stored and as audited)', () => {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      const quarantined = db.prepare('SELECT row_number AS r FROM contact_quarantine').pluck().all() as number[]
      expect(quarantined.length).toBe(lead.invalid.size)
      expect(quarantined.every((r) => lead.invalid.has(r))).toBe(true)
      expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(report.stored)
      expect(db.prepare('SELECT count(*) FROM subjects').pluck().get()).toBe(report.stored)
      // the chunks' audit entries name each merged row once, and only duplicates
      const entries = db.prepare("SELECT data FROM audit_log WHERE action = 'contact.import'").pluck().all() as string[]
      const merged = entries.flatMap((d) => String((JSON.parse(d) as { merges: string }).merges).split(';').filter(Boolean).map((m) => Number(m.split('>')[0])))
      expect(merged.length).toBe(lead.duplicates.size)
      expect(new Set(merged).size).toBe(merged.length)
      expect(merged.every((r) => lead.duplicates.has(r))).toBe(true)
      const audited = entries.flatMap((d) => String((JSON.parse(d) as { quarantine: string }).quarantine).split(';').filter(Boolean).map((m) => Number(m.split('>')[0])))
      expect(audited.sort((a, b) => a - b)).toEqual([...lead.invalid].sort((a, b) => a - b))
      // no contact keeps a field the purpose does not allow, not even sealed
      expect(db.prepare("SELECT count(*) FROM contacts WHERE fields LIKE '%ssn%' OR fields LIKE '%birth%' OR fields LIKE '%notes%'").pluck().get()).toBe(0)
    } finally {
      db.close()
    }
  })

  it('leaves the disallowed values nowhere in the data directory, and the audit log verifies', async () => {
    expect(filesContaining(dw.dataDir, CANARY)).toEqual([])
    await dw.ok('audit', 'verify')
  }, 900_000) // verify reads every row of the million contacts and their subjects against the log (ADR 0011)
})
