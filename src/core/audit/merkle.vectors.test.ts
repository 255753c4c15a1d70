/**
 * Known-answer tests from transparency-dev/merkle (Apache-2.0):
 * - testonly/constants.go: LeafInputs, NodeHashes, RootHashes, CompactTrees, EmptyRootHash
 * - proof/verify_test.go: inclusionProofs, consistencyProofs, and the corruption probes of
 *   corruptInclusionProof / corruptConsistencyProof (the same probes that generate
 *   testdata/{inclusion,consistency}/*.json), re-derived here.
 * The RFC 6962 and RFC 9162 tree hashing are identical, so these vectors apply unchanged.
 */
import { hash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fromHex, toHex, utf8 } from './bytes.js'
import type { Hasher } from './hasher.js'
import { consistencyProof, emptyRoot, inclusionProof, leafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.js'
import { MerkleAccumulator } from './merkle-accumulator.js'
import { MerkleTree } from './merkle-tree.js'

const sha256: Hasher = (d) => new Uint8Array(hash('sha256', d, 'buffer'))
const hx = (s: string): Uint8Array => fromHex(s)!

const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hx)

const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  ['d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
]

const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const SOME_HASH = hx('abacaba000000000000000000000000000000000000000000060061e00123456')

/** RootHashes()[size] for sizes 0..8. */
const ROOTS = [
  EMPTY_ROOT,
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]

const nh = (level: number, i: number): string => NODE_HASHES[level]![i]!

/** CompactTrees(): the perfect-subtree roots of each tree size 0..8, largest first. */
const COMPACT = [[], [nh(0, 0)], [nh(1, 0)], [nh(1, 0), nh(0, 2)], [nh(2, 0)], [nh(2, 0), nh(0, 4)], [nh(2, 0), nh(1, 2)], [nh(2, 0), nh(1, 2), nh(0, 6)], [nh(3, 0)]]

/** inclusionProofs of verify_test.go; the Go vectors use 1-based leaf numbers, here 0-based index. */
const INCLUSION = [
  { index: 0, size: 1, proof: [] as string[] },
  { index: 0, size: 8, proof: [nh(0, 1), nh(1, 1), nh(2, 1)] },
  { index: 5, size: 8, proof: [nh(0, 4), nh(1, 3), nh(2, 0)] },
  { index: 2, size: 3, proof: [nh(1, 0)] },
  { index: 1, size: 5, proof: [nh(0, 0), nh(1, 1), nh(0, 4)] },
]

/** consistencyProofs of verify_test.go. */
const CONSISTENCY = [
  { m: 1, n: 1, proof: [] as string[] },
  { m: 1, n: 8, proof: [nh(0, 1), nh(1, 1), nh(2, 1)] },
  { m: 6, n: 8, proof: [nh(1, 2), nh(1, 3), nh(2, 0)] },
  { m: 2, n: 5, proof: [nh(1, 1), nh(0, 4)] },
  { m: 6, n: 7, proof: [nh(1, 2), nh(0, 6), nh(2, 0)] },
]

const leaves = LEAF_INPUTS.map((e) => leafHash(sha256, e))
const wrong = utf8('WrongLeaf')

describe('RFC 6962/9162 known answers (transparency-dev/merkle testonly)', () => {
  it('hashes the empty tree to SHA-256("")', () => {
    expect(toHex(emptyRoot(sha256))).toBe(EMPTY_ROOT)
    expect(toHex(rootOf(sha256, []))).toBe(EMPTY_ROOT)
  })

  it('hashes the leaves and every perfect subtree (NodeHashes)', () => {
    NODE_HASHES.forEach((row, level) => {
      row.forEach((want, i) => {
        const width = 2 ** level
        expect(toHex(rootOf(sha256, leaves.slice(i * width, (i + 1) * width)))).toBe(want)
      })
    })
  })

  it('gives the published root for sizes 0..8 (RootHashes), three ways', () => {
    const tree = new MerkleTree(sha256, leaves)
    const acc = new MerkleAccumulator(sha256)
    ROOTS.forEach((want, size) => {
      if (size > 0) acc.append(leaves[size - 1]!)
      expect(toHex(rootOf(sha256, leaves.slice(0, size)))).toBe(want)
      expect(toHex(tree.root(size))).toBe(want)
      expect(toHex(acc.root())).toBe(want)
      expect(acc.snapshot().hashes.map(toHex)).toEqual(COMPACT[size])
    })
    expect(toHex(MerkleTree.fromEntries(sha256, LEAF_INPUTS).root())).toBe(ROOTS[8])
  })

  it.each(INCLUSION)('inclusion proof for index $index in size $size', ({ index, size, proof }) => {
    const root = hx(ROOTS[size]!)
    expect(inclusionProof(sha256, leaves, index, size).map(toHex)).toEqual(proof)
    expect(new MerkleTree(sha256, leaves).inclusionProof(index, size).map(toHex)).toEqual(proof)
    expect(verifyInclusion(sha256, index, size, leaves[index]!, proof.map(hx), root)).toBe(true)
  })

  it.each(CONSISTENCY)('consistency proof from size $m to $n', ({ m, n, proof }) => {
    expect(consistencyProof(sha256, leaves, m, n).map(toHex)).toEqual(proof)
    expect(new MerkleTree(sha256, leaves).consistencyProof(m, n).map(toHex)).toEqual(proof)
    expect(verifyConsistency(sha256, m, n, hx(ROOTS[m]!), hx(ROOTS[n]!), proof.map(hx))).toBe(true)
  })
})

