import { packFingerprint } from './pack-fingerprint.js'
import type { JurisdictionRule, RulePack } from './rule-pack.js'

/**
 * The default rule pack: every calling-time, day, holiday, frequency, emergency and
 * abandonment rule of `../shared/reference/rules.md` tables (a)–(d) whose confidence is P or S
 * (U rows are left out). Research summary, not legal advice.
 *
 * Purposes: statutes speak of telephone solicitation / telemarketing, but Dialward applies
 * calling windows and restricted days to informational calls too (the conservative reading; an
 * operator pack may narrow an entry to `['marketing']`). A frequency cap is a telemarketing rule
 * whatever its entry's purposes: it applies to and counts marketing calls only (CONTRACT
 * "Frequency caps"). The declared-emergency ban is marketing only, so emergency and service
 * calls still go through.
 */

/** Bump by hand on any data change (the fingerprint in the version changes by itself anyway). */
const SEMVER = '1.1.0'
/** The pinned date-holidays version the holiday bans are computed with. */
const DATE_HOLIDAYS = '3.37.0'

const ALL = ['marketing', 'informational'] as const
const S16 = 'state tables, dropcowboy.com/state-compliance; usestello.com/compliance'

const ENTRIES: readonly JurisdictionRule[] = [
  // (a) US federal
  { id: 'US', appliesTo: { country: 'US' }, purposes: ALL, window: { daily: ['08:00', '21:00'] },
    source: '47 CFR 64.1200(c)(1); 16 CFR 310.4(c)', confidence: 'S',
    note: 'Local time of the called party.' },
  { id: 'US-abandonment', appliesTo: { country: 'US' }, purposes: ALL, dialing: ['autodialed', 'prerecorded'],
    abandonmentCap: { maxPercent: 3, periodHours: 720 },
    source: '47 CFR 64.1200(a)(7); 16 CFR 310.4(b)(4)(i)', confidence: 'S',
    note: 'Per campaign per 30-day period (or the whole campaign if shorter).' },
  // (b) US states
  { id: 'US-FL', appliesTo: { country: 'US', region: 'FL' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    frequencyCap: { calls: 3, perHours: 24 }, source: 'Fla. Stat. 501.616(6)', confidence: 'P/S',
    note: 'Cap is per subject matter from any number; counted here per seller, marketing calls only, over (at - 24 h, at]. The FDACS site still says 21:00; the stricter 20:00 is used.' },
  { id: 'US-OK', appliesTo: { country: 'US', region: 'OK' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    frequencyCap: { calls: 3, perHours: 24 }, source: '15 O.S. 775C (HB 3168)', confidence: 'S' },
  { id: 'US-MD', appliesTo: { country: 'US', region: 'MD' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    frequencyCap: { calls: 3, perHours: 24 }, source: 'Md. SB 90 (2023)', confidence: 'S',
    note: 'Cap counts calls or texts.' },
  { id: 'US-CT', appliesTo: { country: 'US', region: 'CT' }, purposes: ALL, window: { daily: ['09:00', '20:00'] },
    source: 'CGS 42-288a (SB 1058)', confidence: 'S' },
  { id: 'US-WA', appliesTo: { country: 'US', region: 'WA' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    source: 'RCW 80.36.390', confidence: 'S' },
  { id: 'US-VA', appliesTo: { country: 'US', region: 'VA' }, purposes: ALL, window: { daily: ['08:00', '21:00'] },
    source: 'Va. Code 59.1-511/-513.1/-514', confidence: 'P' },
  { id: 'US-AL', appliesTo: { country: 'US', region: 'AL' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    bannedDays: ['sunday'], holidayBan: { country: 'US', region: 'AL' },
    source: 'Ala. Admin. Code 770-X-5-.17', confidence: 'P',
    note: 'The rule covers automated solicitation calls; applied to every call (conservative).' },
  { id: 'US-LA', appliesTo: { country: 'US', region: 'LA' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    bannedDays: ['sunday'], holidayBan: { country: 'US', region: 'LA' },
    source: 'La. PSC Order R-29617; La. R.S. 45:844.31', confidence: 'S',
    note: 'Mon-Sat 08:00-20:00, no Sundays; PSC holidays approximated by the date-holidays US-LA public holidays.' },
  { id: 'US-LA-emergency', appliesTo: { country: 'US', region: 'LA' }, purposes: ['marketing'], emergencyBan: true,
    source: 'La. PSC Order R-29617; La. R.S. 45:844.31', confidence: 'S',
    note: 'Operator flag US-LA in flags.emergencies while a state of emergency is declared.' },
  { id: 'US-MS', appliesTo: { country: 'US', region: 'MS' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    fixedZone: 'Etc/GMT+6', bannedDays: ['sunday'], source: 'Miss. Code 77-3-723', confidence: 'P',
    note: '"8:00 a.m. and 8:00 p.m. Central Standard Time": checked in fixed CST (UTC-6) and in the callee\'s zones. Holiday ban dropped 2023-24.' },
  { id: 'US-RI', appliesTo: { country: 'US', region: 'RI' }, purposes: ALL,
    window: { weekdays: ['09:00', '18:00'], saturday: ['10:00', '17:00'] },
    bannedDays: ['sunday'], holidayBan: { country: 'US', region: 'RI' },
    source: 'RIGL 5-61-2, 5-61-3.6', confidence: 'P' },
  { id: 'US-UT', appliesTo: { country: 'US', region: 'UT' }, purposes: ALL, window: { daily: ['08:00', '21:00'] },
    bannedDays: ['sunday'], holidayBan: { country: 'US', region: 'UT' },
    source: 'Utah Code 13-25a-103', confidence: 'P',
    note: 'Sunday/holiday ban applies without consent; the consent exception is not modelled (conservative).' },
  { id: 'US-PA', appliesTo: { country: 'US', region: 'PA' }, purposes: ALL,
    holidayBan: { country: 'US', region: 'PA', extra: [
      { rule: 'easter -2', name: 'Good Friday' },
      { rule: 'tuesday after 1st monday in November', name: 'Election Day' },
    ] },
    source: '73 P.S. 2245, 2245.2', confidence: 'P/S',
    note: 'Legal holidays (13 listed incl. Good Friday, Flag Day, Election Day); calling window unconfirmed (U), federal applies.' },
  { id: 'US-KY', appliesTo: { country: 'US', region: 'KY' }, purposes: ALL, window: { daily: ['10:00', '21:00'] },
    source: 'KRS 367.461', confidence: 'P/S',
    note: 'Autodialer calls 08:00-21:00 per KRS 367.461; the stricter 10:00-21:00 of [S16] is used for all calls.' },
  { id: 'US-MA', appliesTo: { country: 'US', region: 'MA' }, purposes: ALL, window: { daily: ['08:00', '20:00'] },
    source: 'M.G.L. c.159C', confidence: 'S' },
  { id: 'US-MI', appliesTo: { country: 'US', region: 'MI' }, purposes: ALL, window: { daily: ['09:00', '21:00'] },
    source: S16, confidence: 'S' },
  { id: 'US-MN', appliesTo: { country: 'US', region: 'MN' }, purposes: ALL, window: { daily: ['09:00', '21:00'] },
    source: S16, confidence: 'S' },
  { id: 'US-NM', appliesTo: { country: 'US', region: 'NM' }, purposes: ALL, window: { daily: ['09:00', '20:00'] },
    source: S16, confidence: 'S',
    note: 'The table row "MI, MN, NM / NV" is ambiguous for NM (09:00-21:00 or 09:00-20:00); the stricter is used.' },
  { id: 'US-NV', appliesTo: { country: 'US', region: 'NV' }, purposes: ALL, window: { daily: ['09:00', '20:00'] },
    source: S16, confidence: 'S' },
  // (c) Canada
  { id: 'CA', appliesTo: { country: 'CA' }, purposes: ALL,
    window: { weekdays: ['09:00', '21:30'], saturday: ['10:00', '18:00'], sunday: ['10:00', '18:00'] },
    source: 'CRTC Unsolicited Telecommunications Rules, Part III', confidence: 'S',
    note: 'Called party\'s local time.' },
  { id: 'CA-abandonment', appliesTo: { country: 'CA' }, purposes: ALL, dialing: ['autodialed', 'prerecorded'],
    abandonmentCap: { maxPercent: 5, periodHours: 720 }, source: 'CRTC Unsolicited Telecommunications Rules (abandoned calls)', confidence: 'S',
    note: 'Per campaign over 30 days (CONTRACT "Abandonment"; the CRTC text leaves the period unconfirmed, U).' },
  // (d) United Kingdom: no calling window in rules.md; only the abandoned-call rate.
  { id: 'GB-abandonment', appliesTo: { country: 'GB' }, purposes: ALL, dialing: ['autodialed', 'prerecorded'],
    abandonmentCap: { maxPercent: 3, periodHours: 24 }, source: 'Ofcom persistent-misuse policy (abandoned calls)', confidence: 'S',
    note: 'Since 1 Mar 2017 Ofcom treats 3% as prioritisation; kept as the default, flagged uncertain.' },
]

/** Version of the default pack: semver + date-holidays version + content fingerprint. */
export const DEFAULT_PACK_VERSION = `${SEMVER}+date-holidays.${DATE_HOLIDAYS}.${packFingerprint(ENTRIES)}`

/** The default pack (see the module comment for scope and purpose decisions). */
export const DEFAULT_PACK: RulePack = { name: 'dialward-default', version: DEFAULT_PACK_VERSION, entries: ENTRIES }
