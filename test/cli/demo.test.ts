import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp-dir.js'
import { awaitBanner } from '../support/server-process.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))

/** A running `dialward demo` child process and what it printed. */
interface Demo {
  readonly child: ChildProcess
  readonly url: string
  readonly key: string
  readonly stdout: string
  stop(): Promise<number | null>
}

/** Starts `bin/dialward demo --data DIR --port 0` (what `npm start` runs) and waits for its banner. */
async function startDemo(dataDir: string): Promise<Demo> {
  const env: NodeJS.ProcessEnv = { ...process.env, DIALWARD_LOG_LEVEL: 'warn', DIALWARD_DATA: '/nonexistent/never-written' }
  const child = spawn(process.execPath, [BIN, 'demo', '--data', dataDir, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const url = (text: string) => /Dashboard: +(http:\/\/[\d.]+:\d+)\//.exec(text)
  const key = (text: string) => /Demo admin key: +(dwk_\S+)/.exec(text)
  const started = await awaitBanner(child, 'stdout', (text) => url(text) !== null && key(text) !== null && text.includes('Stop: Ctrl-C'), 'dialward demo', 120_000)
  return { child, url: url(started.output)![1]!, key: key(started.output)![1]!, stdout: started.output, stop: started.stop }
}

/**
 * `npm start` (`dialward demo`) as a new user meets it: a demo data set made on the embedded
 * SQLite default, the dashboard's URL and a working admin key printed, real decisions behind the
 * overview at once; a second start reuses the data and replaces the key; a directory the demo
 * did not make is refused.
 */
describe('dialward demo (npm start)', () => {
  const running: Demo[] = []
  afterAll(async () => {
    for (const d of running) await d.stop()
  })

  it('makes the demo data set, serves the dashboard, prints a working admin key, and the overview has data at once', async () => {
    const dir = join(tempDir('demo'), 'data')
    const demo = await startDemo(dir)
    running.push(demo)
    expect(demo.stdout).toMatch(/Making the demo data set in .*\n {2}4 campaigns, \d+ consents, \d+ do-not-call requests, \d+ calls, \d+ decisions/)
    expect(demo.stdout).toContain('Dialward demo is running (embedded SQLite).')
    const get = async (path: string, key: string | null = demo.key): Promise<Response> => fetch(`${demo.url}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } })

    const page = await get('/', null)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/assets/app.js')
    expect(((await (await get('/v1/whoami')).json()) as { role: string }).role).toBe('admin')

    const decisions = (await (await get('/v1/reports/decisions')).json()) as { days: Array<{ allow: number; block: number }> }
    const allowed = decisions.days.reduce((n, d) => n + d.allow, 0)
    const blocked = decisions.days.reduce((n, d) => n + d.block, 0)
    expect(allowed).toBeGreaterThan(100)
    expect(blocked).toBeGreaterThan(100)
    const registries = (await (await get('/v1/registries/status')).json()) as { registries: Array<{ registry: string; state: string }> }
    expect(registries.registries.find((r) => r.registry === 'us-state-FL')?.state).toBe('stale')
    expect(registries.registries.find((r) => r.registry === 'us-national')?.state).toBe('fresh')
    const forecast = await get('/v1/retention/forecast')
    expect(forecast.status).toBe(200)
    expect(JSON.stringify(await forecast.json())).toContain('call-records')

    // a second start reuses the data set and revokes the first start's key
    expect(await demo.stop()).toBe(0)
    const again = await startDemo(dir)
    running.push(again)
    expect(again.stdout).toMatch(/Reusing the demo data set in /)
    expect(again.key).not.toBe(demo.key)
    expect((await fetch(`${again.url}/v1/whoami`, { headers: { authorization: `Bearer ${again.key}` } })).status).toBe(200)
    expect((await fetch(`${again.url}/v1/whoami`, { headers: { authorization: `Bearer ${demo.key}` } })).status).toBe(401)
    expect(await again.stop()).toBe(0)
  }, 300_000)

  it('refuses a data directory it did not make, with one line naming --data, and changes nothing', () => {
    const dir = tempDir('demo-foreign')
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'notes.txt'), 'not a demo\n')
    const r = spawnSync(process.execPath, [BIN, 'demo', '--data', join(dir, 'data'), '--port', '0'], { encoding: 'utf8', env: { ...process.env, DIALWARD_LOG_LEVEL: 'warn' } })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/--data.*is not a demo data directory/)
    expect(r.stdout).toBe('')
    expect(readdirSync(join(dir, 'data'))).toEqual(['notes.txt'])
  })
})
