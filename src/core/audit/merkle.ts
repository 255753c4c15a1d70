/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree algorithms over SHA-256:
 * hashing (§2.1.1), inclusion proofs (§2.1.3) and consistency proofs (§2.1.4).
 *
 * These functions follow the RFC's recursive definitions literally over an array of leaf hashes,
 * so each call costs O(n) hashes. For large stored logs use `MerkleTree` (merkle-tree.ts), which
 * gives the same proofs in O(log² n) after one O(n) build; for appending use `MerkleAccumulator`.
 *
 * Verifiers never throw on bad input: malformed sizes, hash lengths or proof lengths just fail.
 */
import { bytesEqual } from './bytes.js'
import { HASH_SIZE, type Hasher } from './hasher.js'
import { isPowerOfTwo, isSize, splitPoint } from './tree-math.js'

/** Leaf hash: H(0x00 ‖ entry). */
export function leafHash(h: Hasher, entry: Uint8Array): Uint8Array {
  const buf = new Uint8Array(entry.length + 1)
  buf[0] = 0x00
  buf.set(entry, 1)
  return h(buf)
}

/** Interior node hash: H(0x01 ‖ left ‖ right). */
export function nodeHash(h: Hasher, left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length)
  buf[0] = 0x01
  buf.set(left, 1)
  buf.set(right, 1 + left.length)
  return h(buf)
}

/** Root of the empty tree: H(""). */
export function emptyRoot(h: Hasher): Uint8Array {
  return h(new Uint8Array(0))
}

/** MTH(D[from:to]) over leaf hashes, with the RFC's largest-power-of-two split. */
function subtreeRoot(h: Hasher, leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from
  if (n === 0) return emptyRoot(h)
  if (n === 1) return leaves[from]!
  const k = splitPoint(n)
  return nodeHash(h, subtreeRoot(h, leaves, from, from + k), subtreeRoot(h, leaves, from + k, to))
}

/**
 * The Merkle tree hash MTH of `leafHashes` (RFC 9162 §2.1.1); the empty tree hashes to H("").
 *
 * @example rootOf(sha256, [leafHash(sha256, new Uint8Array())]) // 6e340b9c…
 */
export function rootOf(h: Hasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  return subtreeRoot(h, leafHashes, 0, leafHashes.length)
}

function checkRange(what: string, ok: boolean): void {
  if (!ok) throw new RangeError(what)
}

/**
 * The inclusion proof PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), ordered from the leaf's
 * sibling up to the root's child. `size` defaults to the whole array.
 *
 * @throws RangeError unless 0 ≤ index < size ≤ leafHashes.length
 */
export function inclusionProof(
  h: Hasher,
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number = leafHashes.length,
): Uint8Array[] {
  checkRange('inclusion proof needs 0 <= index < size <= leaves', isSize(index) && isSize(size) && index < size && size <= leafHashes.length)
  const path: Uint8Array[] = []
  const walk = (m: number, from: number, to: number): void => {
    const n = to - from
    if (n <= 1) return
    const k = splitPoint(n)
    if (m < k) {
      walk(m, from, from + k)
      path.push(subtreeRoot(h, leafHashes, from + k, to))
    } else {
      walk(m - k, from + k, to)
      path.push(subtreeRoot(h, leafHashes, from, from + k))
    }
  }
  walk(index, 0, size)
  return path
}

/**
 * The consistency proof PROOF(oldSize, D[0:newSize]) (RFC 9162 §2.1.4.1). Empty when
 * oldSize is 0 or equals newSize (nothing to prove).
 *
 * @throws RangeError unless 0 ≤ oldSize ≤ newSize ≤ leafHashes.length
 */
export function consistencyProof(
  h: Hasher,
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number,
): Uint8Array[] {
  checkRange('consistency proof needs 0 <= oldSize <= newSize <= leaves', isSize(oldSize) && isSize(newSize) && oldSize <= newSize && newSize <= leafHashes.length)
  const proof: Uint8Array[] = []
  if (oldSize === 0 || oldSize === newSize) return proof
  const sub = (m: number, from: number, to: number, complete: boolean): void => {
    const n = to - from
    if (m === n) {
      if (!complete) proof.push(subtreeRoot(h, leafHashes, from, to))
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      sub(m, from, from + k, complete)
      proof.push(subtreeRoot(h, leafHashes, from + k, to))
    } else {
      sub(m - k, from + k, to, false)
      proof.push(subtreeRoot(h, leafHashes, from, from + k))
    }
  }
  sub(oldSize, 0, newSize, true)
  return proof
}

function allHashes(list: readonly Uint8Array[]): boolean {
  return list.every((x) => x.length === HASH_SIZE)
}

/**
 * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2: true only when `leafHash`
 * is the leaf at `index` of the tree of `treeSize` leaves whose root is `root`.
 */
export function verifyInclusion(
  h: Hasher,
  index: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(treeSize) || index >= treeSize) return false
  if (leafHash.length !== HASH_SIZE || root.length !== HASH_SIZE || proof.length > 64 || !allHashes(proof)) return false
  let fn = index
  let sn = treeSize - 1
  let r = leafHash
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(h, p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(h, r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(r, root)
}

/**
 * Verifies a consistency proof with the algorithm of RFC 9162 §2.1.4.2: true only when the tree
 * of `oldSize` leaves with root `oldRoot` is a prefix of the tree of `newSize` leaves with root
 * `newRoot`.
 *
 * Edge cases: equal sizes need equal roots and an empty proof; `oldSize` 0 with a larger
 * `newSize` is rejected (a proof from the empty tree proves nothing; RFC 9162 requires
 * 0 < first < second, transparency-dev/merkle rejects it too).
 */
export function verifyConsistency(
  h: Hasher,
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(oldSize) || !isSize(newSize) || oldSize > newSize) return false
  if (oldRoot.length !== HASH_SIZE || newRoot.length !== HASH_SIZE || proof.length > 64 || !allHashes(proof)) return false
  if (oldSize === newSize) {
    if (proof.length !== 0 || !bytesEqual(oldRoot, newRoot)) return false
    return oldSize !== 0 || bytesEqual(oldRoot, emptyRoot(h))
  }
  if (oldSize === 0 || proof.length === 0) return false
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof
  let fn = oldSize - 1
  let sn = newSize - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr = path[0]!
  let sr = path[0]!
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(h, c, fr)
      sr = nodeHash(h, c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = nodeHash(h, sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot)
}
