import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { dialects, installation, rowCounts, type Installation } from '../support/cli.js'
import { zipOf } from '../support/zip.js'

const AT = '2026-12-01T18:00:00Z' // 13:00 in Miami and Toronto, 10:00 in San Francisco, 14:30 in St. John's

interface Check {
  verdict: string
  reasons: Array<{ code: string; message: string }>
}
interface Imported {
  id: string
  kind: string
  numbers: number
  lines: number
  duplicates: number
  skipped: number
  full: boolean
  areaCodes: string[]
  added: number
  removed: number
  changes: { adds: number; deletes: number; addsOfListed: number; deletesOfUnlisted: number } | null
  entries: Array<{ name: string; format: string; records: number }>
  contentSha256: string
  unchanged: boolean
}
interface Status {
  fresh: boolean
  registries: Array<{
    registry: string
    fresh: boolean
    uncovered: string[]
    ranges: Array<{ scope: string; first: string | null; last: string | null; areaCodes: string[]; version: string; asOf: string; ageDays: number; fresh: boolean; numbers: number }>
  }>
}

/**
 * CONTRACT "Registry coverage" and issue 9: versions cover area codes; importing one area code
 * replaces that one only; freshness per area code; refusals keep the previous version; every
 * delivered format; change lists applied to the version in force. On both databases.
 */
