import { DIALING_MODES, PURPOSES } from '../gate/campaign.js'
import { isKnownHolidayRegion, isValidHolidayRule } from './holiday-calendar.js'
import { isKnownZone } from './local-time.js'
import { DAY_NAMES, parseTimeOfDay, type RulePack } from './rule-pack.js'

/** Result of `validatePack`: the pack, or every error found (each `path: what is wrong`). */
export type PackValidation = { readonly ok: true; readonly pack: RulePack } | { readonly ok: false; readonly errors: string[] }

const ENTRY_KEYS = [
  'id', 'appliesTo', 'purposes', 'dialing', 'window', 'fixedZone', 'bannedDays', 'holidayBan',
  'frequencyCap', 'emergencyBan', 'abandonmentCap', 'source', 'confidence', 'note',
]
const EFFECT_KEYS = ['window', 'bannedDays', 'holidayBan', 'frequencyCap', 'emergencyBan', 'abandonmentCap']
const CONFIDENCES = ['P', 'S', 'P/S', 'operator']
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const COUNTRY = /^[A-Z]{2}$/
const REGION = /^[A-Z0-9]{1,3}$/

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v))

/**
 * Validates an operator rule pack (parsed JSON) and reports every error at once, each as
 * `path: problem` (e.g. `entries[2].window.weekdays[1]: expected 'HH:MM' or minutes 0-1440, got "25:00"`).
 * Unknown keys are errors, so a misspelt field never silently drops a rule.
 *
 * @example validatePack(JSON.parse(text)) // { ok: true, pack } | { ok: false, errors }
 */
export function validatePack(json: unknown): PackValidation {
  const errors: string[] = []
  const err = (path: string, msg: string): void => void errors.push(`${path}: ${msg}`)
  if (!isObj(json)) return { ok: false, errors: ['(root): expected an object { name, version, entries }'] }
  unknownKeys(json, ['name', 'version', 'entries'], '', err)
  for (const k of ['name', 'version'] as const) {
    if (typeof json[k] !== 'string' || (json[k] as string).trim() === '') err(k, `expected a non-empty string, got ${show(json[k])}`)
  }
  if (!Array.isArray(json['entries'])) err('entries', `expected an array, got ${show(json['entries'])}`)
  else {
    const seen = new Set<string>()
    json['entries'].forEach((entry, i) => checkEntry(entry, `entries[${i}]`, seen, err))
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, pack: JSON.parse(JSON.stringify(json)) as RulePack }
}

type Err = (path: string, msg: string) => void

function unknownKeys(o: Obj, allowed: readonly string[], path: string, err: Err): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) err(path ? `${path}.${k}` : k, 'unknown field')
}

function checkEntry(e: unknown, p: string, seen: Set<string>, err: Err): void {
  if (!isObj(e)) return err(p, `expected an object, got ${show(e)}`)
  unknownKeys(e, ENTRY_KEYS, p, err)
  if (typeof e['id'] !== 'string' || !ID.test(e['id'])) err(`${p}.id`, `expected an id like "US-FL" (letters, digits, . _ -), got ${show(e['id'])}`)
  else if (seen.has(e['id'])) err(`${p}.id`, `duplicate id "${e['id']}"`)
  else seen.add(e['id'])
  const at = e['appliesTo']
  if (!isObj(at)) err(`${p}.appliesTo`, `expected { country, region? }, got ${show(at)}`)
  else {
    unknownKeys(at, ['country', 'region'], `${p}.appliesTo`, err)
    if (typeof at['country'] !== 'string' || !COUNTRY.test(at['country'])) err(`${p}.appliesTo.country`, `expected an ISO 3166-1 alpha-2 code like "US", got ${show(at['country'])}`)
    if (at['region'] !== undefined && (typeof at['region'] !== 'string' || !REGION.test(at['region']))) err(`${p}.appliesTo.region`, `expected a region code like "FL", got ${show(at['region'])}`)
  }
  checkList(e['purposes'], PURPOSES, `${p}.purposes`, err)
  checkList(e['dialing'], DIALING_MODES, `${p}.dialing`, err)
  checkList(e['bannedDays'], DAY_NAMES, `${p}.bannedDays`, err)
  if (e['window'] !== undefined) checkWindow(e['window'], `${p}.window`, err)
  if (e['fixedZone'] !== undefined && (typeof e['fixedZone'] !== 'string' || !isKnownZone(e['fixedZone']))) err(`${p}.fixedZone`, `expected an IANA time zone such as "Etc/GMT+6", got ${show(e['fixedZone'])}`)
  if (e['holidayBan'] !== undefined) checkHolidays(e['holidayBan'], `${p}.holidayBan`, err)
  if (e['frequencyCap'] !== undefined) {
    const c = e['frequencyCap']
    if (!isObj(c)) err(`${p}.frequencyCap`, `expected { calls, perHours }, got ${show(c)}`)
    else {
      unknownKeys(c, ['calls', 'perHours'], `${p}.frequencyCap`, err)
      if (!isPositiveInt(c['calls'])) err(`${p}.frequencyCap.calls`, `expected a positive integer, got ${show(c['calls'])}`)
      if (!isPositive(c['perHours'])) err(`${p}.frequencyCap.perHours`, `expected a positive number of hours, got ${show(c['perHours'])}`)
    }
  }
  if (e['emergencyBan'] !== undefined && e['emergencyBan'] !== true) err(`${p}.emergencyBan`, `expected true (or leave it out), got ${show(e['emergencyBan'])}`)
  if (e['abandonmentCap'] !== undefined) {
    const c = e['abandonmentCap']
    if (!isObj(c)) err(`${p}.abandonmentCap`, `expected { maxPercent, periodHours? }, got ${show(c)}`)
    else {
      unknownKeys(c, ['maxPercent', 'periodHours'], `${p}.abandonmentCap`, err)
      if (typeof c['maxPercent'] !== 'number' || !(c['maxPercent'] >= 0 && c['maxPercent'] <= 100)) err(`${p}.abandonmentCap.maxPercent`, `expected a percentage 0-100, got ${show(c['maxPercent'])}`)
      if (c['periodHours'] !== undefined && !isPositive(c['periodHours'])) err(`${p}.abandonmentCap.periodHours`, `expected a positive number of hours, got ${show(c['periodHours'])}`)
    }
  }
  if (typeof e['source'] !== 'string' || e['source'].trim() === '') err(`${p}.source`, `expected a citation string, got ${show(e['source'])}`)
  if (!CONFIDENCES.includes(e['confidence'] as string)) err(`${p}.confidence`, `expected one of ${CONFIDENCES.join(', ')}, got ${show(e['confidence'])}`)
  if (e['note'] !== undefined && typeof e['note'] !== 'string') err(`${p}.note`, `expected a string, got ${show(e['note'])}`)
  if (!EFFECT_KEYS.some((k) => e[k] !== undefined)) err(p, `has no rule: give at least one of ${EFFECT_KEYS.join(', ')}`)
}

