import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { addressHint, requireInstant } from '../../src/app/input.js'
import { inputSource } from '../../src/app/files/input-source.js'
import { outputTarget } from '../../src/app/files/output-target.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import { PagedBitset } from '../../src/core/dnc/paged-bitset.js'
import { adoptRows, COVERAGE_SETTING } from '../../src/app/audit/adopt-rows.js'

/**
 * Versions stored before migration 0006 (one sealed 1,250-byte page per NPA-NXX, no coverage) are
 * whole registries: they cover every area code, and a later version of one area code takes over
 * that one only. Check and scrub read them the same way.
 */
describe('registry versions stored before coverage existed', () => {
  let s: Services
  let dir: string
  const ctx = requestContext('test', 'admin')
  const at = requireInstant('at', '2026-12-01T18:00:00Z')
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialward-legacy-'))
    s = await compose(loadConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'create')
    await s.campaigns.add(ctx, { id: 'm', seller: 'Acme', purpose: 'marketing', dialing: 'manual', channel: 'voice' })
    // a legacy version as the old importer stored it: numbers of 305 and 212, one page per NPA-NXX
    const set = new PagedBitset()
    for (const n of [3052000001, 3052000002, 2122000001]) set.add(n)
    const { repos, store } = s.infra
    const id = 'reg_legacy'
    await store.dialect.writeTransaction(async (trx) => {
      const key = await repos.dataKeys.create(trx, 'registry', Date.now())
      await trx.insertInto('registry_versions').values({ id, registry: 'us-national', as_of: requireInstant('asOf', '2026-11-20'), imported_at: Date.now(), key_id: key.id, numbers: set.size, lines: 3, content_sha256: 'x', coverage: null, details: null }).execute()
      for (const prefix of set.prefixes()) {
        const page = set.page(prefix)!
        await trx.insertInto('registry_pages').values({ version_id: id, prefix, page_ct: repos.sealer.sealWith(key, { table: 'registry_pages', rowId: `${id}:${prefix}`, column: 'page_ct' }, Buffer.from(page)) }).execute()
      }
      // stored before the log covered the data (migration 0008): adopted at upgrade, as then
      await trx.deleteFrom('settings').where('key', '=', COVERAGE_SETTING).execute()
    })
    await adoptRows(s.infra)
    writeFileSync(join(dir, '212.txt'), '212,2000005\n')
    await s.registry.import(ctx, { registry: parseRegistryId('us-national')!, file: join(dir, '212.txt'), asOf: requireInstant('asOf', '2026-11-25'), skipInvalid: false })
  })
  afterAll(async () => {
    await s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const phones = ['+13052000001', '+13052000003', '+12122000001', '+12122000005', '+17862000001']
  const expected: Record<string, string> = {
    '+13052000001': 'NATIONAL_DNC', // the legacy version, still in force for 305
    '+13052000003': '',
    '+12122000001': '', // 212 now takes the newer version, which does not list it
    '+12122000005': 'NATIONAL_DNC',
    '+17862000001': '', // covered by the legacy whole registry: fresh, not listed
  }

  it('check reads a legacy version as a whole registry, per area code', async () => {
    for (const phone of phones) {
      const r = await s.gate.check(ctx, { campaign: 'm', phone, at, address: addressHint(undefined, undefined) })
      expect(r.reasons.map((x) => x.code).join(';'), phone).toBe(expected[phone])
    }
  })

  it('scrub answers the same', async () => {
    writeFileSync(join(dir, 'in.csv'), `phone\n${phones.join('\n')}\n`)
    const out = join(dir, 'out.csv')
    await s.scrub.scrub(ctx, { campaign: 'm', at, input: inputSource(join(dir, 'in.csv'), 'in'), output: await outputTarget(out, 'out'), phoneColumn: null, stateColumn: null, zipColumn: null })
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]
    for (const row of rows) expect(row['dialward_reasons'], row['phone']).toBe(expected[row['phone']!])
  })

  it('registry status shows the legacy version for every other area code', async () => {
    const st = await s.registry.status()
    const us = st.registries.find((r) => r.registry === 'us-national')!
    expect(us.ranges.find((r) => r.scope === 'other-area-codes')).toMatchObject({ version: 'reg_legacy', asOf: '2026-11-20' })
    expect(us.uncovered).toEqual([])
  })
})
