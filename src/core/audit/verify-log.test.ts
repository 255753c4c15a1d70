import { generateKeyPairSync, hash, sign, verify } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalEntryBytes, type AuditEntry } from './audit-entry.js'
import { fromBase64, toBase64 } from './bytes.js'
import { noteKeyId, signCheckpoint, type CheckpointSigningKey, type CheckpointTrust } from './checkpoint.js'
import type { Hasher } from './hasher.js'
import { leafHash } from './merkle.js'
import { MerkleTree } from './merkle-tree.js'
import { verifyLog, type LogProblem, type StoredAuditEntry } from './verify-log.js'

const sha256: Hasher = (d) => new Uint8Array(hash('sha256', d, 'buffer'))
const ORIGIN = 'dialward.example/audit'

function keys(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = fromBase64(publicKey.export({ format: 'jwk' }).x!.replace(/-/g, '+').replace(/_/g, '/') + '=')!
  const keyId = noteKeyId(sha256, name, raw)
  const signing: CheckpointSigningKey = { name, keyId, sign: (b) => new Uint8Array(sign(null, b, privateKey)) }
  const trust: CheckpointTrust = { origin: ORIGIN, name, keyId, verify: (b, s) => s.length === 64 && verify(null, b, publicKey, s) }
  return { signing, trust }
}
const key = keys(ORIGIN)
const T0 = Date.UTC(2026, 11, 1)

const stored = (e: AuditEntry): StoredAuditEntry => ({ ...e, leafHash: leafHash(sha256, canonicalEntryBytes(e)) })

/** The i-th entry of a log, varied from a seed. */
function entry(seq: number, seed: number): AuditEntry {
  const r = (k: number): number => ((seed * 2654435761 + seq * 40503 + k * 9973) >>> 0) % 1000
  return {
    seq,
    at: T0 + seq * 1000 + r(1),
    actor: ['key_admin', 'key_dialer', 'system', 'job:retention'][r(2) % 4]!,
    action: ['consent.grant', 'consent.revoke', 'pii.read', 'purge.run', 'dnc.add'][r(3) % 5]!,
    subject: r(4) % 3 === 0 ? null : (r(5) * 7919).toString(16).padStart(8, '0').slice(0, 8),
    data: { campaign: `c${r(6)}`, count: r(7), ok: r(8) % 2 === 0, note: r(9) % 4 === 0 ? null : `n${r(9)}`, ct: toBase64(Uint8Array.of(r(10), r(11), 7)) },
  }
}

interface Log {
  entries: StoredAuditEntry[]
  checkpoints: string[]
  sizes: number[]
}

/** A log of n entries with a signed checkpoint every `every` entries, plus one at n when `sealed`. */
function makeLog(n: number, every: number, sealed: boolean, seed: number): Log {
  const entries = Array.from({ length: n }, (_, i) => stored(entry(i, seed)))
  const tree = new MerkleTree(sha256, entries.map((e) => e.leafHash))
  const sizes: number[] = []
  for (let s = every; s <= n; s += every) sizes.push(s)
  if (sealed && sizes[sizes.length - 1] !== n) sizes.push(n)
  const checkpoints = sizes.map((size) => signCheckpoint({ origin: ORIGIN, size, root: tree.root(size), time: T0 + size * 1000 + 999 }, key.signing))
  return { entries, checkpoints, sizes }
}

describe('verifyLog on untouched logs', () => {
  it('accepts the empty log, with or without a size-0 checkpoint', () => {
    expect(verifyLog(sha256, [], [], key.trust)).toMatchObject({ ok: true, size: 0, coveredSize: 0 })
    const empty = signCheckpoint({ origin: ORIGIN, size: 0, root: sha256(new Uint8Array(0)), time: T0 }, key.signing)
    expect(verifyLog(sha256, [], [empty], key.trust)).toMatchObject({ ok: true, size: 0 })
  })

  it('gives 0 false alarms over 250 random clean logs', () => {
    let runs = 0
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 3, max: 40 }), fc.boolean(), fc.nat(), fc.boolean(), (n, every, sealed, seed, shuffle) => {
        const log = makeLog(n, every, sealed, seed)
        const cps = shuffle ? [...log.checkpoints].reverse() : log.checkpoints
        const r = verifyLog(sha256, log.entries, cps, key.trust)
        expect(r).toEqual({
          ok: true,
          size: n,
          root: new MerkleTree(sha256, log.entries.map((e) => e.leafHash)).root(),
          coveredSize: log.sizes[log.sizes.length - 1] ?? 0,
        })
        runs++
      }),
      { numRuns: 250 },
    )
    expect(runs).toBe(250)
  })
})

type Tamper =
  | 'flip-field'
  | 'flip-field-rehash'
  | 'delete-row'
  | 'delete-row-renumber'
  | 'swap-rows'
  | 'swap-rows-renumber'
  | 'truncate-tail'
  | 'insert-forged'
  | 'insert-forged-renumber'

