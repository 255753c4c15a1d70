import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { DialwardError, notFound } from '../../core/errors.js'
import { parseCheckpoint } from '../../core/audit/checkpoint.js'
import { toHex } from '../../core/audit/bytes.js'

/**
 * The checkpoint file: the off-machine copy of the signed checkpoints, one JSON line
 * `{"size","root","time","note"}` per checkpoint, in strictly increasing size, appended and fsynced.
 */

/** One line of the checkpoint file, as read. */
export interface CheckpointLine {
  readonly line: number
  readonly note: string
}

/** A checkpoint as a line of the file holds it. */
export interface CheckpointFileEntry {
  readonly size: number
  readonly root: string
  readonly time: string
  readonly note: string
}

/** Bytes read from the end of the file to find its last line (a line is well under 1 KiB). */
const TAIL_BYTES = 64 * 1024

/**
 * Reads the checkpoint file and returns each line's signed note. A line whose `size`, `root` or
 * `time` disagree with its own note, or that is not JSON, is tampering (integrity error naming
 * the line). A last line without its newline is a write torn by a crash and is skipped.
 */
export function readCheckpointFile(path: string): CheckpointLine[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw notFound('checkpoints', `cannot read checkpoint file ${path}`)
  }
  const lines = text.split('\n')
  lines.pop() // '' when the file ends in a newline; a torn write otherwise
  const out: CheckpointLine[] = []
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return
    const entry = parseLine(raw, (why) => new DialwardError('AUDIT_TAMPERED', `checkpoint file ${path} line ${i + 1}: ${why}`))
    out.push({ line: i + 1, note: entry.note })
  })
  return out
}

/**
 * The last complete line of the checkpoint file (`null` when the file is missing or empty), for
 * the signer, which holds the audit-log lock: a torn last line left by a crash is cut off first,
 * so the next append starts a line of its own.
 */
export function checkpointFileTail(path: string): CheckpointFileEntry | null {
  let fd: number
  try {
    fd = openSync(path, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const size = fstatSync(fd).size
    const start = Math.max(0, size - TAIL_BYTES)
    const buf = Buffer.alloc(size - start)
    let got = 0
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, start + got)
      if (n === 0) break
      got += n
    }
    const complete = buf.subarray(0, got).lastIndexOf(0x0a) + 1 // bytes up to and including the last newline
    if (start + complete < size) {
      ftruncateSync(fd, start + complete)
      fsyncSync(fd)
    }
    const lines = buf.subarray(0, complete).toString('utf8').split('\n').filter((l) => l.trim() !== '')
    const last = lines.at(-1)
    if (last === undefined) return null
    return parseLine(last, (why) => new DialwardError('AUDIT_TAMPERED', `checkpoint file ${path}, last line: ${why}`))
  } finally {
    closeSync(fd)
  }
}

/** Appends one checkpoint as a line and fsyncs it (the file is created with mode 0600). */
export function appendCheckpointLine(path: string, entry: CheckpointFileEntry): void {
  const fd = openSync(path, 'a', 0o600)
  try {
    writeSync(fd, `${JSON.stringify({ size: entry.size, root: entry.root, time: entry.time, note: entry.note })}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function parseLine(raw: string, bad: (why: string) => DialwardError): CheckpointFileEntry {
  let doc: { size?: unknown; root?: unknown; time?: unknown; note?: unknown }
  try {
    doc = JSON.parse(raw) as typeof doc
  } catch {
    throw bad('not a JSON line')
  }
  if (typeof doc !== 'object' || doc === null || typeof doc.note !== 'string') throw bad('has no signed note')
  const parsed = parseCheckpoint(doc.note)
  if (!parsed.ok) throw bad(`note is malformed (${parsed.errors.join('; ')})`)
  const cp = parsed.value.checkpoint
  const time = new Date(cp.time).toISOString()
  if (doc.size !== cp.size || doc.root !== toHex(cp.root) || doc.time !== time) throw bad('size, root or time differ from the signed note')
  return { size: cp.size, root: toHex(cp.root), time, note: doc.note }
}
