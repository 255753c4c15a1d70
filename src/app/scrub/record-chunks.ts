const QUOTE = 34
const LF = 10

/**
 * Cuts a byte stream into chunks that end at record boundaries: after a line feed that is
 * outside quotes (RFC 4180 quoted fields may hold line feeds). Each chunk owns its
 * `ArrayBuffer` (it can be transferred to a worker thread). Whether a line feed is inside quotes
 * follows from the parity of the quotes before it: a chunk always starts outside quotes.
 */
export class RecordChunks {
  #carry: Uint8Array = new Uint8Array(0)
  #carryQuotes = 0
  readonly #maxCarry: number

  constructor(maxCarry = 64 << 20) {
    this.#maxCarry = maxCarry
  }

  /** Bytes held back (a record not complete yet). */
  get pending(): number {
    return this.#carry.length
  }

  /** Takes the next bytes; returns the chunk of every complete record so far, or `null`. */
  push(data: Uint8Array): Uint8Array | null {
    const carry = this.#carry
    const cut = lastBoundary(data, (this.#carryQuotes & 1) === 1)
    if (cut < 0) {
      if (carry.length + data.length > this.#maxCarry) throw new RangeError('a record is longer than the largest chunk (unbalanced quotes?)')
      const joined = new Uint8Array(carry.length + data.length)
      joined.set(carry)
      joined.set(data, carry.length)
      this.#carry = joined
      this.#carryQuotes += countQuotes(data, 0, data.length)
      return null
    }
    const chunk = new Uint8Array(carry.length + cut)
    chunk.set(carry)
    chunk.set(data.subarray(0, cut), carry.length)
    this.#carry = data.slice(cut)
    this.#carryQuotes = countQuotes(this.#carry, 0, this.#carry.length)
    return chunk
  }

  /** The input ended: the rest (a last record without a line ending), or `null` when nothing is left. */
  end(): Uint8Array | null {
    const rest = this.#carry
    this.#carry = new Uint8Array(0)
    this.#carryQuotes = 0
    return rest.length > 0 ? rest : null
  }
}

function countQuotes(buf: Uint8Array, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) if (buf[i] === QUOTE) n++
  return n
}

/** Index after the last line feed of `data` that is outside quotes (given whether `data` starts inside quotes), or -1. */
export function lastBoundary(data: Uint8Array, startsInside: boolean): number {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  let q = bytes.indexOf(QUOTE)
  if (q < 0) {
    if (startsInside) return -1
    const lf = bytes.lastIndexOf(LF)
    return lf < 0 ? -1 : lf + 1
  }
  const quotes: number[] = []
  while (q >= 0) {
    quotes.push(q)
    q = bytes.indexOf(QUOTE, q + 1)
  }
  let lf = bytes.lastIndexOf(LF)
  while (lf >= 0) {
    // quotes before lf: binary search
    let lo = 0
    let hi = quotes.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (quotes[mid]! < lf) lo = mid + 1
      else hi = mid
    }
    const inside = ((lo & 1) === 1) !== startsInside
    if (!inside) return lf + 1
    lf = lf === 0 ? -1 : bytes.lastIndexOf(LF, lf - 1)
  }
  return -1
}
