import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { sql } from 'kysely'
import { dialects, installation, onlyOn, type Installation } from '../../test/support/cli.js'
import { openData } from '../../test/support/open-data.js'
import { requestContext } from '../app/context.js'
import { isError } from '../core/errors.js'
import { checkpointsRepo } from '../store/repos/checkpoints.js'
import { signCheckpoint, signDueCheckpoint, type CheckpointSignerDeps } from './checkpoint-signer.js'

type Opened = Awaited<ReturnType<typeof openData>>

const ctx = requestContext('test:checkpoint-signer', 'admin')

/** Appends one audit entry through the unit of work. */
async function note(s: Opened, n: number): Promise<void> {
  await s.infra.uow.write(ctx, 'test.note', async () => ({ result: null, audit: { subject: null, data: { n } } }))
}

/** The sizes on the checkpoint file's lines, in file order. */
function fileSizes(dw: Installation): number[] {
  const text = readFileSync(join(dw.dataDir, 'audit-checkpoints.jsonl'), 'utf8')
  return text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { size: number }).size)
}

/** The signer's infrastructure with a store whose write transactions fail just before they would commit (a crash). */
function crashingBeforeCommit(deps: CheckpointSignerDeps): CheckpointSignerDeps {
  const { store } = deps
  const dialect = {
    ...store.dialect,
    writeTransaction: <T>(fn: (trx: typeof store.db) => Promise<T>): Promise<T> =>
      store.dialect.writeTransaction(async (trx) => {
        await fn(trx)
        throw new Error('killed before commit')
      }),
  }
  return { ...deps, store: { ...store, dialect } }
}

describe.each(dialects())('checkpoint signer job (%s)', (dialect) => {
  let dw: Installation
  let s: Opened
  let n = 0

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    s = await openData(dw.dataDir, dw.env, 'existing')
  }, 300_000)
  afterAll(async () => {
    await s?.close()
    await dw?.dispose()
    if (dw) rmSync(dirname(dw.dataDir), { recursive: true, force: true })
  })

  it('is idempotent: signing again without new entries returns the same checkpoint and adds no line', async () => {
    await note(s, n++)
    const a = await signCheckpoint(s.infra, s.now())
    const lines = fileSizes(dw).length
    const b = await signCheckpoint(s.infra, s.now())
    expect(b).toEqual(a)
    expect(fileSizes(dw)).toHaveLength(lines)
  })

  it('adopts the line a run killed before its commit appended, instead of signing that size again', async () => {
    await note(s, n++)
    await note(s, n++)
    await expect(signCheckpoint(crashingBeforeCommit(s.infra), s.now())).rejects.toThrow(/killed before commit/)
    const size = (await s.audit.verify(ctx, { checkpointFile: null })).entries
    expect(fileSizes(dw).at(-1)).toBe(size) // on the file, not in the database
    expect((await checkpointsRepo.latest(s.db))!.size).toBeLessThan(size)
    const cp = await signCheckpoint(s.infra, s.now() + 1_000)
    expect(cp!.size).toBe(size)
    const sizes = fileSizes(dw)
    expect(sizes.filter((x) => x === size)).toHaveLength(1)
    const line = readFileSync(join(dw.dataDir, 'audit-checkpoints.jsonl'), 'utf8').trimEnd().split('\n').at(-1)!
    expect((JSON.parse(line) as { note: string }).note).toBe(cp!.note)
    expect((await s.audit.verify(ctx, { checkpointFile: join(dw.dataDir, 'audit-checkpoints.jsonl') })).ok).toBe(true)
  })

  it('never signs behind a checkpoint file that is ahead of the database; the due-signing run after a command swallows it', async () => {
    await note(s, n++)
    await note(s, n++)
    await expect(signCheckpoint(crashingBeforeCommit(s.infra), s.now())).rejects.toThrow(/killed before commit/)
    const ahead = fileSizes(dw).at(-1)!
    await sql`DELETE FROM audit_log WHERE seq = ${ahead - 1}`.execute(s.db) // tampering: the last entry is gone
    const err = await signCheckpoint(s.infra, s.now()).catch((e: unknown) => e)
    expect(isError(err, 'AUDIT_TAMPERED')).toBe(true)
    const seen: unknown[] = []
    await signDueCheckpoint(s.infra, s.now() + 3_600_000, (e) => seen.push(e))
    expect(seen).toEqual([])
    expect(fileSizes(dw).at(-1)).toBe(ahead)
  })

  it('reports, and never throws, a due signing that fails for another reason', async () => {
    const broken: CheckpointSignerDeps = { ...s.infra, config: { checkpointPath: join(dw.dataDir, 'missing', 'cp.jsonl') } }
    await sql`DELETE FROM audit_checkpoints`.execute(s.db)
    await sql`DELETE FROM audit_log`.execute(s.db)
    await note(s, n++)
    const seen: unknown[] = []
    await signDueCheckpoint(broken, s.now() + 3_600_000, (e) => seen.push(e))
    expect(seen).toHaveLength(1)
    expect(String(seen[0])).toMatch(/ENOENT/)
    expect(await checkpointsRepo.latest(s.db)).toBeNull() // nothing half-signed
  })

  onlyOn(dialect, 'postgres')('gives every process racing to sign the same size the one checkpoint: no duplicate size, no error, the file in strict size order', async () => {
    const fresh = await installation('postgres')
    await fresh.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    // one composition (its own connection pool) per simulated process
    const procs = await Promise.all(Array.from({ length: 6 }, () => openData(fresh.dataDir, fresh.env, 'existing')))
    try {
      for (let round = 0; round < 8; round++) {
        // every process writes, then all race to sign the same size
        await Promise.all(procs.map((p, i) => note(p, round * 100 + i)))
        const signed = await Promise.all(procs.map((p) => signCheckpoint(p.infra, p.now())))
        expect(new Set(signed.map((c) => c!.note)).size).toBe(1)
        expect(signed[0]!.size).toBe(1 + 6 * (round + 1))
      }
      const sizes = fileSizes(fresh); console.log("SIZES", sizes.join(","))
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeGreaterThan(sizes[i - 1]!)
      const stored = (await checkpointsRepo.list(procs[0]!.db)).map((c) => c.size)
      expect(stored).toEqual(sizes)
      expect(sizes.at(-1)).toBe(1 + 6 * 8)
      expect((await procs[0]!.audit.verify(ctx, { checkpointFile: join(fresh.dataDir, 'audit-checkpoints.jsonl') })).ok).toBe(true)
    } finally {
      await Promise.all(procs.map((p) => p.close()))
      await fresh.dispose()
      rmSync(dirname(fresh.dataDir), { recursive: true, force: true })
    }
  })
})
