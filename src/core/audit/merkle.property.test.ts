import { hash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual } from './bytes.js'
import type { Hasher } from './hasher.js'
import { consistencyProof, inclusionProof, leafHash, nodeHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.js'
import { MerkleAccumulator } from './merkle-accumulator.js'
import { MerkleTree } from './merkle-tree.js'

const sha256: Hasher = (d) => new Uint8Array(hash('sha256', d, 'buffer'))

/** Leaf hashes for a tree of n leaves (leaf i's input is the 4-byte big-endian i plus a salt). */
function leavesFor(n: number, salt = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(sha256, Uint8Array.of(salt, i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255)))
}

// Naive reference straight from RFC 9162 §2.1, with array slices (independent of src).
function refRoot(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0))
  if (d.length === 1) return d[0]!
  let k = 1
  while (k * 2 < d.length) k *= 2
  return nodeHash(sha256, refRoot(d.slice(0, k)), refRoot(d.slice(k)))
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return []
  let k = 1
  while (k * 2 < d.length) k *= 2
  return m < k ? [...refPath(m, d.slice(0, k)), refRoot(d.slice(k))] : [...refPath(m - k, d.slice(k)), refRoot(d.slice(0, k))]
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refRoot(d)]
  let k = 1
  while (k * 2 < d.length) k *= 2
  return m <= k ? [...refSubproof(m, d.slice(0, k), b), refRoot(d.slice(k))] : [...refSubproof(m - k, d.slice(k), false), refRoot(d.slice(0, k))]
}

/**
 * The sequence of left/right steps the §2.1.3.2 verifier takes for (index, size). Sizes are not
 * bound into RFC 6962/9162 hashes, so a proof also verifies for any other (index, size) with the
 * same steps: e.g. index 0 of size 5 and of size 6 both hash as ((l0·p0)·p1)·p2. That is a property
 * of the tree format, not a bug; the tests below assert exactly it.
 */
function inclusionShape(index: number, size: number, len: number): string | null {
  if (index >= size) return null
  let fn = index
  let sn = size - 1
  let s = ''
  for (let i = 0; i < len; i++) {
    if (sn === 0) return null
    if (fn % 2 === 1 || fn === sn) {
      s += 'L'
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) ((fn /= 2), (sn = Math.floor(sn / 2)))
    } else s += 'R'
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 ? s : null
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k)
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  out[bit >> 3]! ^= 1 << (bit & 7)
  return out
}