const TAMPERS: Tamper[] = ['flip-field', 'flip-field-rehash', 'delete-row', 'delete-row-renumber', 'swap-rows', 'swap-rows-renumber', 'truncate-tail', 'insert-forged', 'insert-forged-renumber']

/** Flips one bit of one character of a string field, or changes a number/boolean/null value. */
function flipField(e: AuditEntry, pick: number, bit: number): AuditEntry {
  const flip = (s: string): string => {
    const at = pick % s.length
    return s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << (bit % 7))) + s.slice(at + 1)
  }
  const keys = Object.keys(e.data)
  const which = pick % (2 + keys.length)
  if (which === 0) return { ...e, actor: flip(e.actor) }
  if (which === 1) return { ...e, action: flip(e.action) }
  const k = keys[which - 2]!
  const v = e.data[k]
  const changed = typeof v === 'string' ? flip(v) : typeof v === 'number' ? v ^ (1 << bit % 20) : typeof v === 'boolean' ? !v : 'x'
  return { ...e, data: { ...e.data, [k]: changed } }
}

const renumber = (rows: StoredAuditEntry[]): StoredAuditEntry[] => rows.map((e, i) => stored({ ...e, seq: i }))

interface Tampered {
  rows: StoredAuditEntry[]
  /** Exact first bad seq, a [low, high] range, or 'covered' (somewhere, not null). */
  expectAt: number | [number, number] | 'covered'
  codes: LogProblem[]
}

/**
 * Applies a tampering and says where it must be located. "-rehash"/"-renumber" variants model an
 * attacker with write access who also rewrites stored leaf hashes and seqs; those are only
 * detectable inside the signed prefix, so they are aimed there.
 */
function tamper(log: Log, kind: Tamper, a: number, b: number, bit: number): Tampered {
  const rows = [...log.entries]
  const n = rows.length
  const covered = log.sizes[log.sizes.length - 1]!
  const i = a % n
  const inCover = a % covered
  switch (kind) {
    case 'flip-field':
      rows[i] = { ...flipField(rows[i]!, b, bit), leafHash: rows[i]!.leafHash }
      return { rows, expectAt: i, codes: ['LEAF_HASH_MISMATCH'] }
    case 'flip-field-rehash':
      rows[inCover] = stored(flipField(rows[inCover]!, b, bit))
      return { rows, expectAt: lastGood(log, inCover), codes: ['ROOT_MISMATCH'] }
    case 'delete-row': {
      // Deleting the very last row is a truncation: only detectable when it is covered.
      const d = n - 1 > covered - 1 ? a % (n - 1) : i
      rows.splice(d, 1)
      return { rows, expectAt: d, codes: d === n - 1 ? ['TRUNCATED'] : ['SEQ_ORDER'] }
    }
    case 'delete-row-renumber':
      rows.splice(inCover, 1)
      return { rows: renumber(rows), expectAt: 'covered', codes: ['ROOT_MISMATCH', 'TRUNCATED'] }
    case 'swap-rows': {
      const j = (i + 1 + (b % Math.max(1, n - 1))) % n
      if (j === i) return tamper(log, 'flip-field', a, b, bit)
      ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
      return { rows, expectAt: Math.min(i, j), codes: ['SEQ_ORDER'] }
    }
    case 'swap-rows-renumber': {
      const j = (inCover + 1 + (b % Math.max(1, n - 1))) % n
      if (j === inCover) return tamper(log, 'flip-field-rehash', a, b, bit)
      ;[rows[inCover], rows[j]] = [rows[j]!, rows[inCover]!]
      return { rows: renumber(rows), expectAt: lastGood(log, Math.min(inCover, j)), codes: ['ROOT_MISMATCH'] }
    }
    case 'truncate-tail': {
      const keep = a % covered
      return { rows: rows.slice(0, keep), expectAt: keep, codes: ['TRUNCATED'] }
    }
    case 'insert-forged': {
      const forged = stored({ ...entry(i, b + 1), action: 'forged.entry', actor: 'key_admin' })
      rows.splice(i, 0, forged)
      // Two rows now claim seq i; which one is forged shows only if a checkpoint covers it.
      return { rows, expectAt: [lastGood(log, i), i], codes: ['SEQ_ORDER', 'ROOT_MISMATCH'] }
    }
    case 'insert-forged-renumber': {
      // an action no real entry has, so the forged row can never equal the row it displaces
      rows.splice(inCover, 0, stored({ ...entry(inCover, b + 1), action: 'forged.entry' }))
      return { rows: renumber(rows), expectAt: lastGood(log, inCover), codes: ['ROOT_MISMATCH'] }
    }
  }
}

/** The largest checkpoint size at or below seq t (entries before it still match their checkpoint). */
function lastGood(log: Log, t: number): number {
  return log.sizes.filter((s) => s <= t).pop() ?? 0
}

/**
 * 48 signed logs of 2..100 entries, checkpointed every 1..30 entries, half of them with a
 * checkpoint at the very end. Built once; each run tampers a copy of one of them.
 */