function checkList(v: unknown, allowed: readonly string[], p: string, err: Err): void {
  if (v === undefined) return
  if (!Array.isArray(v) || v.length === 0) return err(p, `expected a non-empty array of ${allowed.join('|')}, got ${show(v)}`)
  v.forEach((x, i) => {
    if (!allowed.includes(x as string)) err(`${p}[${i}]`, `expected one of ${allowed.join('|')}, got ${show(x)}`)
    else if (v.indexOf(x) !== i) err(`${p}[${i}]`, `duplicate ${show(x)}`)
  })
}

function checkWindow(w: unknown, p: string, err: Err): void {
  if (!isObj(w)) return err(p, `expected { daily?, weekdays?, saturday?, sunday? }, got ${show(w)}`)
  const keys = ['daily', 'weekdays', 'saturday', 'sunday']
  unknownKeys(w, keys, p, err)
  if (!keys.some((k) => w[k] !== undefined)) err(p, 'expected at least one of daily, weekdays, saturday, sunday')
  for (const k of keys) {
    const r = w[k]
    if (r === undefined) continue
    if (!Array.isArray(r) || r.length !== 2) {
      err(`${p}.${k}`, `expected [start, end], got ${show(r)}`)
      continue
    }
    const [s, e] = r.map(parseTimeOfDay)
    if (s === null) err(`${p}.${k}[0]`, `expected 'HH:MM' or minutes 0-1440, got ${show(r[0])}`)
    if (e === null) err(`${p}.${k}[1]`, `expected 'HH:MM' or minutes 0-1440, got ${show(r[1])}`)
    if (s != null && e != null && s >= e) err(`${p}.${k}`, `start ${show(r[0])} must be before end ${show(r[1])} (windows cannot span midnight)`)
  }
}

function checkHolidays(h: unknown, p: string, err: Err): void {
  if (!isObj(h)) return err(p, `expected { country, region?, extra? }, got ${show(h)}`)
  unknownKeys(h, ['country', 'region', 'extra'], p, err)
  const country = h['country']
  const region = h['region']
  if (typeof country !== 'string' || (region !== undefined && typeof region !== 'string')) {
    return err(p, `expected string country/region, got ${show(country)}/${show(region)}`)
  }
  if (!isKnownHolidayRegion(country, region)) return err(p, `date-holidays has no calendar for ${country}${region ? `-${region}` : ''}`)
  const extra = h['extra']
  if (extra === undefined) return
  if (!Array.isArray(extra)) return err(`${p}.extra`, `expected an array of { rule, name }, got ${show(extra)}`)
  extra.forEach((x, i) => {
    if (!isObj(x) || typeof x['rule'] !== 'string' || typeof x['name'] !== 'string') return err(`${p}.extra[${i}]`, `expected { rule, name }, got ${show(x)}`)
    unknownKeys(x, ['rule', 'name'], `${p}.extra[${i}]`, err)
    if (!isValidHolidayRule(country, x['rule'])) err(`${p}.extra[${i}].rule`, `date-holidays cannot parse ${show(x['rule'])}`)
  })
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0
}

function isPositive(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0
}
