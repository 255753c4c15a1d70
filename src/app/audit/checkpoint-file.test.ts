import { afterAll, describe, expect, it } from 'vitest'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPairSync } from 'node:crypto'
import { noteKeyId, signCheckpoint } from '../../core/audit/checkpoint.js'
import { toHex } from '../../core/audit/bytes.js'
import { ed25519PublicKeyBytes, ed25519Signer, sha256 } from '../../crypto/signing.js'
import { appendCheckpointLine, checkpointFileTail, readCheckpointFile, type CheckpointFileEntry } from './checkpoint-file.js'

const ORIGIN = 'dialward/audit/test'
const { publicKey, privateKey } = generateKeyPairSync('ed25519')
const key = { name: ORIGIN, keyId: noteKeyId(sha256, ORIGIN, ed25519PublicKeyBytes(publicKey)), sign: ed25519Signer(privateKey) }

function entry(size: number): CheckpointFileEntry {
  const root = sha256(new Uint8Array([size]))
  const time = Date.UTC(2026, 10, 1) + size
  return { size, root: toHex(root), time: new Date(time).toISOString(), note: signCheckpoint({ origin: ORIGIN, size, root, time }, key) }
}

describe('the checkpoint file', () => {
  const root = mkdtempSync(join(tmpdir(), 'dialward-cpfile-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  let n = 0
  const fresh = (): string => join(root, `cp-${n++}.jsonl`)

  it('appends lines that read back in order, mode 0600, and reports its last line', () => {
    const path = fresh()
    expect(checkpointFileTail(path)).toBeNull()
    for (const size of [2, 5, 9]) appendCheckpointLine(path, entry(size))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readCheckpointFile(path).map((l) => l.line)).toEqual([1, 2, 3])
    expect(checkpointFileTail(path)).toEqual(entry(9))
  })

  it('cuts a torn last line (a crash mid-append) so the next append starts its own line', () => {
    const path = fresh()
    appendCheckpointLine(path, entry(3))
    const intact = readFileSync(path, 'utf8')
    appendFileSync(path, JSON.stringify(entry(4)).slice(0, 40))
    expect(readCheckpointFile(path)).toHaveLength(1) // readers skip the torn line
    expect(checkpointFileTail(path)).toEqual(entry(3))
    expect(readFileSync(path, 'utf8')).toBe(intact)
    appendCheckpointLine(path, entry(4))
    expect(readCheckpointFile(path).map((l) => l.note)).toEqual([entry(3).note, entry(4).note])
  })

  it('finds the last line of a file longer than the bytes it reads from the end', () => {
    const path = fresh()
    for (let size = 1; size <= 400; size++) appendCheckpointLine(path, entry(size))
    expect(statSync(path).size).toBeGreaterThan(64 * 1024)
    expect(checkpointFileTail(path)).toEqual(entry(400))
  })

  it('refuses an edited last line as tampering', () => {
    const path = fresh()
    const e = entry(7)
    writeFileSync(path, `${JSON.stringify({ ...e, size: 8 })}\n`)
    expect(() => checkpointFileTail(path)).toThrow(/size, root or time differ/)
  })
})
