import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { expect } from 'vitest'
import { installation, runCli, type Installation } from '../support/cli.js'
import type { CrashPointName } from '../../src/app/crash-points.js'

/** One armed crash point of a scenario: the point, an optional action qualifier, the occurrence. */
export interface Arm {
  readonly point: CrashPointName
  readonly qualifier?: string
  readonly nth?: number
}

/** An operation the harness kills: how to prepare it, how to run it (the CLI args), what it must leave. */
export interface Scenario {
  readonly name: string
  readonly arms: readonly Arm[]
  /** The CLI run the harness kills (and then reruns to completion). */
  readonly op: readonly string[]
}

const ACKED = '+13055550100' // an acknowledged DNC entry: must survive every crash
const OLD_LISTED = '+13055550201' // on the registry's first version only
const NEW_LISTED = '+13055550202' // on the second version (or added by the change list) only
const ERASED = '+13055550301'

/** The operations and the points each is killed at: every catalogue point appears at least once. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'registry import (full list)', op: ['registry', 'import', '--registry', 'us-national', '--file', '@v2', '--as-of', '2026-11-20'], arms: [{ point: 'uow.before-commit', qualifier: 'registry.import' }, { point: 'uow.after-commit', qualifier: 'registry.import' }] },
  { name: 'registry change list', op: ['registry', 'import', '--registry', 'us-national', '--file', '@changes', '--as-of', '2026-11-20', '--changes'], arms: [{ point: 'uow.before-commit', qualifier: 'registry.import' }, { point: 'uow.after-commit', qualifier: 'registry.import' }] },
  { name: 'contact import', op: ['contacts', 'import', '--file', '@contacts', '--purpose', 'marketing'], arms: [{ point: 'uow.before-commit', qualifier: 'contact.import' }, { point: 'uow.after-commit', qualifier: 'contact.import' }] },
  {
    name: 'purge',
    op: ['retention', 'run', '--at', '2031-01-01'],
    arms: [
      { point: 'retention.subjects-batch' },
      { point: 'retention.decisions-batch' },
      { point: 'retention.registry-batch' },
      { point: 'retention.disclosures' },
      { point: 'retention.quarantine-batch' },
      { point: 'retention.audited' },
      { point: 'retention.scrubbed' },
      { point: 'retention.receipt-written' },
      { point: 'uow.before-commit', qualifier: 'retention.purge.subjects' },
    ],
  },
  { name: 'erase', op: ['erase', '--phone', ERASED], arms: [{ point: 'retention.audited' }, { point: 'retention.scrubbed' }, { point: 'retention.receipt-written' }, { point: 'uow.before-commit', qualifier: 'retention.erase' }] },
  { name: 'key rotation', op: ['keys', 'rotate'], arms: [{ point: 'keys.keyring-written' }, { point: 'keys.rewrapped', nth: 2 }, { point: 'uow.before-commit', qualifier: 'keys.rewrap' }, { point: 'uow.after-commit', qualifier: 'keys.rotate.start' }] },
  { name: 'key prune', op: ['keys', 'prune'], arms: [{ point: 'keys.prune-audited' }, { point: 'uow.after-commit', qualifier: 'keys.prune' }] },
  { name: 'group commit (server)', op: ['serve'], arms: [{ point: 'group-commit.before-write' }, { point: 'group-commit.after-write' }] },
]

/** The `DIALWARD_TEST_CRASH_AT` spec of an arm. */
export function spec(a: Arm): string {
  return `${a.point}${a.qualifier === undefined ? '' : `@${a.qualifier}`}${a.nth === undefined ? '' : `:${a.nth}`}`
}

interface Check {
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string }>
}

