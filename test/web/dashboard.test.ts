import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { loadConfig } from '../../src/app/config.js'
import { compose } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { DEMO_DISCLOSURE, DEMO_NUMBERS, seedDemo } from '../../src/app/demo/demo-data.js'
import { signDueCheckpoint } from '../../src/jobs/checkpoint-signer.js'
import { axeViolations, browserAvailable, launchBrowser, layoutShift, watchLayoutShift } from '../support/browser.js'
import { installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'
import { tempDir } from '../support/temp-dir.js'

/** A Tuesday, 13:00 in Miami: inside every calling window of the demo's numbers. */
const NOW = Date.parse('2026-12-01T18:00:00Z')
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Screenshots go to docs/images with DIALWARD_UPDATE_SCREENSHOTS=1 (to refresh the guides), else to a temporary directory. */
const SHOTS = process.env['DIALWARD_UPDATE_SCREENSHOTS'] === '1' ? join(ROOT, 'docs/images') : null

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core), against a server
 * over the demo data set at a fixed instant: sign-in, the overview with a stale registry, a
 * number's timeline with its reasons and citations, a do-not-call request made from the page that
 * changes the verdict, a compliance key refused on the keys page, no serious or critical axe-core
 * violation on any page, no layout shift while the overview loads, and a screenshot of each page.
 * One browser for the whole file.
 */
