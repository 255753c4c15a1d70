import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { inputSource } from '../../src/app/files/input-source.js'
import { outputTarget } from '../../src/app/files/output-target.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import { requireInstant } from '../../src/app/input.js'

/** The catalogue codes of bad scrub and import input, in process; nothing stored changes. */
describe('scrub and import errors carry their catalogue codes', () => {
  let s: Services
  let dir: string
  const ctx = requestContext('test', 'admin')
  const counts = async (): Promise<number[]> => {
    const out: number[] = []
    for (const t of ['decisions', 'decision_runs', 'audit_log', 'registry_versions']) {
      out.push(Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(s.infra.store.db)).rows[0]!.n))
    }
    return out
  }
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialward-scrub-errors-'))
    s = await compose(loadConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'create')
    await s.campaigns.add(ctx, { id: 'm', seller: 'Acme', purpose: 'marketing', dialing: 'manual', channel: 'voice' })
  })
  afterAll(async () => {
    await s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const scrubFile = async (csv: string): Promise<unknown> => {
    writeFileSync(join(dir, 'in.csv'), csv)
    return s.scrub
      .scrub(ctx, { campaign: 'm', at: requireInstant('at', '2026-12-01T18:00:00Z'), input: inputSource(join(dir, 'in.csv'), 'in'), output: await outputTarget(join(dir, 'out.csv'), 'out'), phoneColumn: null, stateColumn: null, zipColumn: null })
      .then(() => null, (e: unknown) => e)
  }

  it('INVALID_CSV for a quote inside an unquoted field and for unbalanced quotes, naming the row', async () => {
    const before = await counts()
    expect(await scrubFile('phone\n3052000001\n30520"00002\n')).toMatchObject({ code: 'INVALID_CSV', field: 'in', problem: expect.stringMatching(/^row 3: /) })
    expect(await scrubFile('phone,x\n3052000001,"a\n3052000002,b\n')).toMatchObject({ code: 'INVALID_CSV', field: 'in', problem: expect.stringMatching(/^row 2: unbalanced/) })
    expect(await counts()).toEqual(before)
  })

  it('INVALID_REGISTRY_FILE for a truncated gzip file; the previous version stays', async () => {
    const gz = gzipSync('3052000001\n'.repeat(2_000))
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 9))
    const before = await counts()
    const err = await s.registry.import(ctx, { registry: parseRegistryId('us-national')!, file: join(dir, 'cut.gz'), asOf: requireInstant('asOf', '2026-11-20'), skipInvalid: false }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'INVALID_REGISTRY_FILE' })
    expect(await counts()).toEqual(before)
  })
})
