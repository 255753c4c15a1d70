import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { dialects, installation, type CliResult, type Installation } from '../support/cli.js'

/** Processes writing and signing at once, and the rounds each runs. */
const WORKERS = 4
const ROUNDS = 3

interface CheckpointLine {
  size: number
  root: string
}

describe.each(dialects())('checkpoint signing across concurrent processes (%s)', (dialect) => {
  let dw: Installation

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
    if (dw) rmSync(dirname(dw.dataDir), { recursive: true, force: true })
  })

  it('never fails a command because another process signed the same checkpoint, and keeps the checkpoint file in strict size order', async () => {
    // Every round, all workers start at once: each writes (a do-not-call request), then forces a
    // checkpoint (evidence audits its read and signs a checkpoint covering it), so they race to sign.
    const all: CliResult[] = []
    const phone = (w: number, round: number): string => `+1305555${String(1000 + w * 100 + round).padStart(4, '0')}`
    const workers = Array.from({ length: WORKERS }, (_, w) => w)
    for (let round = 0; round < ROUNDS; round++) {
      all.push(...(await Promise.all(workers.map((w) => dw.run('dnc', 'add', '--phone', phone(w, round), '--at', '2026-11-01')))))
      all.push(...(await Promise.all(workers.map((w) => dw.run('evidence', '--phone', phone(w, round), '--json')))))
      all.push(...(await Promise.all(workers.map(() => dw.run('audit', 'proof', '--entry', '0', '--json')))))
    }
    for (const r of all) expect(r.code, r.stderr).toBe(0)
    expect(all).toHaveLength(WORKERS * ROUNDS * 3)

    const text = readFileSync(join(dw.dataDir, 'audit-checkpoints.jsonl'), 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as CheckpointLine)
    // every evidence run signed a checkpoint of its own read (unless another process signed a larger one first)
    expect(lines.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.size, `line ${i + 1} after size ${lines[i - 1]!.size}`).toBeGreaterThan(lines[i - 1]!.size)

    // the file and the database hold the same checkpoints, and both verify
    const db = await dw.json<{ ok: boolean; entries: number; checkpoints: number }>('audit', 'verify')
    const file = await dw.json<{ ok: boolean; checkpoints: number }>('audit', 'verify', '--checkpoints', join(dw.dataDir, 'audit-checkpoints.jsonl'))
    expect(db.ok).toBe(true)
    expect(file.ok).toBe(true)
    expect(db.checkpoints).toBe(lines.length)
    expect(file.checkpoints).toBe(lines.length)
    // 1 campaign + per round: dnc.add, pii.read
    expect(db.entries).toBe(1 + WORKERS * ROUNDS * 2)
  }, 300_000)
})
