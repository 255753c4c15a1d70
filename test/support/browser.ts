import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it). No browser is ever downloaded. */
export const CHROMIUM = process.env['DIALWARD_CHROMIUM'] ?? '/usr/bin/chromium'

/** Set by `.ci/run`: a missing Chromium fails the run instead of skipping the browser tests. */
export const REQUIRE_BROWSER_ENV = 'DIALWARD_REQUIRE_BROWSER'

/**
 * Whether the browser tests can run here. Without Chromium they are skipped — loudly — unless
 * DIALWARD_REQUIRE_BROWSER=1, which makes the absence an error.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  if (process.env[REQUIRE_BROWSER_ENV] === '1') throw new Error(`Chromium not found at ${CHROMIUM} and ${REQUIRE_BROWSER_ENV}=1 (apt-get install chromium)`)
  const message = `Chromium not found at ${CHROMIUM}: the dashboard's browser tests are SKIPPED (apt-get install chromium)`
  const bar = '!'.repeat(message.length)
  console.warn(`\n${bar}\n${message}\n${bar}\n`)
  return false
}

/**
 * Starts headless Chromium with a fresh profile (playwright makes and removes it) and the flags
 * this closed network needs: no background networking, component updates or sync, no QUIC.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** One accessibility violation as axe-core reports it (trimmed). */
export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: string[]
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is and returns its
 * violations. The script is evaluated over the DevTools protocol, so the page's content security
 * policy (no inline scripts) stays in force.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE)
  // (browser-side code as text: this program is type-checked without the DOM library)
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`)
}

/** Collects the page's cumulative layout shift (shifts not caused by input) from the moment it loads. */
export async function watchLayoutShift(page: Page): Promise<void> {
  await page.addInitScript(`
    window.__cls = 0
    window.__shifts = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue
        window.__cls += e.value
        window.__shifts.push({ value: e.value, sources: (e.sources || []).map((s) => s.node && s.node.nodeType === 1 ? s.node.tagName.toLowerCase() + (s.node.id ? '#' + s.node.id : '') + '.' + s.node.className : String(s.node && s.node.nodeName)) })
      }
    }).observe({ type: 'layout-shift', buffered: true })
  `)
}

/** The cumulative layout shift so far (see {@link watchLayoutShift}) and its largest shifts. */
export function layoutShift(page: Page): Promise<{ cls: number; shifts: Array<{ value: number; sources: string[] }> }> {
  return page.evaluate(`({ cls: window.__cls, shifts: [...window.__shifts].sort((a, b) => b.value - a.value).slice(0, 5) })`)
}
