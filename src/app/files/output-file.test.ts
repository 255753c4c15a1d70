import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isError } from '../../core/errors.js'
import { outputTarget, writeOutput } from './output-file.js'

function refusal(field: string, path: string): { code: string; field: string | null; problem: string } {
  try {
    outputTarget(field, path)
  } catch (err) {
    if (isError(err)) return { code: err.code, field: err.field, problem: err.problem }
    throw err
  }
  throw new Error(`${path} was accepted`)
}

describe('output files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialward-output-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses a directory, a missing directory and a path under a file, naming the field (OUTPUT_UNWRITABLE, exit 2)', () => {
    try {
      writeFileSync(join(dir, 'plain'), 'x')
      for (const [path, why] of [
        [dir, /is a directory/],
        [join(dir, 'missing', 'x.zip'), /lies in a missing directory/],
        [join(dir, 'plain', 'x.zip'), /lies in a missing directory/],
      ] as const) {
        const r = refusal('out', path)
        expect(r).toMatchObject({ code: 'OUTPUT_UNWRITABLE', field: 'out' })
        expect(r.problem).toMatch(why)
      }
    } finally {
      rmSync(join(dir, 'plain'), { force: true })
    }
  })

  it('replaces a new or regular file atomically with mode 0600, and maps - to standard output', () => {
    const path = join(dir, 'new.bin')
    const target = outputTarget('out', path)
    expect(target).toEqual({ kind: 'replace', path })
    writeOutput(target, Buffer.from('first'))
    expect(readFileSync(path, 'utf8')).toBe('first')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    writeOutput(outputTarget('out', path), Buffer.from('second'))
    expect(readFileSync(path, 'utf8')).toBe('second')
    expect(outputTarget('out', '-')).toEqual({ kind: 'stdout' })
  })

  it('writes an existing FIFO in place: it stays a FIFO and the reader gets every byte', async () => {
    const fifo = join(dir, 'out.fifo')
    execFileSync('mkfifo', [fifo])
    const target = outputTarget('out', fifo)
    expect(target).toEqual({ kind: 'in-place', path: fifo })
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    const chunks: Buffer[] = []
    reader.stdout.on('data', (d: Buffer) => chunks.push(d))
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()))
    const bytes = Buffer.alloc(300_000, 7) // more than a pipe buffer
    writeOutput(target, bytes)
    await closed
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true)
    expect(statSync(fifo).isFIFO()).toBe(true)
  })

  it('refuses to create a file in a directory it cannot write (when not root)', () => {
    if (process.getuid?.() === 0) {
      // root may write anywhere: the check then has nothing to refuse
      expect(outputTarget('out', join(dir, 'x'))).toMatchObject({ kind: 'replace' })
      return
    }
    const locked = join(dir, 'locked')
    mkdirSync(locked, { mode: 0o500 })
    expect(refusal('out', join(locked, 'x.zip'))).toMatchObject({ code: 'OUTPUT_UNWRITABLE', field: 'out' })
  })
})