/** corruptInclusionProof of verify_test.go: every probe must fail. */
function inclusionProbes(index: number, size: number, proof: Uint8Array[], root: Uint8Array, leaf: Uint8Array) {
  const probes = [
    { desc: 'index - 1', index: index - 1, size, leaf, proof, root },
    { desc: 'index + 1', index: index + 1, size, leaf, proof, root },
    { desc: 'index ^ 2', index: index ^ 2, size, leaf, proof, root },
    { desc: 'size * 2', index, size: size * 2, leaf, proof, root },
    { desc: 'size / 2', index, size: Math.floor(size / 2), leaf, proof, root },
    { desc: 'wrong leaf', index, size, leaf: wrong, proof, root },
    { desc: 'empty root', index, size, leaf, proof, root: hx(EMPTY_ROOT) },
    { desc: 'random root', index, size, leaf, proof, root: SOME_HASH },
    { desc: 'trailing garbage', index, size, leaf, proof: [...proof, new Uint8Array(0)], root },
    { desc: 'trailing root', index, size, leaf, proof: [...proof, root], root },
    { desc: 'preceding garbage', index, size, leaf, proof: [new Uint8Array(0), ...proof], root },
    { desc: 'preceding root', index, size, leaf, proof: [root, ...proof], root },
  ]
  proof.forEach((_, i) => {
    const p = proof.map((x) => x.slice())
    p[i]![0]! ^= 8
    probes.push({ desc: `modified proof[${i}] bit 3`, index, size, leaf, proof: p, root })
  })
  if (proof.length > 0) probes.push({ desc: 'removed component', index, size, leaf, proof: proof.slice(0, -1), root })
  if (proof.length > 1) probes.push({ desc: 'inserted component', index, size, leaf, proof: [proof[0]!, SOME_HASH, ...proof.slice(1)], root })
  return probes
}

/** corruptConsistencyProof of verify_test.go: every probe must fail. */
function consistencyProbes(m: number, n: number, r1: Uint8Array, r2: Uint8Array, proof: Uint8Array[]) {
  const wrongRoot = utf8('WrongRoot')
  const probes = [
    { desc: 'size1 - 1', m: m - 1, n, r1, r2, proof },
    { desc: 'size1 + 1', m: m + 1, n, r1, r2, proof },
    { desc: 'size1 ^ 2', m: m ^ 2, n, r1, r2, proof },
    { desc: 'size2 * 2', m, n: n * 2, r1, r2, proof },
    { desc: 'size2 / 2', m, n: Math.floor(n / 2), r1, r2, proof },
    { desc: 'wrong root1', m, n, r1: wrongRoot, r2, proof },
    { desc: 'wrong root2', m, n, r1, r2: wrongRoot, proof },
    { desc: 'swapped roots', m, n, r1: r2, r2: r1, proof },
    { desc: 'empty proof', m, n, r1, r2, proof: [] },
    { desc: 'trailing garbage', m, n, r1, r2, proof: [...proof, new Uint8Array(0)] },
    { desc: 'trailing root1', m, n, r1, r2, proof: [...proof, r1] },
    { desc: 'trailing root2', m, n, r1, r2, proof: [...proof, r2] },
    { desc: 'preceding garbage', m, n, r1, r2, proof: [new Uint8Array(0), ...proof] },
    { desc: 'preceding root1', m, n, r1, r2, proof: [r1, ...proof] },
    { desc: 'preceding root2', m, n, r1, r2, proof: [r2, ...proof] },
    { desc: 'preceding proof[0]', m, n, r1, r2, proof: [proof[0]!, ...proof] },
    { desc: 'truncated proof', m, n, r1, r2, proof: proof.slice(0, -1) },
  ]
  proof.forEach((_, i) => {
    const p = proof.map((x) => x.slice())
    p[i]![0]! ^= 16
    probes.push({ desc: `modified proof[${i}] bit 4`, m, n, r1, r2, proof: p })
  })
  return probes
}

