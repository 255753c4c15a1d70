import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseRegistryId } from '../../core/dnc/registry-id.js'
import { DAY, HOUR, MINUTE, addMonthsUtc } from '../../core/time/instant.js'
import { requirePhone } from '../input.js'
import type { Services } from '../compose.js'
import type { RequestContext } from '../context.js'

/** What the demo data set holds, for the start banner and the tests. */
export interface DemoSummary {
  readonly campaigns: number
  readonly consents: number
  readonly dncEntries: number
  readonly calls: number
  readonly decisions: number
  readonly receipts: number
  /** Numbers worth looking up in the dashboard, with what each shows. */
  readonly lookups: ReadonlyArray<{ readonly phone: string; readonly shows: string }>
}

/** The web-form wording a consumer agreed to (kept verbatim as evidence). */
export const DEMO_DISCLOSURE =
  'By clicking "Get my offer" I agree that Acme Retail may call and text me at the number above with marketing offers, using an autodialer or prerecorded voice. Consent is not a condition of purchase. Reply STOP to opt out.'

const ACME = 'Acme Retail'
const BOLT = 'Bolt Home Services'

/** The numbers a demo user should look up first. */
export const DEMO_NUMBERS = {
  /** Written web-form consent with TrustedForm: spring-sale calls are allowed. */
  consented: '+13052000001',
  /** Consent revoked by an SMS "STOP": blocked (CONSENT_REVOKED, INTERNAL_DNC). */
  revoked: '+13052000002',
  /** On the national registry without consent: blocked (NATIONAL_DNC, NO_CONSENT). */
  listed: '+13052000003',
  /** Asked an agent not to be called again: blocked for every seller (INTERNAL_DNC). */
  dnc: '+13052000004',
  /** Consent, then the number was reassigned: blocked (REASSIGNED_NUMBER). */
  reassigned: '+13052000005',
  /** Express (not written) consent: informational calls allowed, marketing blocked (NO_CONSENT). */
  express: '+14042000006',
} as const

/** A small deterministic generator (the demo is the same every time for the same clock). */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0
    return s / 2 ** 32
  }
}

/**
 * Fills a fresh data directory with a believable month of activity, dated relative to `now`:
 * four campaigns of two sellers; consents with their evidence (disclosure text, page, IP, user
 * agent, TrustedForm certificate); a revocation by SMS; do-not-call requests; a current and an
 * older US national registry and a Florida list gone stale; a reassigned-number result; about a
 * thousand calls (one campaign near the 3% abandonment cap, one over it); gate decisions on every
 * day of the last 30; a legal hold; and five-year-old call records — some purged now (a signed
 * receipt), some due within the next 30 days. Everything goes through the services, audited.
 */
