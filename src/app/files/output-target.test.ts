import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { outputTarget } from './output-target.js'
import { inputSource } from './input-source.js'

const dir = mkdtempSync(join(tmpdir(), 'dialward-output-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const bytes = (s: string): Uint8Array => Buffer.from(s)

describe('outputTarget', () => {
  it('writes a regular file through a temporary file renamed at commit', async () => {
    const path = join(dir, 'a.csv')
    writeFileSync(path, 'old\n')
    const out = await outputTarget(path, 'out')
    await out.write(bytes('new '))
    await out.write(bytes('contents\n'))
    expect(readFileSync(path, 'utf8')).toBe('old\n')
    expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(true)
    await out.commit()
    expect(readFileSync(path, 'utf8')).toBe('new contents\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false)
  })

  it('abort leaves the old file and removes the temporary one', async () => {
    const path = join(dir, 'b.csv')
    writeFileSync(path, 'keep\n')
    const out = await outputTarget(path, 'out')
    await out.write(bytes('half'))
    await out.abort()
    expect(readFileSync(path, 'utf8')).toBe('keep\n')
    expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(false)
  })

  it('refuses a directory, a missing directory and a parent that is a file with OUTPUT_UNWRITABLE', async () => {
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'plain'), '')
    for (const [path, why] of [
      [join(dir, 'sub'), /is a directory/],
      ['/nonexistent/dir/x.csv', /does not exist/],
      [join(dir, 'plain', 'x.csv'), /not a directory|does not exist/],
    ] as const) {
      await expect(outputTarget(path, 'out')).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE', field: 'out', problem: expect.stringMatching(why) })
    }
  })

  it('writes a FIFO in place: it stays a FIFO and the reader gets every byte', async () => {
    const fifo = join(dir, 'p.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    let got = ''
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()))
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()))
    const out = await outputTarget(fifo, 'out')
    expect(out.streaming).toBe(true)
    await out.write(bytes('through the pipe\n'))
    await out.commit()
    await closed
    expect(got).toBe('through the pipe\n')
    expect(statSync(fifo).isFIFO()).toBe(true)
  })

  it('`-` writes the given standard output stream', async () => {
    const stdout = new PassThrough()
    let got = ''
    stdout.on('data', (d: Buffer) => (got += d.toString()))
    const out = await outputTarget('-', 'out', () => stdout)
    expect(out.name).toBe('standard output')
    await out.write(bytes('x,y\n'))
    await out.commit()
    expect(got).toBe('x,y\n')
  })
})

describe('inputSource', () => {
  it('refuses a missing file and a directory with INPUT_UNREADABLE; `-` is standard input', async () => {
    expect(() => inputSource(join(dir, 'missing.csv'), 'in')).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE', field: 'in' }))
    expect(() => inputSource(dir, 'in')).toThrow(expect.objectContaining({ code: 'INPUT_UNREADABLE' }))
    const stdin = new PassThrough()
    stdin.end('a\n')
    const src = inputSource('-', 'in', () => stdin)
    expect(src.name).toBe('standard input')
    let got = ''
    for await (const c of src.open()) got += String(c)
    expect(got).toBe('a\n')
  })
})