describe('transparency-dev/merkle corruption probes', () => {
  it.each(INCLUSION.filter((v) => v.proof.length > 0))('reject every corrupted inclusion proof ($index in $size)', ({ index, size, proof }) => {
    const root = hx(ROOTS[size]!)
    for (const p of inclusionProbes(index, size, proof.map(hx), root, leaves[index]!)) {
      expect(verifyInclusion(sha256, p.index, p.size, p.leaf, p.proof, p.root), p.desc).toBe(false)
    }
  })

  it.each(CONSISTENCY.filter((v) => v.proof.length > 0))('reject every corrupted consistency proof ($m to $n)', ({ m, n, proof }) => {
    for (const p of consistencyProbes(m, n, hx(ROOTS[m]!), hx(ROOTS[n]!), proof.map(hx))) {
      expect(verifyConsistency(sha256, p.m, p.n, p.r1, p.r2, p.proof), p.desc).toBe(false)
    }
  })

  it('single-entry tree: root equals leaf hash, proof empty (TestVerifyInclusionSingleEntry)', () => {
    const hash = leafHash(sha256, utf8('data'))
    const empty = new Uint8Array(0)
    expect(verifyInclusion(sha256, 0, 1, hash, [], hash)).toBe(true)
    expect(verifyInclusion(sha256, 0, 1, empty, [], hash)).toBe(false)
    expect(verifyInclusion(sha256, 0, 1, hash, [], empty)).toBe(false)
    expect(verifyInclusion(sha256, 0, 1, empty, [], empty)).toBe(false)
  })

  it('rejects impossible index/size pairs (TestVerifyInclusion probes)', () => {
    for (const [index, size] of [[0, 0], [0, 1], [1, 0], [2, 1]] as const) {
      expect(verifyInclusion(sha256, index, size, SOME_HASH, [], new Uint8Array(0))).toBe(false)
      expect(verifyInclusion(sha256, index, size, new Uint8Array(0), [], hx(EMPTY_ROOT))).toBe(false)
      expect(verifyInclusion(sha256, index, size, SOME_HASH, [], hx(EMPTY_ROOT))).toBe(false)
    }
  })

  it('handles the trivial consistency cases (TestVerifyConsistency table)', () => {
    const e = hx(EMPTY_ROOT)
    const r1 = SOME_HASH
    const r2 = hx(ROOTS[3]!)
    // Different roots for the same size.
    expect(verifyConsistency(sha256, 0, 0, e, r2, [])).toBe(false)
    expect(verifyConsistency(sha256, 1, 1, r1, r2, [])).toBe(false)
    // Equal sizes, equal roots, empty proof.
    expect(verifyConsistency(sha256, 0, 0, e, e, [])).toBe(true)
    expect(verifyConsistency(sha256, 1, 1, r2, r2, [])).toBe(true)
    // Time travel to the past.
    expect(verifyConsistency(sha256, 1, 0, r1, r2, [])).toBe(false)
    expect(verifyConsistency(sha256, 2, 1, r1, r2, [])).toBe(false)
    // Empty proof for growth.
    expect(verifyConsistency(sha256, 1, 2, r1, r2, [])).toBe(false)
    // Roots match but the proof is not empty.
    expect(verifyConsistency(sha256, 0, 0, e, e, [e])).toBe(false)
    expect(verifyConsistency(sha256, 1, 1, e, e, [e])).toBe(false)
    // From the empty tree: meaningless, rejected (as current transparency-dev does).
    expect(verifyConsistency(sha256, 0, 1, e, r2, [])).toBe(false)
    expect(verifyConsistency(sha256, 0, 1, e, e, [e])).toBe(false)
  })
})
