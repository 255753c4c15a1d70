import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, queryRows, type Installation } from '../support/cli.js'
import { openData } from '../support/open-data.js'
import { requestContext } from '../../src/app/context.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import { STAGE_ABANDONED_MS } from '../../src/app/services/registry.js'

const AT = '2026-12-01T18:00:00Z'

/**
 * ADR 0015: an import that dies after staging its version (before the atomic switch) leaves a
 * staged version nothing reads — `check` answers from the versions in force, `registry status`
 * does not list it, `audit verify` passes — and the next import discards it once abandoned, as an
 * audited deletion that `audit verify` accepts (its data key destroyed, its blocks and row gone).
 */
describe.each(dialects())('a staged registry version left by an import that died (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  let staged: string
  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    writeFileSync(join(dir, 'old.txt'), '201,2000001\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'old.txt'), '--as-of', '2026-11-20', '--full')
    // the new version lists 305-555-0001
    const lines = ['305,5550001']
    for (let a = 0; a < 200; a++) lines.push(`${[201, 202, 203, 205, 206, 207, 208, 209, 210, 212][a % 10]},${2000100 + a}`)
    writeFileSync(join(dir, 'new.txt'), lines.join('\n') + '\n')
    const app = await openData(dw.dataDir, dw.env, 'existing')
    try {
      // the process dies at the switch: everything is staged, nothing switched
      app.infra.repos.registries.activate = async () => {
        throw new Error('killed before the switch')
      }
      await expect(app.registry.import(requestContext('cli:test', 'admin'), { registry: parseRegistryId('us-national')!, file: join(dir, 'new.txt'), asOf: Date.parse('2026-11-25'), skipInvalid: false, full: true })).rejects.toThrow('killed before the switch')
    } finally {
      await app.close()
    }
    const rows = await queryRows<{ id: string }>(dw, "SELECT id FROM registry_versions WHERE registry = 'staged:us-national'")
    expect(rows).toHaveLength(1)
    staged = rows[0]!.id
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('is invisible: check answers from the version in force, status does not list it, audit verify passes', async () => {
    expect(Number((await queryRows<{ n: number }>(dw, `SELECT count(*) AS n FROM registry_pages WHERE version_id = '${staged}'`))[0]!.n)).toBeGreaterThan(0)
    expect((await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', '+13055550001', '--at', AT)).verdict).toBe('allow')
    expect((await dw.run('registry', 'status')).stdout).not.toContain(staged)
    const v = await dw.run('audit', 'verify')
    expect(v.code, v.stderr).toBe(0)
  })

  it('is kept by an import while it may still be under way, then discarded once abandoned, audited, and audit verify passes', async () => {
    writeFileSync(join(dir, 'other.txt'), '202,2000001\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'other.txt'), '--as-of', '2026-11-21', '--area-codes', '202')
    expect(await queryRows(dw, `SELECT id FROM registry_versions WHERE id = '${staged}'`)).toHaveLength(1)
    const app = await openData(dw.dataDir, dw.env, 'existing')
    let keyId: string
    try {
      keyId = (await app.infra.repos.registries.staged(app.db)).find((s) => s.id === staged)!.keyId
      expect(await app.registry.discardAbandoned(requestContext('cli:test', 'admin'), app.now() + STAGE_ABANDONED_MS + 1)).toEqual([staged])
    } finally {
      await app.close()
    }
    expect(await queryRows(dw, `SELECT id FROM registry_versions WHERE id = '${staged}'`)).toEqual([])
    expect(Number((await queryRows<{ n: number }>(dw, `SELECT count(*) AS n FROM registry_pages WHERE version_id = '${staged}'`))[0]!.n)).toBe(0)
    expect(await queryRows<{ wrapped: unknown }>(dw, `SELECT wrapped FROM data_keys WHERE id = '${keyId}'`)).toEqual([{ wrapped: null }])
    expect((await queryRows<{ action: string }>(dw, "SELECT action FROM audit_log WHERE action = 'registry.discard'")).length).toBeGreaterThan(0)
    const v = await dw.run('audit', 'verify')
    expect(v.code, v.stderr).toBe(0)
    // the versions in force are untouched; a new import of the file then switches in
    expect((await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', '+13055550001', '--at', AT)).verdict).toBe('allow')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'new.txt'), '--as-of', '2026-11-25', '--full')
    expect((await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', '+13055550001', '--at', AT)).verdict).toBe('block')
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  })
})