describe('every (index, size) and (m, n) up to 64 leaves', () => {
  const all = leavesFor(64)
  const tree = new MerkleTree(sha256, all)
  const roots = Array.from({ length: 65 }, (_, n) => refRoot(all.slice(0, n)))
  const same = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean => a.length === b.length && a.every((x, k) => bytesEqual(x, b[k]!))

  it('roots agree: reference, rootOf, MerkleTree, MerkleAccumulator', () => {
    const acc = new MerkleAccumulator(sha256)
    for (let n = 0; n <= 64; n++) {
      if (n > 0) acc.append(all[n - 1]!)
      expect(bytesEqual(rootOf(sha256, all.slice(0, n)), roots[n]!)).toBe(true)
      expect(bytesEqual(tree.root(n), roots[n]!)).toBe(true)
      expect(bytesEqual(acc.root(), roots[n]!)).toBe(true)
    }
  })

  it('inclusion proofs agree with the reference, verify, and fail when mutated', () => {
    const failures: string[] = []
    const check = (ok: boolean, what: string): void => void (ok || failures.push(what))
    for (let n = 1; n <= 64; n++) {
      for (let i = 0; i < n; i++) {
        const at = `index ${i} size ${n}`
        const want = refPath(i, all.slice(0, n))
        const proof = inclusionProof(sha256, all, i, n)
        check(same(proof, want), `${at}: merkle.ts proof differs from the reference`)
        check(same(tree.inclusionProof(i, n), want), `${at}: MerkleTree proof differs from the reference`)
        const leaf = all[i]!
        const root = roots[n]!
        check(verifyInclusion(sha256, i, n, leaf, proof, root), `${at}: valid proof rejected`)
        proof.forEach((_, j) => {
          const p = [...proof]
          p[j] = flipBit(p[j]!, (i * 31 + j * 7) % 256)
          check(!verifyInclusion(sha256, i, n, leaf, p, root), `${at}: flipped proof[${j}] accepted`)
        })
        check(!verifyInclusion(sha256, i, n, flipBit(leaf, (i + n) % 256), proof, root), `${at}: flipped leaf accepted`)
        check(!verifyInclusion(sha256, i, n, leaf, proof, flipBit(root, (i * n) % 256)), `${at}: flipped root accepted`)
        check(!verifyInclusion(sha256, i, n, leaf, [...proof, root], root), `${at}: extended proof accepted`)
        if (proof.length > 0) check(!verifyInclusion(sha256, i, n, leaf, proof.slice(0, -1), root), `${at}: truncated proof accepted`)
        // Any other index or size: fails unless the verifier would take the very same steps
        // (every alternative up to 24 leaves, the neighbours of i and n above that).
        const shape = inclusionShape(i, n, proof.length)
        for (const j of n <= 24 ? range(0, n) : [i - 1, i + 1, i ^ 1, i ^ 2, n - 1 - i]) {
          if (j !== i && j >= 0 && j < n) check(verifyInclusion(sha256, j, n, leaf, proof, root) === (inclusionShape(j, n, proof.length) === shape), `${at}: index ${j}`)
        }
        for (const s of n <= 24 ? range(1, 65) : [n - 1, n + 1, n ^ 1, n ^ 4, n * 2, n >> 1]) {
          if (s !== n) check(verifyInclusion(sha256, i, s, leaf, proof, root) === (inclusionShape(i, s, proof.length) === shape), `${at}: size ${s}`)
        }
      }
    }
    expect(failures).toEqual([])
  })

  it('consistency proofs agree with the reference, verify, and fail when mutated', () => {
    const failures: string[] = []
    const check = (ok: boolean, what: string): void => void (ok || failures.push(what))
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const at = `${m} to ${n}`
        const want = m === n ? [] : refSubproof(m, all.slice(0, n), true)
        const proof = consistencyProof(sha256, all, m, n)
        check(same(proof, want), `${at}: merkle.ts proof differs from the reference`)
        check(same(tree.consistencyProof(m, n), want), `${at}: MerkleTree proof differs from the reference`)
        const r1 = roots[m]!
        const r2 = roots[n]!
        check(verifyConsistency(sha256, m, n, r1, r2, proof), `${at}: valid proof rejected`)
        if (m === n) continue
        proof.forEach((_, j) => {
          const p = [...proof]
          p[j] = flipBit(p[j]!, (m * 31 + j * 7) % 256)
          check(!verifyConsistency(sha256, m, n, r1, r2, p), `${at}: flipped proof[${j}] accepted`)
        })
        check(!verifyConsistency(sha256, m, n, flipBit(r1, m % 256), r2, proof), `${at}: flipped old root accepted`)
        check(!verifyConsistency(sha256, m, n, r1, flipBit(r2, n % 256), proof), `${at}: flipped new root accepted`)
        check(!verifyConsistency(sha256, m, n, r1, r2, proof.slice(0, -1)), `${at}: truncated proof accepted`)
        check(!verifyConsistency(sha256, m, n, r1, r2, [...proof, r2]), `${at}: extended proof accepted`)
        // Any other old size with the same roots and proof describes a different tree: must fail.
        for (const m2 of n <= 24 ? range(1, n) : [m - 1, m + 1, m ^ 2, m >> 1, m * 2]) {
          if (m2 !== m && m2 > 0 && m2 < n) check(!verifyConsistency(sha256, m2, n, r1, r2, proof), `${at}: old size ${m2} accepted`)
        }
        // Any other new size: fails unless the verifier would take the very same steps.
        for (const n2 of n <= 24 ? range(m + 1, 65) : [n - 1, n + 1, n ^ 1, n * 2, n >> 1]) {
          if (n2 !== n && n2 > m) check(verifyConsistency(sha256, m, n2, r1, r2, proof) === consistencyShapeEqual(m, n, n2), `${at}: new size ${n2}`)
        }
      }
    }
    expect(failures).toEqual([])
  })
})

/** A random tree of 1..2000 leaves with a random index (the tree is built once per run). */
const treeAndIndex = fc
  .integer({ min: 1, max: 2000 })
  .chain((n) => fc.record({ n: fc.constant(n), i: fc.integer({ min: 0, max: n - 1 }), m: fc.integer({ min: 1, max: n }), salt: fc.integer({ min: 0, max: 255 }) }))