export async function seedDemo(s: Services, ctx: RequestContext, now: number): Promise<DemoSummary> {
  const today = Math.floor(now / DAY) * DAY
  const day = (n: number, hour = 15, minute = 0): number => today - n * DAY + hour * HOUR + minute * MINUTE
  const phone = (p: string) => requirePhone('phone', p)
  const rand = lcg(20_261_201)
  let consents = 0
  let dncEntries = 0
  let calls = 0
  let decisions = 0

  for (const c of [
    { id: 'spring-sale', seller: ACME, purpose: 'marketing', dialing: 'autodialed' },
    { id: 'order-updates', seller: ACME, purpose: 'informational', dialing: 'prerecorded' },
    { id: 'winback', seller: BOLT, purpose: 'marketing', dialing: 'autodialed' },
    { id: 'store-callbacks', seller: ACME, purpose: 'marketing', dialing: 'manual' },
  ] as const) {
    await s.campaigns.add(ctx, { ...c, channel: 'voice' })
  }

  // registries: the national list (an older version and this week's) and a Florida list gone stale
  const registryFile = join(s.config.dataDir, 'demo-registry.txt')
  const importRegistry = async (registry: string, asOfDaysAgo: number, lines: string[]): Promise<void> => {
    writeFileSync(registryFile, `${lines.join('\n')}\n`)
    try {
      await s.registry.import(ctx, { registry: parseRegistryId(registry)!, file: registryFile, asOf: today - asOfDaysAgo * DAY, skipInvalid: false, full: true })
    } finally {
      rmSync(registryFile, { force: true })
    }
  }
  const listed = ['305,2000003', '305,2000031', '305,2000032', '404,2000033', '212,2000034', '786,2000035']
  await importRegistry('us-national', 36, listed.slice(1))
  await importRegistry('us-national', 4, listed)
  await importRegistry('us-state-FL', 45, ['305,2000003', '305,2000036', '786,2000037'])

  const grant = async (p: string, seller: string, kind: 'written' | 'express', daysAgo: number, extra: { trustedForm?: string; leadId?: string } = {}): Promise<void> => {
    await s.consent.grant(ctx, {
      phone: phone(p),
      seller,
      kind,
      at: day(daysAgo, 14, 7),
      channel: 'any',
      disclosure: kind === 'written' ? DEMO_DISCLOSURE.replace(ACME, seller) : null,
      source: kind === 'written' ? `https://${seller === ACME ? 'acme' : 'bolt'}.example/offers/spring?utm_source=search` : 'agent call: customer asked for delivery updates',
      ip: kind === 'written' ? '203.0.113.7' : null,
      userAgent: kind === 'written' ? 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15' : null,
      trustedForm: extra.trustedForm ?? null,
      leadId: extra.leadId ?? null,
    })
    consents++
  }

  // the people worth looking up
  await grant(DEMO_NUMBERS.consented, ACME, 'written', 62, { trustedForm: 'https://cert.trustedform.com/2f6c1a9e8b7d4c3a', leadId: 'D6C1A2B3-4E5F-6789-ABCD-EF0123456789' })
  await grant(DEMO_NUMBERS.revoked, ACME, 'written', 58)
  await s.consent.revoke(ctx, { phone: phone(DEMO_NUMBERS.revoked), at: day(9, 18, 42), seller: null, via: 'sms', words: 'STOP calling me please' })
  await s.dnc.add(ctx, { phone: phone(DEMO_NUMBERS.dnc), at: day(19, 16, 5), seller: null, source: 'agent note: asked not to be called again (call ref 88231)' })
  dncEntries += 2
  await grant(DEMO_NUMBERS.reassigned, ACME, 'written', 120)
  await s.reassigned.record(ctx, { phone: phone(DEMO_NUMBERS.reassigned), date: today - 14 * DAY, result: 'yes', queriedAt: day(13, 9) })
  await grant(DEMO_NUMBERS.express, ACME, 'express', 40)

  // a pool of customers with written consent (most of them) who are called and checked every day
  const pool: string[] = []
  for (let i = 0; i < 36; i++) pool.push(`+1305201${String(1000 + i * 7).padStart(4, '0')}`)
  for (let i = 0; i < 12; i++) pool.push(`+1404201${String(2000 + i * 11).padStart(4, '0')}`)
  const sellerOf = (i: number): string => (i % 3 === 0 ? BOLT : ACME)
  for (let i = 0; i < pool.length; i++) {
    if (i % 9 === 4) continue // a few never consented
    await grant(pool[i]!, sellerOf(i), 'written', 31 + (i % 25))
  }
  for (const p of [pool[6]!, pool[17]!]) {
    await s.dnc.add(ctx, { phone: phone(p), at: day(5 + (p.length % 3), 11), seller: ACME, source: 'web preference centre: no more marketing calls' })
    dncEntries++
  }

  // calls over the last 30 days: spring-sale near the 3% abandonment cap, winback over it
  const abandons = (campaign: string, d: number): boolean => (campaign === 'spring-sale' || campaign === 'winback') && [1, 4, 7].includes(d % 10)
  const outcomes = ['no-answer', 'busy', 'voicemail'] as const
  for (let d = 30; d >= 1; d--) {
    for (const campaign of ['spring-sale', 'winback', 'order-updates', 'store-callbacks']) {
      const perDay = campaign === 'spring-sale' ? 16 : campaign === 'winback' ? 12 : 4
      for (let k = 0; k < perDay; k++) {
        // one abandoned call on 9 days of 30 (2.6% of spring-sale's live calls, 3.5% of winback's); about 70% of the rest answered
        const outcome = k === 0 && abandons(campaign, d) ? 'abandoned' : rand() < 0.7 ? 'answered' : outcomes[Math.floor(rand() * outcomes.length)]!
        const p = pool[Math.floor(rand() * pool.length)]!
        await s.calls.record(ctx, { phone: phone(p), campaign, at: day(d, 14 + (k % 6), Math.floor(rand() * 60)), outcome, durationSeconds: outcome === 'answered' ? 20 + Math.floor(rand() * 400) : null })
        calls++
      }
    }
  }
  for (const [d, outcome] of [[27, 'no-answer'], [20, 'answered'], [6, 'answered']] as const) {
    await s.calls.record(ctx, { phone: phone(DEMO_NUMBERS.consented), campaign: 'spring-sale', at: day(d, 16, 12), outcome, durationSeconds: outcome === 'answered' ? 184 : null })
    calls++
  }

  // the gate's decisions on every day of the last 30 (and today)
  const people = Object.values(DEMO_NUMBERS)
  for (let d = 30; d >= 0; d--) {
    // today only once the calling day has begun on the east coast (13:30 UTC)
    if (d === 0 && day(0, 13, 30) > now) continue
    for (const [campaign, seller] of [['spring-sale', ACME], ['winback', BOLT], ['order-updates', ACME]] as const) {
      // a dialer checks the customers of its own seller (and now and then someone else's)
      const customers = pool.filter((_, i) => (sellerOf(i) === seller || rand() < 0.04) && rand() < 0.3)
      const numbers = [...people.filter((_, i) => (i + d) % 2 === 0), ...customers, ...listed.slice(1, 3).map((l) => `+1${l.replace(',', '')}`)]
      const at = d === 0 ? day(0, 13, 30) : day(d, 13 + (d % 7), 30)
      const results = await s.gate.checkMany(ctx, { campaign, at, numbers: numbers.map((p) => ({ phone: p, address: { state: null, zip: null } })) })
      decisions += results.length
    }
    // a few late-evening attempts (calling hours) and a mistyped number
    if (d % 3 === 0 && d > 0) {
      const results = await s.gate.checkMany(ctx, { campaign: 'spring-sale', at: day(d, 25, 40), numbers: [DEMO_NUMBERS.consented, pool[1]!, '305 100 0000'].map((p) => ({ phone: p, address: { state: null, zip: null } })) })
      decisions += results.length
    }
  }

  // five-year-old call records: some past their ceiling (purged now, with a receipt), some due within 30 days
  const fiveYearsAgo = addMonthsUtc(today, -60)
  for (const [p, offsetDays] of [
    [pool[2]!, -6],
    [pool[3]!, -3],
    [pool[4]!, 9],
    [pool[5]!, 9],
    [pool[7]!, 21],
  ] as const) {
    await s.calls.record(ctx, { phone: phone(p), campaign: 'store-callbacks', at: fiveYearsAgo + offsetDays * DAY + 15 * HOUR, outcome: 'answered', durationSeconds: 95 })
    calls++
  }
  // the keys a team would have (their secrets are not kept: the demo admin key is made at start)
  await s.apiKeys.create(ctx, { name: 'dialer-east-1', role: 'dialer', expiresAt: null })
  await s.apiKeys.create(ctx, { name: 'compliance team', role: 'compliance', expiresAt: null })
  await s.apiKeys.create(ctx, { name: 'external auditor 2026', role: 'auditor', expiresAt: today + 60 * DAY })
  await s.holds.add(ctx, { id: 'complaint-2026-031', reason: 'Consumer complaint filed with the state attorney general: keep every record of this number', scope: { kind: 'phone', phone: phone(DEMO_NUMBERS.revoked) }, until: null })
  await s.retention.purge(ctx, { at: now })

  return {
    campaigns: 4,
    consents,
    dncEntries,
    calls,
    decisions,
    receipts: 1,
    lookups: [
      { phone: DEMO_NUMBERS.consented, shows: 'written consent with its disclosure and TrustedForm certificate; allowed' },
      { phone: DEMO_NUMBERS.revoked, shows: 'consent revoked by SMS "STOP"; blocked; on legal hold' },
      { phone: DEMO_NUMBERS.listed, shows: 'on the national registry without consent; blocked' },
      { phone: DEMO_NUMBERS.reassigned, shows: 'reassigned number voids the consent; blocked' },
    ],
  }
}
