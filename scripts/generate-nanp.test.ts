import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  GENERATED_PATH,
  NANP_SOURCE_FILES,
  REPO_ROOT,
  nanpDataVersion,
  readNanpSources,
  renderNanpModule,
  sharedDataDir,
} from './generate-nanp.js'

const dir = sharedDataDir()
const present = Object.values(NANP_SOURCE_FILES).every((f) => existsSync(join(dir, f)))
if (!present) {
  console.warn(
    `\n!!! NANP freshness check SKIPPED: shared data not found in ${dir}.\n` +
      '!!! Set DIALWARD_SHARED_DATA to the directory holding nanp-npa.tsv to run it.\n',
  )
}

describe.skipIf(!present)('generate-nanp', () => {
  const sources = present ? readNanpSources(dir) : { npa: '', prefixZones: '', nonGeographic: '' }

  it('committed nanp-table.generated.ts is fresh (byte-identical to a re-run)', () => {
    const committed = readFileSync(join(REPO_ROOT, GENERATED_PATH), 'utf8')
    const fresh = renderNanpModule(sources)
    expect(
      committed === fresh,
      'run `node --import tsx scripts/generate-nanp.ts` and commit the result',
    ).toBe(true)
  })

  it('is deterministic and small', () => {
    const a = renderNanpModule(sources)
    expect(renderNanpModule(sources)).toBe(a)
    expect(Buffer.byteLength(a)).toBeLessThan(200 * 1024)
  })

  it('versions the data by the inputs', () => {
    const v = nanpDataVersion(sources)
    expect(v).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(nanpDataVersion({ ...sources, nonGeographic: `${sources.nonGeographic}999\tx\n` })).not.toBe(v)
  })

  it('refuses inconsistent inputs', () => {
    const badPrefix = `${sources.prefixZones}3052\tAmerica/Denver\n`
    expect(() => renderNanpModule({ ...sources, prefixZones: badPrefix })).toThrow(/missing from NPA 305/)
    const dupNpa = `${sources.npa}305\tUS\tFL\tAmerica/New_York\tx\n`
    expect(() => renderNanpModule({ ...sources, npa: dupNpa })).toThrow(/duplicate NPA 305/)
    const badZone = sources.npa.replace('America/Phoenix', 'America/Phoenixx')
    expect(() => renderNanpModule({ ...sources, npa: badZone })).toThrow(/unknown IANA zone/)
    const geoAsNonGeo = `${sources.nonGeographic}305\tx\n`
    expect(() => renderNanpModule({ ...sources, nonGeographic: geoAsNonGeo })).toThrow(/also geographic/)
    expect(() => renderNanpModule({ ...sources, npa: sources.npa.replace('\n', '\r\n') })).toThrow(/CR/)
  })
})