/** A fresh SQLite installation with acknowledged writes, a registry version, consents to purge and contacts. */
export async function prepare(): Promise<{ dw: Installation; files: Record<string, string> }> {
  const dw = await installation('sqlite')
  const dir = join(dw.dataDir, '..')
  const files: Record<string, string> = {
    '@v1': join(dir, 'v1.txt'),
    '@v2': join(dir, 'v2.txt'),
    '@changes': join(dir, 'changes.csv'),
    '@contacts': join(dir, 'contacts.csv'),
  }
  writeFileSync(files['@v1']!, `305,${OLD_LISTED.slice(5)}\n`)
  writeFileSync(files['@v2']!, `305,${NEW_LISTED.slice(5)}\n`)
  writeFileSync(files['@changes']!, `areacode,number,action\n305,${OLD_LISTED.slice(5)},D\n305,${NEW_LISTED.slice(5)},A\n`)
  writeFileSync(files['@contacts']!, `phone,first_name\n+13055550401,Ann\n+13055550402,Bob\n12,Bad\n`)
  await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
  await dw.ok('registry', 'import', '--registry', 'us-national', '--file', files['@v1']!, '--as-of', '2020-01-01')
  await dw.ok('registry', 'import', '--registry', 'us-national', '--file', files['@v1']!, '--as-of', '2026-11-01')
  await dw.ok('dnc', 'add', '--phone', ACKED, '--at', '2026-11-02')
  for (const p of ['+13055550501', '+13055550502', ERASED]) {
    await dw.ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01', '--disclosure', `I agree ${p}`)
    await dw.ok('consent', 'revoke', '--phone', p, '--at', '2020-06-01')
  }
  await dw.ok('check', '--campaign', 'mkt', '--phone', '+13055550501', '--at', '2020-02-01')
  await dw.ok('contacts', 'import', '--file', files['@contacts']!, '--purpose', 'marketing')
  await dw.ok('keys', 'rotate') // a retired KEK nothing is wrapped under: what `keys prune` destroys
  return { dw, files }
}

const codes = async (dw: Installation, phone: string): Promise<string[]> => (await dw.json<Check>('check', '--campaign', 'mkt', '--phone', phone, '--at', '2026-11-25T18:00:00Z')).reasons.map((r) => r.code)

/** Runs the operation armed at `arm`, expects it killed, then checks what survived and reruns it to completion. */
export async function crashAndCheck(s: Scenario, arm: Arm): Promise<void> {
  const { dw, files } = await prepare()
  try {
    const registryBefore = await registryState(dw)
    const args = s.op.map((a) => files[a] ?? a)
    const env = { ...dw.env, DIALWARD_TEST_CRASH_AT: spec(arm) }
    const killed = s.op[0] === 'serve' ? await killServer(env) : (await runCli(args, env)).code
    expect(killed, `${s.name} at ${spec(arm)} was not killed`).toBe(-1)
    await invariants(dw, registryBefore)
    if (s.op[0] !== 'serve') {
      const again = await runCli(args, dw.env)
      expect(again.code, again.stderr).toBe(0)
    }
    await invariants(dw, registryBefore)
    // nothing deleted returns: a second purge finds nothing, the erased number's subject is gone
    if (s.name === 'purge' || s.name === 'erase') expect(await subjects(dw)).toBe(s.name === 'purge' ? 0 : 2)
  } finally {
    await dw.dispose()
  }
}

async function registryState(dw: Installation): Promise<string> {
  return `${(await codes(dw, OLD_LISTED)).includes('NATIONAL_DNC')}/${(await codes(dw, NEW_LISTED)).includes('NATIONAL_DNC')}`
}

async function invariants(dw: Installation, registryBefore: string): Promise<void> {
  const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    db.close()
  }
  const v = await dw.run('audit', 'verify')
  expect(v.code, v.stderr).toBe(0)
  expect(await codes(dw, ACKED)).toContain('INTERNAL_DNC')
  // registry versions whole: the old version (listed, not listed) or the new one (not listed, listed), never a mix
  expect([registryBefore, 'false/true']).toContain(await registryState(dw))
}

async function subjects(dw: Installation): Promise<number> {
  const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM subjects').get() as { n: number }).n)
  } finally {
    db.close()
  }
}

/** Starts the server armed, sends checks until it dies; the exit code (-1 when SIGKILLed). */
async function killServer(env: Record<string, string>): Promise<number> {
  const key = JSON.parse((await runCli(['apikey', 'create', '--role', 'dialer', '--name', 'crash', '--json'], env)).stdout) as { key: string }
  const { serveProcess } = await import('../support/server-process.js')
  const srv = await serveProcess(env)
  const dead = new Promise<number>((resolve) => srv.child.once('exit', (code, signal) => resolve(signal === 'SIGKILL' ? -1 : (code ?? -1))))
  for (let i = 0; i < 50 && srv.child.exitCode === null && srv.child.signalCode === null; i++) {
    try {
      await fetch(`${srv.url}/v1/check`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ campaign: 'mkt', phone: '+13055550601' }) })
    } catch {
      break
    }
  }
  const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(0), 10_000))
  const code = await Promise.race([dead, timeout])
  if (code === 0) await srv.stop()
  return code
}
