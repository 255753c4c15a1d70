/**
 * An append-only Merkle accumulator (a compact range [0, size) in transparency-dev terms): it keeps
 * only the roots of the perfect subtrees that make up the tree, at most one per bit of `size`, so
 * appending a leaf and reading the RFC 9162 root both take O(log n) time and memory.
 */
import { HASH_SIZE, type Hasher } from './hasher.js'
import { emptyRoot, nodeHash } from './merkle.js'
import { isSize, popCount } from './tree-math.js'

/** Serializable state of a `MerkleAccumulator`: the tree size and its perfect-subtree roots, largest first. */
export interface CompactRange {
  readonly size: number
  readonly hashes: readonly Uint8Array[]
}

/** Incremental RFC 9162 tree head over appended leaf hashes. */
export class MerkleAccumulator {
  readonly #h: Hasher
  #size: number
  /** Roots of perfect subtrees, left to right (largest first); one per set bit of size. */
  readonly #stack: Uint8Array[]

  /**
   * Starts an empty accumulator, or resumes one from a stored `CompactRange`.
   *
   * @throws RangeError when `from` is not a valid compact range (wrong hash count or length)
   */
  constructor(h: Hasher, from?: CompactRange) {
    this.#h = h
    this.#size = 0
    this.#stack = []
    if (from) {
      if (!isSize(from.size) || from.hashes.length !== popCount(from.size) || from.hashes.some((x) => x.length !== HASH_SIZE)) {
        throw new RangeError('invalid compact range: need one 32-byte hash per set bit of size')
      }
      this.#size = from.size
      this.#stack.push(...from.hashes.map((x) => x.slice()))
    }
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size
  }

  /** Appends one leaf hash (already `leafHash(h, entryBytes)`). */
  append(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('leaf hash must be 32 bytes')
    let node: Uint8Array = leafHash.slice()
    let n = this.#size
    while (n % 2 === 1) {
      node = nodeHash(this.#h, this.#stack.pop()!, node)
      n = Math.floor(n / 2)
    }
    this.#stack.push(node)
    this.#size++
  }

  /** The RFC 9162 root of the current tree (H("") when empty). */
  root(): Uint8Array {
    if (this.#stack.length === 0) return emptyRoot(this.#h)
    let r = this.#stack[this.#stack.length - 1]!
    for (let i = this.#stack.length - 2; i >= 0; i--) r = nodeHash(this.#h, this.#stack[i]!, r)
    return r
  }

  /** A copy of the state, to persist and later pass back to the constructor. */
  snapshot(): CompactRange {
    return { size: this.#size, hashes: this.#stack.map((x) => x.slice()) }
  }
}
