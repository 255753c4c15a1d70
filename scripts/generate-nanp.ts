/**
 * Generates `src/core/phone/nanp-table.generated.ts` from the shared NANP data files
 * (`nanp-npa.tsv`, `nanp-prefix-zones.tsv`, `nanp-nongeographic.tsv`).
 *
 * Run: `node --import tsx scripts/generate-nanp.ts` from the repository root. The data directory is
 * `../shared/data` relative to the repository root, or env `DIALWARD_SHARED_DATA`.
 * Provenance and limits of the data: `data/nanp/PROVENANCE.md`.
 *
 * The output is a pure function of the three input files: no dates, no absolute paths, stable order.
 * `scripts/generate-nanp.test.ts` re-runs it and asserts the committed file is byte-identical.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The three input files, as text, exactly as read from disk. */
export interface NanpSources {
  readonly npa: string
  readonly prefixZones: string
  readonly nonGeographic: string
}

/** Input file names inside the shared data directory. */
export const NANP_SOURCE_FILES = {
  npa: 'nanp-npa.tsv',
  prefixZones: 'nanp-prefix-zones.tsv',
  nonGeographic: 'nanp-nongeographic.tsv',
} as const

/** Repository root (the parent of `scripts/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Where the generated module is written, relative to the repository root. */
export const GENERATED_PATH = 'src/core/phone/nanp-table.generated.ts'

/** The shared data directory: env `DIALWARD_SHARED_DATA`, else `../shared/data` from the repo root. */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['DIALWARD_SHARED_DATA']
  return fromEnv !== undefined && fromEnv !== ''
    ? resolve(fromEnv)
    : resolve(REPO_ROOT, '..', 'shared', 'data')
}

/** Reads the three input files from `dir`. Throws (ENOENT) when one is missing. */
export function readNanpSources(dir: string): NanpSources {
  return {
    npa: readFileSync(join(dir, NANP_SOURCE_FILES.npa), 'utf8'),
    prefixZones: readFileSync(join(dir, NANP_SOURCE_FILES.prefixZones), 'utf8'),
    nonGeographic: readFileSync(join(dir, NANP_SOURCE_FILES.nonGeographic), 'utf8'),
  }
}

interface NpaRow {
  readonly npa: number
  readonly country: string
  readonly regions: readonly string[]
  readonly zones: readonly string[]
}

interface RegionRow {
  readonly region: string
  readonly country: string
  readonly zones: readonly string[]
}

/** Splits a TSV file into rows after checking its header; rejects CR, blank lines and wrong widths. */
function parseTsv(name: string, text: string, header: readonly string[]): string[][] {
  if (text.includes('\r')) throw new Error(`${name}: CR characters found (expected LF line endings)`)
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const [head, ...body] = lines
  if (head !== header.join('\t')) throw new Error(`${name}: unexpected header ${JSON.stringify(head)}`)
  return body.map((line, i) => {
    const cols = line.split('\t')
    if (cols.length !== header.length) {
      throw new Error(`${name} line ${i + 2}: expected ${header.length} columns, got ${cols.length}`)
    }
    return cols
  })
}

function assertNpa(name: string, line: number, npa: string): number {
  if (!/^[2-9][0-9]{2}$/.test(npa)) throw new Error(`${name} line ${line}: bad NPA ${JSON.stringify(npa)}`)
  return Number(npa)
}

const knownZones = new Map<string, boolean>()

function assertZones(name: string, line: number, zones: string): string[] {
  const list = zones.split('&')
  for (const zone of list) {
    let ok = knownZones.get(zone)
    if (ok === undefined) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone })
        ok = /^[A-Za-z_]+(\/[A-Za-z_]+)+$/.test(zone)
      } catch {
        ok = false
      }
      knownZones.set(zone, ok)
    }
    if (!ok) throw new Error(`${name} line ${line}: unknown IANA zone ${JSON.stringify(zone)}`)
  }
  if (new Set(list).size !== list.length) throw new Error(`${name} line ${line}: duplicate zone`)
  return list
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort()
}

