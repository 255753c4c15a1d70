import { execFile } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../test/support/temp-dir.js'

const DEMO = fileURLToPath(new URL('./demo.sh', import.meta.url))

interface Run {
  code: number
  stdout: string
  stderr: string
}

function bash(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile('bash', args, { env: env as NodeJS.ProcessEnv, cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

/** The environment of a user's shell: no Dialward variables. */
const userEnv = (): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('DIALWARD_')) delete env[k]
  return env
}

/** The command lines the demo printed (after `$ `), as a script. */
const commandsOf = (out: string): string[] => out.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.slice(2))
/** What the commands printed: the output without command and narration lines, random ids replaced. */
const outputOf = (out: string): string =>
  out
    .split('\n')
    .filter((l) => !l.startsWith('$ ') && !l.startsWith('#'))
    .join('\n')
    .replace(/\b([a-z]+)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '$1_<id>')

describe('npm run demo (scripts/demo.sh)', () => {
  it('runs, shows the decisions, and removes its data directory at the end', async () => {
    const r = await bash([DEMO], userEnv(), '/')
    expect(r.code, r.stderr).toBe(0)
    const dir = /^\$ export DIALWARD_DATA=(.+)$/m.exec(r.stdout)?.[1]
    expect(dir).toMatch(/dialward-demo-/)
    expect(existsSync(dir!)).toBe(false)
    expect(r.stdout).toContain('allow +13052000001')
    expect(r.stdout).toMatch(/block \+13052000003\n {2}NO_CONSENT: .*\n {2}NATIONAL_DNC: /)
    expect(r.stdout).toContain('"code": "CALLING_HOURS"')
  })

  it('prints commands that, copied and pasted as they are into a fresh shell, do the same; DIALWARD_DEMO_DIR is kept', async () => {
    const data = join(tempDir('demo'), 'data')
    const demo = await bash([DEMO], { ...userEnv(), DIALWARD_DEMO_DIR: data }, '/')
    expect(demo.code, demo.stderr).toBe(0)
    expect(existsSync(join(data, 'dialward.db'))).toBe(true)
    const commands = commandsOf(demo.stdout)
    expect(commands.length).toBeGreaterThan(10)
    expect(commands).toContain(`export DIALWARD_DATA=${data}`)

    rmSync(data, { recursive: true, force: true })
    const pasted = await bash(['-e', '-c', commands.join('\n')], userEnv(), '/')
    expect(pasted.code, pasted.stderr).toBe(0)
    expect(outputOf(pasted.stdout)).toBe(outputOf(demo.stdout))
    expect(outputOf(pasted.stdout)).toContain('block (invalid number)')
  })
})