describe.each(dialects())('registry coverage, formats and change lists (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  let n = 0
  const file = (content: string | Uint8Array, name = `f${n++}.txt`): string => {
    const p = join(dir, name)
    writeFileSync(p, content)
    return p
  }
  const check = (phone: string, at = AT): Promise<Check> => dw.json<Check>('check', '--campaign', 'mm', '--phone', phone, '--at', at)
  const codes = async (phone: string, at = AT): Promise<string[]> => (await check(phone, at)).reasons.map((r) => r.code).sort()
  const imp = (registry: string, path: string, asOf: string, ...extra: string[]): Promise<Imported> =>
    dw.json<Imported>('registry', 'import', '--registry', registry, '--file', path, '--as-of', asOf, ...extra)

  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    await dw.ok('campaign', 'add', '--id', 'mm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('a version covers the area codes in its file; importing one area code replaces that one only', async () => {
    const a = await imp('us-national', file('areacode,number\n305,2000001\n3052000002\n305,2000002\n'), '2026-11-20')
    expect(a).toMatchObject({ kind: 'list', numbers: 2, duplicates: 1, full: false, areaCodes: ['305'], added: 2, removed: 0 })
    expect(await codes('+13052000001')).toEqual(['NATIONAL_DNC'])
    expect((await check('+13052000009')).verdict).toBe('allow')
    // no version covers 786 yet: stale, and the message names the area code
    const stale = await check('+17862000001')
    expect(stale.reasons.map((r) => r.code)).toEqual(['REGISTRY_STALE'])
    expect(stale.reasons[0]!.message).toMatch(/786/)

    await imp('us-national', file('786,2000001\n'), '2026-11-21')
    expect(await codes('+17862000001')).toEqual(['NATIONAL_DNC'])
    expect(await codes('+13052000001')).toEqual(['NATIONAL_DNC'])

    // a new 305 list replaces 305 only; 786 keeps its version
    const b = await imp('us-national', file('305,2000003\n'), '2026-11-22')
    expect(b).toMatchObject({ numbers: 1, areaCodes: ['305'], added: 1, removed: 2 })
    expect((await check('+13052000001')).verdict).toBe('allow')
    expect(await codes('+13052000003')).toEqual(['NATIONAL_DNC'])
    expect(await codes('+17862000001')).toEqual(['NATIONAL_DNC'])
  })

  it('--area-codes names what a version covers, even with no listed number; a number of another area code is refused', async () => {
    expect(await codes('+12122000001')).toEqual(['REGISTRY_STALE'])
    const r = await imp('us-national', file('areacode,number\n'), '2026-11-23', '--area-codes', '212')
    expect(r).toMatchObject({ numbers: 0, areaCodes: ['212'] })
    expect((await check('+12122000001')).verdict).toBe('allow')
    const before = await rowCounts(dw)
    const bad = await dw.run('registry', 'import', '--registry', 'us-national', '--file', file('212,2000001\n786,2000009\n'), '--as-of', '2026-11-24', '--area-codes', '212')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/line 2.*786/)
    expect(await rowCounts(dw)).toEqual(before)
    expect((await dw.run('registry', 'import', '--registry', 'us-national', '--file', file('212,2000001\n'), '--as-of', '2026-11-24', '--area-codes', '21x')).code).toBe(2)
  })

  it('freshness is judged per area code: an old version of one area code is REGISTRY_STALE naming it', async () => {
    await imp('us-national', file('415,2000001\n'), '2026-10-01')
    const r = await check('+14152000009')
    expect(r.reasons.map((x) => x.code)).toEqual(['REGISTRY_STALE'])
    expect(r.reasons[0]!.message).toMatch(/415/)
    expect(r.reasons[0]!.message).toMatch(/2026-10-01/)
    expect((await check('+13052000009')).verdict).toBe('allow')
  })

  it('refuses an import that covers nothing, a future as-of date, a malformed line, N11 and unassigned numbers; the versions in force stay', async () => {
    const before = await rowCounts(dw)
    const refused = async (args: string[], mentions: RegExp): Promise<void> => {
      const r = await dw.run('registry', 'import', '--registry', 'us-national', ...args)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(mentions)
    }
    await refused(['--file', file(''), '--as-of', '2026-11-25'], /covers nothing/)
    await refused(['--file', file('phone\n\n'), '--as-of', '2026-11-25'], /covers nothing/)
    await refused(['--file', file(''), '--as-of', '2026-11-25', '--full'], /no number/)
    await refused(['--file', file('305,2000004\n'), '--as-of', '2199-01-01'], /--as-of.*future/)
    await refused(['--file', file('305,2000004\n305,2110004\n'), '--as-of', '2026-11-25'], /line 2: exchange code is an N11 service code/)
    await refused(['--file', file('305,2000004\n3702000004\n'), '--as-of', '2026-11-25'], /line 2: area code is not assigned/)
    await refused(['--file', file('305,2000004\n305-200-0005\n'), '--as-of', '2026-11-25'], /line 2/)
    await refused(['--file', file('305,2000004\n'), '--as-of', '2026-11-25', '--full', '--area-codes', '305'], /--area-codes/)
    expect(await rowCounts(dw)).toEqual(before)
    expect(await codes('+13052000003')).toEqual(['NATIONAL_DNC'])
    expect((await check('+13052000004')).verdict).toBe('allow')
    // --skip-invalid skips and counts them
    const skipped = await imp('us-state-TX', file('2142000001\n2142110001\n3702000001\n'), '2026-11-25', '--skip-invalid')
    expect(skipped).toMatchObject({ numbers: 1, skipped: 2 })
  })

  it('--full: the whole registry, every area code it lacks having no listed number', async () => {
    expect(await codes('+16042000001')).toEqual(['REGISTRY_STALE'])
    const r = await imp('ca-national', file(gzipSync('416,2000001\n416,2000002\n')), '2026-11-25', '--full')
    expect(r).toMatchObject({ full: true, numbers: 2 })
    expect(await codes('+14162000001')).toEqual(['NATIONAL_DNC'])
    expect((await check('+16042000001')).verdict).toBe('allow')
    // a later list of one area code takes over that one only
    await imp('ca-national', file('416,2000003\n'), '2026-11-26')
    expect((await check('+14162000001')).verdict).toBe('allow')
    expect(await codes('+14162000003')).toEqual(['NATIONAL_DNC'])
    expect((await check('+16042000001')).verdict).toBe('allow')
  })

  it('reads CRTC XML, ZIP files with many entries (each reported), UK TPS and state lists', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<list type="full" level="ac">\n  <ac val="709">\n    <ph val="2000004"/>\n    <ph val="2000005"/>\n  </ac>\n  <ac val="867"></ac>\n</list>\n'
    const x = await imp('ca-national', file(xml, 'ca.xml'), '2026-11-27')
    expect(x).toMatchObject({ numbers: 2, areaCodes: ['709', '867'], entries: [{ name: 'ca.xml', format: 'crtc-xml', records: 2 }] })
    expect(await codes('+17092000004')).toEqual(['NATIONAL_DNC'])
    // 867 is covered with no number: fresh, not listed
    expect((await check('+18672000001')).verdict).toBe('allow')
    const bad = await dw.run('registry', 'import', '--registry', 'ca-national', '--file', file('<list type="full">\n<ac val="709">\n<ph val="211000"/>\n</ac>\n</list>\n', 'bad.xml'), '--as-of', '2026-11-27')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/line 3/)

    const zip = zipOf([
      { name: 'DNC_250.txt', text: '250,2000001\n250,2000002\n' },
      { name: 'DNC_306.csv', text: '3062000001\n', store: true },
      { name: 'DNC_902.xml', text: '<list type="full" level="ac" val="902"><ac val="902"><ph val="2000009"/></ac></list>' },
    ])
    const z = await imp('ca-national', file(zip, 'ca.zip'), '2026-11-27')
    expect(z.entries.map((e) => [e.name, e.format, e.records])).toEqual([
      ['DNC_250.txt', 'flat', 2],
      ['DNC_306.csv', 'flat', 1],
      ['DNC_902.xml', 'crtc-xml', 1],
    ])
    expect(z).toMatchObject({ numbers: 4, areaCodes: ['250', '306', '902'] })
    expect(await codes('+12502000002')).toEqual(['NATIONAL_DNC'])
    expect(await codes('+19022000009')).toEqual(['NATIONAL_DNC'])

    const uk = await imp('uk-tps', file('phone\n020 7946 0018\n+447700900123\n'), '2026-11-25')
    expect(uk).toMatchObject({ numbers: 2, full: true, areaCodes: [] })
    expect(await codes('+442079460018')).toEqual(['NATIONAL_DNC'])
    expect((await dw.run('registry', 'import', '--registry', 'uk-tps', '--file', file('02079460019\n'), '--as-of', '2026-11-25', '--area-codes', '305')).code).toBe(2)

    await imp('us-state-FL', file('305,2000008\n'), '2026-11-20', '--full')
    expect(await codes('+13052000008')).toEqual(['STATE_DNC'])
  })

  it('applies a change list to the version in force as a new version; a delete of an unlisted number is counted', async () => {
    const c = await imp('us-national', file('areacode,number,action,date\n786,2000001,D,2026-11-24\n786,2000002,A,2026-11-24\n786,2000003,D,2026-11-24\n'), '2026-11-25')
    expect(c).toMatchObject({ kind: 'changes', areaCodes: ['786'], numbers: 1, added: 1, removed: 1, changes: { adds: 1, deletes: 2, addsOfListed: 0, deletesOfUnlisted: 1 } })
    expect((await check('+17862000001')).verdict).toBe('allow')
    expect(await codes('+17862000002')).toEqual(['NATIONAL_DNC'])
    // other area codes keep their versions
    expect(await codes('+13052000003')).toEqual(['NATIONAL_DNC'])
    // before its as-of date the earlier version is in force
    expect(await codes('+17862000001', '2026-11-24T18:00:00Z')).toEqual(['NATIONAL_DNC'])
    // a change list needs a version to change
    const before = await rowCounts(dw)
    const none = await dw.run('registry', 'import', '--registry', 'us-national', '--file', file('503,2000001,A\n'), '--as-of', '2026-11-25')
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/area code 503/)
    // --changes with numbers that carry no marker is refused
    expect((await dw.run('registry', 'import', '--registry', 'us-national', '--file', file('786,2000005\n'), '--as-of', '2026-11-25', '--changes')).code).toBe(2)
    expect(await rowCounts(dw)).toEqual(before)
    // an empty change list for a named area code brings its as-of date forward, listings unchanged
    const empty = await imp('us-national', file('areacode,number,action\n'), '2026-11-26', '--changes', '--area-codes', '415')
    expect(empty).toMatchObject({ kind: 'changes', numbers: 1, added: 0, removed: 0 })
    expect(await codes('+14152000001')).toEqual(['NATIONAL_DNC'])
    expect((await check('+14152000009')).verdict).toBe('allow')
  })

  it('registry status: per registry and area-code range, the version in force, as-of date, age, freshness today and numbers', async () => {
    const s = await dw.json<Status>('registry', 'status')
    const us = s.registries.find((r) => r.registry === 'us-national')!
    const byFirst = new Map(us.ranges.map((r) => [r.first, r]))
    expect(byFirst.get('212')).toMatchObject({ scope: 'area-codes', asOf: '2026-11-23', numbers: 0 })
    expect(byFirst.get('305')).toMatchObject({ asOf: '2026-11-22', numbers: 1 })
    expect(byFirst.get('415')).toMatchObject({ asOf: '2026-11-26', numbers: 1 })
    expect(byFirst.get('786')).toMatchObject({ asOf: '2026-11-25', numbers: 1 })
    for (const r of us.ranges) {
      expect(r.ageDays).toBeGreaterThanOrEqual(0)
      expect(r.fresh).toBe(r.ageDays <= 31)
    }
    // area codes no version covers are listed: calls to them are stale
    expect(us.uncovered).toContain('201')
    expect(us.uncovered).not.toContain('305')
    expect(us.fresh).toBe(false)
    const ca = s.registries.find((r) => r.registry === 'ca-national')!
    expect(ca.ranges.some((r) => r.scope === 'other-area-codes')).toBe(true)
    expect(ca.uncovered).toEqual([])
    const uk = s.registries.find((r) => r.registry === 'uk-tps')!
    expect(uk.ranges).toMatchObject([{ scope: 'whole-registry', numbers: 2 }])
    const human = await dw.run('registry', 'status')
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/us-national/)
    expect(human.stdout).toMatch(/area code 212/)
  })

  it('importing the same content with the same as-of date again (a lost reply, a job run twice) stores nothing and names the version it repeats', async () => {
    const list = file('602,2000001\n602,2000002\n')
    const first = await imp('us-national', list, '2026-11-27')
    expect(first).toMatchObject({ numbers: 2, areaCodes: ['602'], unchanged: false })
    const before = await rowCounts(dw)
    const again = await imp('us-national', list, '2026-11-27')
    expect(again).toMatchObject({ id: first.id, numbers: 2, areaCodes: ['602'], added: 0, removed: 0, unchanged: true, contentSha256: first.contentSha256 })
    expect(await rowCounts(dw)).toEqual(before)
    const human = await dw.run('registry', 'import', '--registry', 'us-national', '--file', list, '--as-of', '2026-11-27')
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/unchanged.*nothing stored/)
    // a later as-of date is a refresh, not a repeat: a new version, fresher
    const later = await imp('us-national', list, '2026-11-28')
    expect(later).toMatchObject({ unchanged: false })
    expect(later.id).not.toBe(first.id)
    // once another list of the same date replaced it, the first content is an import again (it wins the tie)
    const other = await imp('us-national', file('602,2000003\n'), '2026-11-28')
    expect(await codes('+16022000001')).toEqual([])
    const back = await imp('us-national', list, '2026-11-28')
    expect(back).toMatchObject({ unchanged: false })
    expect([first.id, later.id, other.id]).not.toContain(back.id)
    expect(await codes('+16022000001')).toEqual(['NATIONAL_DNC'])
  })
})