function parseNpaRows(text: string): NpaRow[] {
  const name = NANP_SOURCE_FILES.npa
  const rows = parseTsv(name, text, ['npa', 'country', 'region', 'zones', 'source'])
  const seen = new Set<number>()
  const out = rows.map(([npa, country, region, zones, source], i): NpaRow => {
    const line = i + 2
    const n = assertNpa(name, line, npa ?? '')
    if (seen.has(n)) throw new Error(`${name} line ${line}: duplicate NPA ${n}`)
    seen.add(n)
    if (!/^[A-Z]{2}$/.test(country ?? '')) throw new Error(`${name} line ${line}: bad country`)
    const regions = region === '' || region === undefined ? [] : region.split('&')
    for (const r of regions) if (!/^[A-Z]{2}$/.test(r)) throw new Error(`${name} line ${line}: bad region`)
    if ((country === 'US' || country === 'CA') !== regions.length > 0) {
      throw new Error(`${name} line ${line}: US/CA rows need a region, other countries none`)
    }
    if (source === undefined || source === '') throw new Error(`${name} line ${line}: empty source`)
    return {
      npa: n,
      country: country ?? '',
      regions,
      zones: sortedUnique(assertZones(name, line, zones ?? '')),
    }
  })
  return out.sort((a, b) => a.npa - b.npa)
}

