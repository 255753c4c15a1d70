/**
 * Lead import (issue 11) end to end through the CLI, SQLite, one process:
 * `dialward contacts import` of `BENCH_LEADS` rows (default 1,000,000) with extra fields (SSN,
 * date of birth, notes: canaries), 2% invalid numbers and 5% duplicates. Reports rows/s and peak
 * RSS (GNU time), checks the report's counts (exactly the invalid rows quarantined, exactly the
 * duplicates merged) and scans the data directory for the canaries (none may be found).
 * Target (issue 11): ≥ 100,000 rows/s, peak RSS ≤ 300 MB. Not a test.
 *
 *   npm run build && node --import tsx bench/contacts-import.bench.ts
 *   BENCH_LEADS=200000 BENCH_CLI=path/to/cli/main.js node --import tsx bench/contacts-import.bench.ts
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { emit, envInt, log, measure } from './lib/common.js'
import { filesContaining } from '../test/support/canary-scan.js'
import { leadNumber } from '../test/support/lead-numbers.js'

const N = envInt('BENCH_LEADS', 1_000_000)
const cli = resolve(process.env['BENCH_CLI'] ?? 'dist/cli/main.js')
const home = mkdtempSync(join(tmpdir(), 'dialward-bench-contacts-'))
const data = join(home, 'data')
const env = { ...process.env, DIALWARD_DATA: data, DIALWARD_DATABASE_URL: '' }
try {
  const file = join(home, 'leads.csv')
  const fd = openSync(file, 'w')
  writeSync(fd, 'phone,first_name,last_name,state,zip,external_id,ssn,date_of_birth,notes\n')
  let invalid = 0
  let duplicates = 0
  let unique = 0
  let buf = ''
  for (let i = 0; i < N; i++) {
    const canary = `zqcanary${i}`
    let phone: string
    if (i % 50 === 7) {
      phone = `55${i % 100000}`
      invalid++
    } else if (i % 20 === 3 && unique > 0) {
      phone = leadNumber((i * 7919) % unique)
      duplicates++
    } else phone = leadNumber(unique++)
    buf += `${phone},First${i},Last${i},FL,33101,crm-${i},ssn-${canary},dob-${canary},"notes, ${canary}"\n`
    if (buf.length > 1 << 20) {
      writeSync(fd, buf)
      buf = ''
    }
  }
  writeSync(fd, buf)
  closeSync(fd)
  log(`generated ${N.toLocaleString('en-US')} rows (${invalid} invalid, ${duplicates} duplicates), ${(statSync(file).size / 1e6).toFixed(0)} MB`)
  measure(process.execPath, [cli, 'init'], { env })
  const m = measure(process.execPath, [cli, 'contacts', 'import', '--file', file, '--purpose', 'marketing', '--json'], { env })
  const report = JSON.parse(m.stdout) as { rows: number; stored: number; merged: number; quarantined: number }
  const countsOk = report.rows === N && report.quarantined === invalid && report.merged === duplicates && report.stored === N - invalid - duplicates
  const canaryHits = filesContaining(data, 'zqcanary').length
  const rowsPerSecond = N / (m.ms / 1000)
  log(`import: ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s, peak RSS ${m.peakRss === null ? 'n/a' : `${(m.peakRss / 1e6).toFixed(0)} MB`}; counts ${countsOk ? 'exact' : 'WRONG'}; canary files ${canaryHits}`)
  emit({ rows: N, ms: m.ms, rowsPerSecond, peakRss: m.peakRss, report, expected: { invalid, duplicates }, countsOk, canaryFiles: canaryHits, target: { rowsPerSecond: 100_000, peakRssBytes: 300e6 } })
} finally {
  rmSync(home, { recursive: true, force: true })
}
