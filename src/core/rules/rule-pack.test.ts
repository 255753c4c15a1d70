import { describe, expect, it } from 'vitest'
import { DEFAULT_PACK, DEFAULT_PACK_VERSION } from './default-pack.js'
import { packFingerprint } from './pack-fingerprint.js'
import { mergePacks, parseTimeOfDay, windowByWeekday } from './rule-pack.js'
import { validatePack } from './validate-pack.js'
import { callingWindowRule } from './calling-window-rule.js'
import { compilePack } from './compiled-pack.js'
import { makeFacts, place } from '../../../test/support/gate-facts.js'

describe('default pack', () => {
  it('is valid by its own validator (operator packs use the same one)', () => {
    expect(validatePack(JSON.parse(JSON.stringify(DEFAULT_PACK)))).toEqual({ ok: true, pack: DEFAULT_PACK })
  })
  it('covers every P or S row of rules.md table (b) that has a window, days, holidays or cap, and skips U rows', () => {
    const regions = DEFAULT_PACK.entries.filter((e) => e.appliesTo.country === 'US').map((e) => e.appliesTo.region).filter(Boolean)
    for (const s of ['FL', 'OK', 'MD', 'CT', 'WA', 'VA', 'AL', 'LA', 'MS', 'RI', 'UT', 'PA', 'KY', 'MA', 'MI', 'MN', 'NM', 'NV']) expect(regions).toContain(s)
    expect(regions).not.toContain('TX')
    expect(DEFAULT_PACK.entries.every((e) => e.source.length > 0 && ['P', 'S', 'P/S'].includes(e.confidence))).toBe(true)
    expect(DEFAULT_PACK.entries.some((e) => e.appliesTo.country === 'GB' && e.window)).toBe(false)
  })
  it('version carries the date-holidays version and a fingerprint of the data', () => {
    expect(DEFAULT_PACK_VERSION).toBe(`1.1.0+date-holidays.3.37.0.${packFingerprint(DEFAULT_PACK.entries)}`)
    const changed = DEFAULT_PACK.entries.map((e) => (e.id === 'US-FL' ? { ...e, window: { daily: ['08:00', '21:00'] as const } } : e))
    expect(packFingerprint(changed)).not.toBe(packFingerprint(DEFAULT_PACK.entries))
  })
})

describe('validatePack', () => {
  it('reports every error with its path', () => {
    const r = validatePack({
      name: 'acme',
      version: '',
      entries: [
        { id: 'US-FL', appliesTo: { country: 'usa' }, window: { weekdays: ['25:00', '08:00'], friday: ['09:00', '10:00'] }, source: 'x', confidence: 'P' },
        { id: 'US-FL', appliesTo: { country: 'US', region: 'FL' }, bannedDay: ['sunday'], source: '', confidence: 'maybe' },
        { id: 'x', appliesTo: { country: 'US' }, frequencyCap: { calls: 0, perHours: -1 }, holidayBan: { country: 'US', region: 'ZZ' }, fixedZone: 'Mars/Olympus', source: 's', confidence: 'S' },
        { id: 'y', appliesTo: { country: 'US' }, holidayBan: { country: 'US', extra: [{ rule: 'not a rule', name: 'n' }] }, window: { daily: ['20:00', '08:00'] }, purposes: ['sales'], source: 's', confidence: 'S' },
      ],
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual(expect.arrayContaining([
      'version: expected a non-empty string, got ""',
      'entries[0].appliesTo.country: expected an ISO 3166-1 alpha-2 code like "US", got "usa"',
      'entries[0].window.friday: unknown field',
      "entries[0].window.weekdays[0]: expected 'HH:MM' or minutes 0-1440, got \"25:00\"",
      'entries[1].id: duplicate id "US-FL"',
      'entries[1].bannedDay: unknown field',
      'entries[1].source: expected a citation string, got ""',
      'entries[1].confidence: expected one of P, S, P/S, operator, got "maybe"',
      expect.stringMatching(/^entries\[1\]: has no rule/),
      'entries[2].frequencyCap.calls: expected a positive integer, got 0',
      'entries[2].frequencyCap.perHours: expected a positive number of hours, got -1',
      'entries[2].holidayBan: date-holidays has no calendar for US-ZZ',
      'entries[2].fixedZone: expected an IANA time zone such as "Etc/GMT+6", got "Mars/Olympus"',
      'entries[3].holidayBan.extra[0].rule: date-holidays cannot parse "not a rule"',
      'entries[3].window.daily: start "20:00" must be before end "08:00" (windows cannot span midnight)',
      'entries[3].purposes[0]: expected one of marketing|informational, got "sales"',
    ]))
    expect(r.errors).toHaveLength(16)
  })
  it('rejects non-objects', () => {
    expect(validatePack([])).toEqual({ ok: false, errors: ['(root): expected an object { name, version, entries }'] })
  })
})

describe('mergePacks', () => {
  const operator = validatePack({
    name: 'acme',
    version: '3',
    entries: [
      { id: 'US-FL', appliesTo: { country: 'US', region: 'FL' }, window: { daily: ['09:00', '19:00'] }, source: 'Acme policy over Fla. Stat. 501.616(6)', confidence: 'operator' },
      { id: 'acme-quiet', appliesTo: { country: 'US' }, window: { daily: [600, 1140] }, source: 'Acme company-wide quiet window', confidence: 'operator' },
    ],
  })
  it('overrides by id in place and appends new ids', () => {
    if (!operator.ok) throw new Error(operator.errors.join('\n'))
    const merged = mergePacks(DEFAULT_PACK, operator.pack)
    expect(merged.version).toBe(`${DEFAULT_PACK.version};acme@3`)
    expect(merged.entries.filter((e) => e.id === 'US-FL')).toHaveLength(1)
    expect(merged.entries.findIndex((e) => e.id === 'US-FL')).toBe(DEFAULT_PACK.entries.findIndex((e) => e.id === 'US-FL'))
    expect(merged.entries.at(-1)!.id).toBe('acme-quiet')
    const rule = callingWindowRule(compilePack(merged))
    const r = rule.evaluate(makeFacts([place('US', 'FL', 'America/New_York')]), Date.parse('2026-01-14T14:30:00Z')) // 09:30 EST
    expect(r.map((x) => x.rule)).toEqual(['acme-quiet calling window 10:00-19:00, Acme company-wide quiet window'])
  })
})

describe('time parsing', () => {
  it('parses HH:MM and minutes, rejects the rest', () => {
    expect(parseTimeOfDay('21:30')).toBe(1290)
    expect(parseTimeOfDay('24:00')).toBe(1440)
    expect(parseTimeOfDay(480)).toBe(480)
    expect(parseTimeOfDay('24:01')).toBeNull()
    expect(parseTimeOfDay('9:00')).toBeNull()
    expect(parseTimeOfDay(8.5)).toBeNull()
  })
  it('resolves the most specific window per day', () => {
    expect(windowByWeekday({ daily: ['08:00', '20:00'], saturday: ['10:00', '17:00'], sunday: ['12:00', '13:00'] }))
      .toEqual([[720, 780], [480, 1200], [480, 1200], [480, 1200], [480, 1200], [480, 1200], [600, 1020]])
    expect(windowByWeekday({ weekdays: ['09:00', '18:00'] })[0]).toBeNull()
  })
})