const POOL = Array.from({ length: 48 }, (_, k) => {
  const n = 2 + ((k * 37) % 99)
  return makeLog(n, Math.min(n, 1 + ((k * 11) % 30)), k % 2 === 0, k)
})

/** The trusted key with a memo of signature checks (the pool's checkpoints never change). */
const memo = new Map<string, boolean>()
const memoTrust: CheckpointTrust = {
  ...key.trust,
  verify: (b, sig) => {
    const id = `${toBase64(b)} ${toBase64(sig)}`
    if (!memo.has(id)) memo.set(id, key.trust.verify(b, sig))
    return memo.get(id)!
  },
}

describe('verifyLog detects tampering (A1)', () => {
  it('detects and locates 100% of 1,800 random tamperings', () => {
    const seen = new Map<Tamper, number>()
    fc.assert(
      fc.property(
        fc.nat({ max: POOL.length - 1 }),
        fc.constantFrom(...TAMPERS),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 31 }),
        (which, kind, a, b, bit) => {
          const log = POOL[which]!
          const { rows, expectAt, codes } = tamper(log, kind, a, b, bit)
          const r = verifyLog(sha256, rows, log.checkpoints, memoTrust)
          expect(r.ok, kind).toBe(false)
          if (r.ok) return
          expect(codes, `${kind}: ${r.problem}`).toContain(r.code)
          if (expectAt === 'covered') expect(r.firstBadSeq).not.toBeNull()
          else if (Array.isArray(expectAt)) {
            expect(r.firstBadSeq, `${kind}: ${r.problem}`).toBeGreaterThanOrEqual(expectAt[0])
            expect(r.firstBadSeq, `${kind}: ${r.problem}`).toBeLessThanOrEqual(expectAt[1])
          } else expect(r.firstBadSeq, `${kind}: ${r.problem}`).toBe(expectAt)
          seen.set(kind, (seen.get(kind) ?? 0) + 1)
        },
      ),
      { numRuns: 1800 },
    )
    expect([...seen.keys()].sort()).toEqual([...TAMPERS].sort())
  })

  it('names the problem in words', () => {
    const log = makeLog(10, 5, true, 1)
    const rows = log.entries.slice(0, 7)
    expect(verifyLog(sha256, rows, log.checkpoints, key.trust)).toEqual({
      ok: false,
      firstBadSeq: 7,
      code: 'TRUNCATED',
      problem: 'a checkpoint signed for size 10 covers seq 0..9, but only 7 entries are present (tail deleted)',
    })
  })
})

describe('verifyLog checks the checkpoints themselves', () => {
  const log = makeLog(20, 5, true, 3)
  const tree = new MerkleTree(sha256, log.entries.map((e) => e.leafHash))

  it('rejects a checkpoint signed by another key or for another origin', () => {
    const intruder = keys(ORIGIN)
    const forged = signCheckpoint({ origin: ORIGIN, size: 20, root: tree.root(20), time: T0 + 30_000 }, intruder.signing)
    expect(verifyLog(sha256, log.entries, [...log.checkpoints, forged], key.trust)).toMatchObject({ ok: false, code: 'BAD_CHECKPOINT', firstBadSeq: null })
    const elsewhere = signCheckpoint({ origin: 'other', size: 20, root: tree.root(20), time: T0 + 30_000 }, key.signing)
    expect(verifyLog(sha256, log.entries, [elsewhere], key.trust)).toMatchObject({ ok: false, code: 'BAD_CHECKPOINT' })
  })

  it('reports two signed roots for one size (a fork) and checkpoints dated out of order', () => {
    const fork = signCheckpoint({ origin: ORIGIN, size: 10, root: tree.root(11), time: T0 + 10_999 }, key.signing)
    expect(verifyLog(sha256, log.entries, [...log.checkpoints, fork], key.trust)).toMatchObject({ ok: false, code: 'CHECKPOINT_FORK' })
    const backdated = signCheckpoint({ origin: ORIGIN, size: 15, root: tree.root(15), time: T0 }, key.signing)
    expect(verifyLog(sha256, log.entries, [log.checkpoints[1]!, backdated], key.trust)).toMatchObject({ ok: false, code: 'CHECKPOINT_ORDER' })
  })

  it('reports a malformed row or stored hash instead of throwing', () => {
    const rows = [...log.entries]
    rows[4] = { ...rows[4]!, at: Number.NaN }
    expect(verifyLog(sha256, rows, log.checkpoints, key.trust)).toMatchObject({ ok: false, code: 'BAD_ENTRY', firstBadSeq: 4 })
    rows[4] = { ...log.entries[4]!, leafHash: new Uint8Array(3) }
    expect(verifyLog(sha256, rows, log.checkpoints, key.trust)).toMatchObject({ ok: false, code: 'LEAF_HASH_MISMATCH', firstBadSeq: 4 })
  })

  it('streams: accepts any iterable of rows', () => {
    function* rows(): Generator<StoredAuditEntry> {
      yield* log.entries
    }
    expect(verifyLog(sha256, rows(), log.checkpoints, key.trust)).toMatchObject({ ok: true, size: 20, coveredSize: 20 })
  })
})