function parsePrefixRows(text: string, npas: ReadonlyMap<number, NpaRow>): [string, string[]][] {
  const name = NANP_SOURCE_FILES.prefixZones
  const rows = parseTsv(name, text, ['prefix', 'zones'])
  const seen = new Set<string>()
  const out = rows.map(([prefix, zones], i): [string, string[]] => {
    const line = i + 2
    if (!/^[2-9][0-9]{3,5}$/.test(prefix ?? '')) throw new Error(`${name} line ${line}: bad prefix`)
    const p = prefix ?? ''
    if (seen.has(p)) throw new Error(`${name} line ${line}: duplicate prefix ${p}`)
    seen.add(p)
    const row = npas.get(Number(p.slice(0, 3)))
    if (row === undefined)
      throw new Error(`${name} line ${line}: prefix ${p} of an NPA not in ${NANP_SOURCE_FILES.npa}`)
    const list = assertZones(name, line, zones ?? '')
    // PROVENANCE: "The NPA row is always a superset of every prefix row under it." Enforce it, because
    // candidate places rely on the NPA row alone being safe.
    for (const z of list) {
      if (!row.zones.includes(z))
        throw new Error(`${name} line ${line}: zone ${z} missing from NPA ${row.npa} row`)
    }
    return [p, list]
  })
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

function parseNonGeographic(text: string, npas: ReadonlyMap<number, NpaRow>): number[] {
  const name = NANP_SOURCE_FILES.nonGeographic
  const rows = parseTsv(name, text, ['npa', 'use'])
  const out = new Set<number>()
  rows.forEach(([npa], i) => {
    const n = assertNpa(name, i + 2, npa ?? '')
    if (out.has(n)) throw new Error(`${name} line ${i + 2}: duplicate NPA ${n}`)
    if (npas.has(n)) throw new Error(`${name} line ${i + 2}: NPA ${n} is also geographic`)
    out.add(n)
  })
  return [...out].sort((a, b) => a - b)
}

/** Union of the zones of every NPA that serves a region (a multi-region NPA counts for each). */
function deriveRegions(npas: readonly NpaRow[]): RegionRow[] {
  const byRegion = new Map<string, { country: string; zones: Set<string> }>()
  for (const row of npas) {
    for (const region of row.regions) {
      let entry = byRegion.get(region)
      if (entry === undefined) {
        entry = { country: row.country, zones: new Set() }
        byRegion.set(region, entry)
      }
      if (entry.country !== row.country) throw new Error(`region ${region} appears under two countries`)
      for (const z of row.zones) entry.zones.add(z)
    }
  }
  return [...byRegion.entries()]
    .map(([region, e]) => ({ region, country: e.country, zones: sortedUnique(e.zones) }))
    .sort((a, b) => (a.region < b.region ? -1 : 1))
}

/** SHA-256 over the three inputs (name, byte length and bytes of each, in a fixed order). */
export function nanpDataVersion(sources: NanpSources): string {
  const hash = createHash('sha256')
  for (const key of ['npa', 'prefixZones', 'nonGeographic'] as const) {
    const bytes = Buffer.from(sources[key], 'utf8')
    hash.update(`${NANP_SOURCE_FILES[key]}\t${bytes.length}\n`)
    hash.update(bytes)
  }
  return `sha256:${hash.digest('hex')}`
}

const q = (s: string): string => `'${s}'`
const list = (xs: readonly string[]): string => `[${xs.map(q).join(', ')}]`

/** One array-literal row at indent 2, broken one item a line (as Prettier does) when over 110 columns. */
function row(items: readonly string[]): string {
  const flat = `  [${items.join(', ')}],`
  return flat.length <= 110 ? flat : ['  [', ...items.map((item) => `    ${item},`), '  ],'].join('\n')
}

/** Renders the generated TypeScript module. Pure: same sources, same bytes. */
export function renderNanpModule(sources: NanpSources): string {
  const npas = parseNpaRows(sources.npa)
  const byNpa = new Map(npas.map((r) => [r.npa, r]))
  const prefixes = parsePrefixRows(sources.prefixZones, byNpa)
  const nonGeographic = parseNonGeographic(sources.nonGeographic, byNpa)
  const regions = deriveRegions(npas)

  const out: string[] = []
  out.push(
    '// GENERATED FILE, DO NOT EDIT. Regenerate with `node --import tsx scripts/generate-nanp.ts`.',
    `// Inputs: ${NANP_SOURCE_FILES.npa}, ${NANP_SOURCE_FILES.prefixZones}, ${NANP_SOURCE_FILES.nonGeographic}`,
    '// (shared data directory). Provenance, derivation and limits: data/nanp/PROVENANCE.md.',
    '// Derived from google/libphonenumber (Apache-2.0, (c) The Libphonenumber Authors) and NANPA data.',
    '',
    '/** One geographic NPA: number, ISO country, regions (empty outside US/CA), every zone it may be in. */',
    'export type NanpNpaRow = readonly [',
    '  npa: number,',
    '  country: string,',
    '  regions: readonly string[],',
    '  zones: readonly string[],',
    ']',
    '',
    '/** One NPA-NXX refinement: 4-6 digit prefix (NPA + 1-3 NXX digits, no leading 1) and its zones. */',
    'export type NanpPrefixRow = readonly [prefix: string, zones: readonly string[]]',
    '',
    "/** One US state/DC/territory or Canadian province/territory: code, country, union of its NPAs' zones. */",
    'export type NanpRegionRow = readonly [region: string, country: string, zones: readonly string[]]',
    '',
    '/** SHA-256 of the three input files; stamp it on every decision that used this table. */',
    `export const NANP_DATA_VERSION = ${q(nanpDataVersion(sources))}`,
    '',
    `/** Geographic NPAs (${npas.length}), ascending. Zones are a superset ("may be in"). */`,
    'export const NANP_NPAS: readonly NanpNpaRow[] = [',
  )
  for (const r of npas) out.push(row([String(r.npa), q(r.country), list(r.regions), list(r.zones)]))
  out.push(
    ']',
    '',
    `/** Non-geographic NPAs (${nonGeographic.length}): toll-free, 5XX, 600/622/633, 700, 710, 900. */`,
    'export const NANP_NON_GEOGRAPHIC: readonly number[] = [',
  )
  // Filled to 110 columns, as Prettier fills number arrays.
  let line = ''
  for (const npa of nonGeographic) {
    const next = line === '' ? `  ${npa},` : `${line} ${npa},`
    if (next.length > 110) {
      out.push(line)
      line = `  ${npa},`
    } else line = next
  }
  if (line !== '') out.push(line)
  out.push(
    ']',
    '',
    `/** libphonenumber NPA-NXX refinements (${prefixes.length}), sorted; longest prefix wins; subset of the NPA row. */`,
    'export const NANP_PREFIX_ZONES: readonly NanpPrefixRow[] = [',
  )
  for (const [p, zones] of prefixes) out.push(row([q(p), list(zones)]))
  out.push(
    ']',
    '',
    `/** Regions (${regions.length}), sorted: zones are the union over every NPA serving the region. */`,
    'export const NANP_REGIONS: readonly NanpRegionRow[] = [',
  )
  for (const r of regions) out.push(row([q(r.region), q(r.country), list(r.zones)]))
  out.push(']', '')
  return out.join('\n')
}

function main(): void {
  const dir = sharedDataDir()
  const text = renderNanpModule(readNanpSources(dir))
  const target = join(REPO_ROOT, GENERATED_PATH)
  writeFileSync(target, text)
  process.stdout.write(`wrote ${GENERATED_PATH} (${Buffer.byteLength(text)} bytes) from ${dir}\n`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main()