describe.skipIf(!browserAvailable())('dashboard in Chromium', () => {
  let dw: Installation
  let srv: TestServer
  let browser: Browser
  let admin: BrowserContext
  let page: Page
  let adminKey: string
  let complianceKey: string
  let shots: string
  const errors: string[] = []

  beforeAll(async () => {
    dw = await installation('sqlite')
    const offset = NOW - Date.now()
    const clock = (): number => Date.now() + offset
    const seeding = await compose(loadConfig({ data: dw.dataDir }, { ...process.env, ...dw.env }), 'create', clock)
    try {
      await seedDemo(seeding, requestContext('test:seed', 'admin'), clock())
      await signDueCheckpoint(seeding.infra, clock(), () => undefined)
    } finally {
      await seeding.close()
    }
    srv = await testServer(dw, { DIALWARD_LOG_LEVEL: 'silent' }, clock)
    adminKey = (await srv.key('admin', 'test admin')).key
    complianceKey = (await srv.key('compliance', 'test compliance')).key
    shots = SHOTS ?? tempDir('screenshots')
    mkdirSync(shots, { recursive: true })
    browser = await launchBrowser()
    admin = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    page = await admin.newPage()
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      // the refused sign-in of the first test is expected in the console; anything else is not
      if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(`console: ${m.text()}`)
    })
    await watchLayoutShift(page)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
    await dw?.dispose()
  })

  const shoot = async (p: Page, name: string): Promise<void> => {
    const file = join(shots, `dashboard-${name}.png`)
    await p.screenshot({ path: file, fullPage: true })
    expect(statSync(file).size, file).toBeGreaterThan(10_000)
  }
  const expectAccessible = async (p: Page, name: string): Promise<void> => {
    const serious = (await axeViolations(p)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious, `${name}: ${JSON.stringify(serious, null, 2)}`).toEqual([])
  }
  const signIn = async (p: Page, key: string): Promise<void> => {
    await p.goto(`${srv.url}/`)
    await p.getByLabel('API key').fill(key)
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
  }
  const lookUp = async (p: Page, phone: string, e164: string = phone): Promise<void> => {
    await p.getByRole('link', { name: 'Number lookup' }).click()
    await p.getByLabel('Phone number').fill(phone)
    await p.getByRole('button', { name: 'Look up' }).click()
    await p.getByRole('heading', { name: e164, exact: true }).waitFor()
  }

  it('refuses an unknown key with a clear message, then signs in with a key kept out of the URL', async () => {
    await page.goto(`${srv.url}/`)
    await expectAccessible(page, 'sign-in')
    await shoot(page, 'sign-in')
    await page.getByLabel('API key').fill(`dwk_${'a'.repeat(16)}_${'B'.repeat(43)}`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Your API key was refused (401)')

    await page.getByLabel('API key').fill(adminKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    expect(await page.locator('header').textContent()).toContain('test admin (admin)')
    expect(page.url()).not.toContain(adminKey)
    expect(await page.evaluate(`sessionStorage.getItem('dialward.apiKey')`)).toBe(adminKey)
    expect(await page.evaluate(`localStorage.length`)).toBe(0)
  })

  it('shows the overview with data, a stale registry first and in red with the day it went stale, and does not move while loading', async () => {
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    const stale = page.locator('tr[data-registry="us-state-FL"]')
    await stale.waitFor()
    // as of 2026-10-17 (45 days before 2026-12-01): its last day was 2026-11-17, refused from 2026-11-18
    expect(await stale.textContent()).toContain('Stale since 2026-11-18 (older than 31 days)')
    expect(await stale.getAttribute('data-state')).toBe('stale')
    expect(await stale.locator('.text-bad').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(179, 38, 30)')
    expect(await page.locator('section[aria-labelledby=registries] tbody tr').first().getAttribute('data-registry')).toBe('us-state-FL')
    expect(await page.locator('tr[data-registry="us-national"]').textContent()).toContain('Fresh until 2026-12-28')

    // consent coverage, abandonment with the 3% line, decisions, purges due: real data, not placeholders
    const coverage = page.locator('section[aria-labelledby=coverage]')
    await expect(coverage.locator('tbody tr').count()).resolves.toBe(4)
    expect(await coverage.textContent()).toMatch(/spring-sale[\s\S]*\d+(\.\d+)?%/)
    const abandonment = page.locator('section[aria-labelledby=abandonment]')
    await abandonment.locator('svg').first().waitFor()
    expect(await abandonment.locator('svg').first().textContent()).toContain('3% limit')
    expect(await abandonment.textContent()).toContain('Over 3%')
    const decisions = page.locator('section[aria-labelledby=decisions]')
    await decisions.locator('svg').nth(1).waitFor()
    expect(await decisions.getByTestId('decision-totals').textContent()).toMatch(/^[\d,]+ decisions: [\d,]+ allowed, [\d,]+ blocked\.$/)
    const purges = page.locator('section[aria-labelledby=purges]')
    await purges.locator('tbody tr').first().waitFor()
    expect(await purges.textContent()).toContain('call-records')
    await page.waitForTimeout(300)
    const { cls, shifts } = await layoutShift(page)
    expect(cls, `layout shifts while loading: ${JSON.stringify(shifts)}`).toBeLessThan(0.1)
    await expectAccessible(page, 'overview')
    await shoot(page, 'overview')
  })

  it("looks up a number and shows every decision's block reasons with their citations, and the consent evidence", async () => {
    await lookUp(page, DEMO_NUMBERS.listed)
    const timeline = page.locator('section[aria-labelledby=timeline]')
    const blocked = timeline.locator('li[data-kind=decision]', { hasText: 'BLOCK for spring-sale' }).first()
    await blocked.waitFor()
    const text = (await blocked.textContent()) ?? ''
    expect(text).toContain('NATIONAL_DNC')
    expect(text).toContain('US National Do Not Call Registry, 47 CFR 64.1200(c)(2); 16 CFR 310.4(b)(1)(iii)(B)')
    expect(text).toContain('NO_CONSENT')
    expect(text).toContain('47 CFR 64.1200(a)(2),(3)')
    expect(text).toContain('allowed again: not by waiting')

    await lookUp(page, '(305) 200-0001', DEMO_NUMBERS.consented)
    const consent = page.locator('li[data-kind=consent]').first()
    await consent.waitFor()
    const evidence = (await consent.textContent()) ?? ''
    expect(evidence).toContain(DEMO_DISCLOSURE)
    expect(evidence).toContain('https://cert.trustedform.com/2f6c1a9e8b7d4c3a')
    expect(evidence).toContain('203.0.113.7')
    expect(errors).toEqual([])
  })

  it('records a do-not-call request from the page, and the next check is blocked for it', async () => {
    // written web-form consent: allowed for spring-sale now
    await lookUp(page, DEMO_NUMBERS.consented)
    const check = page.locator('section[aria-labelledby=check]')
    await check.getByLabel('Campaign').selectOption('spring-sale')
    await check.getByRole('button', { name: 'Check' }).click()
    const result = check.getByTestId('check-result')
    await result.waitFor()
    expect(await result.textContent()).toContain('ALLOW for spring-sale')
    await expectAccessible(page, 'lookup')
    await shoot(page, 'lookup')

    const dnc = page.locator('section[aria-labelledby=dnc]')
    await dnc.getByLabel('How it was made').fill('customer asked on the phone, ref 5521')
    await dnc.getByRole('button', { name: 'Add do-not-call request' }).click()
    await dnc.getByRole('button', { name: 'Record it' }).click()
    await dnc.getByRole('status').waitFor()
    expect(await dnc.getByRole('status').textContent()).toMatch(/Recorded do-not-call request dnc_\S+ for every seller/)
    await page.locator('li[data-kind=dnc]', { hasText: 'ref 5521' }).waitFor()

    await check.getByRole('button', { name: 'Check' }).click()
    await expect.poll(() => result.textContent()).toContain('BLOCK for spring-sale')
    const blocked = (await result.textContent()) ?? ''
    expect(blocked).toContain('INTERNAL_DNC')
    expect(blocked).toContain('Company-specific do-not-call list (honored at least 5 years), 47 CFR 64.1200(d)(3),(6)')
    // and the server agrees
    const r = await fetch(`${srv.url}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ campaign: 'spring-sale', phone: DEMO_NUMBERS.consented }) })
    expect(((await r.json()) as { verdict: string }).verdict).toBe('block')
  })

  it('shows the retention policy, holds and verified receipts; runs audit verify and shows the checkpoint fingerprint', async () => {
    await page.getByRole('link', { name: 'Retention' }).click()
    await page.locator('section[aria-labelledby=receipts] tbody tr').first().waitFor()
    expect(await page.locator('section[aria-labelledby=policy]').textContent()).toContain('16 CFR 310.5(a)(2)')
    expect(await page.locator('section[aria-labelledby=holds]').textContent()).toContain('complaint-2026-031')
    expect(await page.locator('section[aria-labelledby=receipts] tbody tr').first().textContent()).toMatch(/purge[\s\S]*2 call-records[\s\S]*Valid/)
    await expectAccessible(page, 'retention')
    await shoot(page, 'retention')

    await page.getByRole('link', { name: 'Audit' }).click()
    await page.getByRole('button', { name: 'Run audit verify' }).click()
    await page.getByTestId('verify-result').waitFor()
    expect(await page.getByTestId('verify-result').textContent()).toMatch(/Verified The log is intact: [\d,]+ entries/)
    const fingerprint = await page.getByTestId('fingerprint').textContent()
    const keys = (await (await fetch(`${srv.url}/v1/keys`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { signing: { publicKeySha256: string } }
    expect(fingerprint?.trim()).toBe(keys.signing.publicKeySha256)
    await expectAccessible(page, 'audit')
    await shoot(page, 'audit')
  })

  it('lists, creates (shown once) and revokes API keys for an admin', async () => {
    await page.getByRole('link', { name: /^Keys/ }).click()
    await page.locator('section[aria-labelledby=keys] tbody tr').first().waitFor()
    expect(await page.locator('section[aria-labelledby=keys]').textContent()).toContain('test compliance')
    await page.getByLabel('Name').fill('dialer-west-2')
    await page.getByLabel('Role').selectOption('dialer')
    await page.getByRole('button', { name: 'Create key' }).click()
    const secret = (await page.getByTestId('new-key').textContent())?.trim() ?? ''
    expect(secret).toMatch(/^dwk_/)
    const who = await fetch(`${srv.url}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } })
    expect(((await who.json()) as { role: string }).role).toBe('dialer')
    await expectAccessible(page, 'keys')
    await shoot(page, 'keys')
    await page.getByRole('button', { name: 'Revoke key dialer-west-2', exact: true }).click()
    await page.getByRole('button', { name: 'Revoke dialer-west-2', exact: true }).click()
    await page.getByText(/Key dialer-west-2 \(\S+\) revoked/).waitFor()
    expect((await fetch(`${srv.url}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401)
  })

  it('works by keyboard alone: sign in, skip to the content, move between pages, look up a number', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    try {
      const p = await ctx.newPage()
      const focused = (): Promise<string> => p.evaluate(`(() => { const e = document.activeElement; return e ? e.tagName.toLowerCase() + '|' + (e.id || '') + '|' + (e.textContent || '').trim() : '' })()`)
      /** Presses Tab until the focused element's description matches, and returns it. */
      const tabTo = async (pattern: RegExp): Promise<string> => {
        for (let i = 0; i < 25; i++) {
          await p.keyboard.press('Tab')
          const f = await focused()
          if (pattern.test(f)) return f
        }
        throw new Error(`Tab never reached ${pattern} (last: ${await focused()})`)
      }
      await p.goto(`${srv.url}/`)
      await tabTo(/^input\|api-key\|/)
      await p.keyboard.type(complianceKey)
      await p.keyboard.press('Enter')
      await p.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
      // the first Tab reaches the skip link, which moves focus to the page's heading
      await p.keyboard.press('Tab')
      expect(await focused()).toBe('a||Skip to content')
      await p.keyboard.press('Enter')
      expect(await focused()).toMatch(/^h1\|[^|]*\|Overview$/)

      await tabTo(/^a\|\|Number lookup$/)
      expect(await p.evaluate(`getComputedStyle(document.activeElement).outlineStyle`)).not.toBe('none')
      await p.keyboard.press('Enter')
      await p.getByRole('heading', { level: 1, name: 'Number lookup' }).waitFor()
      await expect.poll(focused).toMatch(/^h1\|[^|]*\|Number lookup$/)
      await tabTo(/^input\|[^|]*\|$/)
      expect(await p.evaluate(`document.activeElement.labels[0].textContent`)).toContain('Phone number')
      await p.keyboard.type(DEMO_NUMBERS.revoked)
      await p.keyboard.press('Enter')
      await p.getByRole('heading', { name: DEMO_NUMBERS.revoked, exact: true }).waitFor()
      await p.locator('li[data-kind=decision]', { hasText: 'CONSENT_REVOKED' }).first().waitFor()
    } finally {
      await ctx.close()
    }
  })

  it("refuses a compliance key on the keys page with the server's 403", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
    try {
      const p = await ctx.newPage()
      await signIn(p, complianceKey)
      await p.getByRole('link', { name: /^Keys/ }).click()
      const alert = p.getByRole('alert')
      await alert.waitFor()
      const text = (await alert.textContent()) ?? ''
      expect(text).toContain('Not allowed for your role (403)')
      expect(text).toContain('FORBIDDEN: role compliance may not use this route')
      expect(await p.locator('section[aria-labelledby=keys] table').count()).toBe(0)
      await expectAccessible(p, 'keys refused')
    } finally {
      await ctx.close()
    }
  })
})
