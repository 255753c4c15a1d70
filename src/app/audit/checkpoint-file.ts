import { readFileSync } from 'node:fs'
import { DialwardError, notFound } from '../../core/errors.js'
import { parseCheckpoint } from '../../core/audit/checkpoint.js'
import { toHex } from '../../core/audit/bytes.js'

/** One line of the checkpoint file, as read. */
export interface CheckpointLine {
  readonly line: number
  readonly note: string
}

/**
 * Reads the checkpoint file (JSON lines `{"size","root","time","note"}`, the off-machine copy
 * of the signed checkpoints) and returns each line's signed note. A line whose `size`, `root` or
 * `time` disagree with its own note, or that is not JSON, is tampering (integrity error naming
 * the line). A last line without its newline is a write torn by a crash and is skipped.
 */
export function readCheckpointFile(path: string): CheckpointLine[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw notFound('--checkpoints', `cannot read checkpoint file ${path}`)
  }
  const lines = text.split('\n')
  const last = lines.pop() // '' when the file ends in a newline; a torn write otherwise
  void last
  const out: CheckpointLine[] = []
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return
    const bad = (why: string): DialwardError => new DialwardError('AUDIT_TAMPERED', `checkpoint file ${path} line ${i + 1}: ${why}`)
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
    if (doc.size !== cp.size || doc.root !== toHex(cp.root) || doc.time !== new Date(cp.time).toISOString()) throw bad('size, root or time differ from the signed note')
    out.push({ line: i + 1, note: doc.note })
  })
  return out
}