describe('random trees up to 2,000 leaves', () => {
  it('every valid inclusion and consistency proof verifies; MerkleTree matches merkle.ts', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ n, i, m, salt }) => {
        const leaves = leavesFor(n, salt)
        const tree = new MerkleTree(sha256, leaves)
        const root = tree.root()
        const proof = tree.inclusionProof(i)
        expect(proof).toEqual(inclusionProof(sha256, leaves, i))
        expect(verifyInclusion(sha256, i, n, leaves[i]!, proof, root)).toBe(true)
        const cproof = tree.consistencyProof(m)
        expect(cproof).toEqual(consistencyProof(sha256, leaves, m, n))
        expect(verifyConsistency(sha256, m, n, tree.root(m), root, cproof)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('every single-bit flip of every proof element, of the root and of the leaf fails (inclusion)', () => {
    fc.assert(
      fc.property(treeAndIndex, ({ n, i, salt }) => {
        const leaves = leavesFor(n, salt)
        const tree = new MerkleTree(sha256, leaves)
        const root = tree.root()
        const proof = tree.inclusionProof(i)
        const leaf = leaves[i]!
        for (let bit = 0; bit < 256; bit++) {
          expect(verifyInclusion(sha256, i, n, flipBit(leaf, bit), proof, root)).toBe(false)
          expect(verifyInclusion(sha256, i, n, leaf, proof, flipBit(root, bit))).toBe(false)
          for (let j = 0; j < proof.length; j++) {
            const p = [...proof]
            p[j] = flipBit(p[j]!, bit)
            expect(verifyInclusion(sha256, i, n, leaf, p, root)).toBe(false)
          }
        }
      }),
      { numRuns: 10 },
    )
  })

  it('every single-bit flip of every proof element and of either root fails (consistency)', () => {
    fc.assert(
      fc.property(
        treeAndIndex.filter(({ n, m }) => m < n),
        ({ n, m, salt }) => {
          const tree = new MerkleTree(sha256, leavesFor(n, salt))
          const r1 = tree.root(m)
          const r2 = tree.root()
          const proof = tree.consistencyProof(m)
          for (let bit = 0; bit < 256; bit++) {
            expect(verifyConsistency(sha256, m, n, flipBit(r1, bit), r2, proof)).toBe(false)
            expect(verifyConsistency(sha256, m, n, r1, flipBit(r2, bit), proof)).toBe(false)
            for (let j = 0; j < proof.length; j++) {
              const p = [...proof]
              p[j] = flipBit(p[j]!, bit)
              expect(verifyConsistency(sha256, m, n, r1, r2, p)).toBe(false)
            }
          }
        },
      ),
      { numRuns: 10 },
    )
  })

  it('wrong index or size, truncated, extended or spliced proofs fail', () => {
    fc.assert(
      fc.property(treeAndIndex, fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 1, max: 4000 }), fc.nat(), ({ n, i, m, salt }, j, s, at) => {
        const leaves = leavesFor(n, salt)
        const tree = new MerkleTree(sha256, leaves)
        const root = tree.root()
        const proof = tree.inclusionProof(i)
        const leaf = leaves[i]!
        const shape = inclusionShape(i, n, proof.length)
        if (j !== i) expect(verifyInclusion(sha256, j, n, leaf, proof, root)).toBe(j < n && inclusionShape(j, n, proof.length) === shape)
        if (s !== n) expect(verifyInclusion(sha256, i, s, leaf, proof, root)).toBe(inclusionShape(i, s, proof.length) === shape)
        if (proof.length > 0) expect(verifyInclusion(sha256, i, n, leaf, proof.slice(0, -1), root)).toBe(false)
        const spliced = [...proof]
        spliced.splice(at % (proof.length + 1), 0, root)
        expect(verifyInclusion(sha256, i, n, leaf, spliced, root)).toBe(false)
        if (m < n) {
          const cp = tree.consistencyProof(m)
          const r1 = tree.root(m)
          expect(verifyConsistency(sha256, m, n, r1, root, cp.slice(0, -1))).toBe(false)
          const cs = [...cp]
          cs.splice(at % (cp.length + 1), 0, r1)
          expect(verifyConsistency(sha256, m, n, r1, root, cs)).toBe(false)
          if (s > m && s !== n && !bytesEqual(tree.root(Math.min(s, n)), root)) {
            // Claiming the proof links to a different new size with the same roots must fail
            // unless the step shapes coincide; they only coincide for sizes sharing every step.
            const other = verifyConsistency(sha256, m, s, r1, root, cp)
            if (other) expect(s > n || consistencyShapeEqual(m, n, s)).toBe(true)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})

/** True when the §2.1.4.2 verifier takes the same steps for (m, n) and (m, s). */
function consistencyShapeEqual(m: number, n: number, s: number): boolean {
  const steps = (second: number): string => {
    let fn = m - 1
    let sn = second - 1
    while (fn % 2 === 1) ((fn = Math.floor(fn / 2)), (sn = Math.floor(sn / 2)))
    let out = ''
    while (sn > 0) {
      if (fn % 2 === 1 || fn === sn) {
        out += 'L'
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) ((fn /= 2), (sn = Math.floor(sn / 2)))
      } else out += 'R'
      fn = Math.floor(fn / 2)
      sn = Math.floor(sn / 2)
    }
    return out
  }
  return steps(n) === steps(s)
}

describe('MerkleAccumulator', () => {
  it('matches rootOf after every append and survives snapshot/restore', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (n, cut) => {
        const leaves = leavesFor(n)
        const acc = new MerkleAccumulator(sha256)
        leaves.forEach((l, i) => {
          acc.append(l)
          if (i === Math.min(cut, n - 1)) {
            const resumed = new MerkleAccumulator(sha256, acc.snapshot())
            expect(resumed.root()).toEqual(acc.root())
            expect(resumed.size).toBe(acc.size)
          }
        })
        expect(acc.root()).toEqual(rootOf(sha256, leaves))
      }),
      { numRuns: 100 },
    )
  })

  it('rejects a malformed compact range or leaf hash', () => {
    const h = leavesFor(1)[0]!
    expect(() => new MerkleAccumulator(sha256, { size: 3, hashes: [h] })).toThrow(RangeError)
    expect(() => new MerkleAccumulator(sha256, { size: 1, hashes: [h.slice(1)] })).toThrow(RangeError)
    expect(() => new MerkleAccumulator(sha256, { size: -1, hashes: [] })).toThrow(RangeError)
    expect(() => new MerkleAccumulator(sha256).append(new Uint8Array(31))).toThrow(RangeError)
  })
})

describe('MerkleTree at 100,000 leaves', () => {
  it('builds once and answers roots and proofs in O(log² n)', () => {
    const n = 100_000
    const leaves = leavesFor(n, 7)
    let hashes = 0
    const counting: Hasher = (d) => (hashes++, sha256(d))
    const tree = new MerkleTree(counting, leaves)
    // One hash per node of a perfect subtree: n minus the number of perfect subtrees (6 set bits).
    expect(hashes).toBe(n - 6)
    const acc = new MerkleAccumulator(sha256)
    for (const l of leaves) acc.append(l)
    const root = tree.root()
    expect(root).toEqual(acc.root())
    const counted = tree
    hashes = 0
    for (const i of [0, 1, 4_095, 65_535, 65_536, 99_998, 99_999]) {
      const proof = counted.inclusionProof(i)
      expect(verifyInclusion(sha256, i, n, leaves[i]!, proof, root)).toBe(true)
    }
    for (const m of [1, 2, 3, 1_000, 65_536, 70_001, 99_999]) {
      const proof = counted.consistencyProof(m)
      expect(verifyConsistency(sha256, m, n, tree.root(m), root, proof)).toBe(true)
    }
    // 14 proofs over 100k leaves: O(log² n) hashing, not 14 × 100k.
    expect(hashes).toBeLessThan(14 * 17 * 17)
  })

  it('rejects out-of-range requests', () => {
    const tree = new MerkleTree(sha256, leavesFor(5))
    expect(() => tree.inclusionProof(5)).toThrow(RangeError)
    expect(() => tree.inclusionProof(0, 6)).toThrow(RangeError)
    expect(() => tree.consistencyProof(4, 3)).toThrow(RangeError)
    expect(() => tree.root(6)).toThrow(RangeError)
    expect(() => inclusionProof(sha256, leavesFor(3), 3)).toThrow(RangeError)
    expect(() => consistencyProof(sha256, leavesFor(3), 2, 4)).toThrow(RangeError)
    expect(tree.consistencyProof(0, 5)).toEqual([])
  })
})
