import type { NumberSink } from './area-bitmaps.js'
import type { RegistryFormat } from './registry-id.js'
import { nanpInvalidReason } from '../phone/nanp.js'

export type { RegistryFormat, RegistryId } from './registry-id.js'
export { parseRegistryId } from './registry-id.js'

/** Options for {@link RegistryFileParser}. */
export interface RegistryFileParserOptions {
  /** `nanp`: `NPA,NXXXXXX` or 10 digits. `uk`: `0` or `+44`, then 9–10 digits not starting with 0. */
  readonly format: RegistryFormat
  /** Skip and count malformed lines instead of stopping at the first one. */
  readonly skipInvalid?: boolean
  /**
   * When given, the only areas (national number ÷ 10^7: NANP area codes) a number may be in
   * (`allowedAreas[area] === 1`); a number of another area is a malformed line.
   */
  readonly allowedAreas?: Uint8Array | null
}

/** Why the parser stopped: the 1-based physical line and what is wrong with it (never the line's content). */
export interface RegistryLineError {
  readonly line: number
  readonly reason: string
}

/** Counters of a parse so far. */
export interface RegistryParseStats {
  /** Physical lines seen (a last line without a newline counts once `end()` is called). */
  readonly lines: number
  /** Lines that held a valid number, duplicates included. */
  readonly numbers: number
  /**
   * Valid numbers the target said it held already (`add` returned `false`). A target that takes
   * numbers with `push` does not say, and this stays 0: its owner counts numbers − distinct.
   */
  readonly duplicates: number
  /** Malformed lines skipped (`skipInvalid` only). */
  readonly skipped: number
  /** Empty or whitespace-only lines. */
  readonly blank: number
  /** Whether the first non-blank line was taken as a header (it contained letters). */
  readonly header: boolean
}

const BAD_CHAR = 1
const BAD_SPACE = 2

const ENCODER = new TextEncoder()

/**
 * Incremental, strict parser for registry flat files (FTC and CRTC `NPA,NXXXXXX`, 10-digit lines,
 * UK TPS national or E.164 lines). Feed it bytes (or text) in chunks of any size (splits may fall
 * anywhere, CRLF included); each valid number goes into the target set as its
 * national number (`3052000002`, UK `1632960000`).
 *
 * NANP numbers are validated as `--phone` validates them (`nanpInvalidReason`): an area code or
 * exchange starting 0 or 1, an N11 code, or an unassigned area code is a malformed line. UK
 * numbers may hold spaces between digits (`020 7946 0018`).
 *
 * Per line: surrounding spaces, tabs and a CR are ignored; blank lines are counted and ignored;
 * the first non-blank line is a header, and ignored, when it contains an ASCII letter; a UTF-8
 * BOM at the very start is ignored. Any other line that is not a number is malformed: in strict
 * mode the parser stops and every later call returns the same {@link RegistryLineError}; with
 * `skipInvalid` it is counted and skipped. Nothing here throws on bad input.
 *
 * The per-character loop keeps its state in locals and writes it back once per chunk.
 */
export class RegistryFileParser {
  private readonly target: NumberSink
  private readonly nanp: boolean
  private readonly skipInvalid: boolean
  private readonly allowed: Uint8Array | null
  private failure: RegistryLineError | null = null

  // counters
  private lineCount = 0
  private numberCount = 0
  private duplicateCount = 0
  private skippedCount = 0
  private blankCount = 0
  private headerSeen = false
  private nonBlankSeen = false

  // state of the line in progress, carried across chunks
  /** Absolute offset of the next chunk's first character. */
  private pos = 0
  /** Absolute offset where the current line starts. */
  private lineStart = 0
  private value = 0
  private digits = 0
  private commaAt = -1
  private plus = false
  /** 0 before the number, 1 inside it, 2 in trailing whitespace. */
  private tok = 0
  private bad = 0
  private badChar = 0
  private badCol = 0
  private letter = false
  /** The file's first one or two bytes while they may still be the start of a BOM. */
  private head: Uint8Array | null = null

  constructor(target: NumberSink, options: RegistryFileParserOptions) {
    this.target = target
    this.nanp = options.format === 'nanp'
    this.skipInvalid = options.skipInvalid === true
    this.allowed = options.allowedAreas ?? null
  }

  /** The error that stopped the parser (strict mode), or `null`. */
  get error(): RegistryLineError | null {
    return this.failure
  }

  /** Counters so far. */
  get stats(): RegistryParseStats {
    return {
      lines: this.lineCount,
      numbers: this.numberCount,
      duplicates: this.duplicateCount,
      skipped: this.skippedCount,
      blank: this.blankCount,
      header: this.headerSeen,
    }
  }

  /**
   * Parses the next chunk of bytes (UTF-8; text is encoded first). Returns the error when a
   * malformed line stops the parser (strict mode), else `null`. Once stopped, further chunks are ignored.
   */
  feed(input: Uint8Array | string): RegistryLineError | null {
    if (this.failure !== null) return this.failure
    let chunk = typeof input === 'string' ? ENCODER.encode(input) : input
    if (this.pos === 0 && (this.head !== null || chunk.length < 3)) {
      // the file's first bytes are held back until they tell whether the file starts with a BOM
      const joined = this.head === null ? chunk : concatBytes(this.head, chunk)
      if (joined.length < 3 && isBomPrefix(joined)) {
        this.head = joined
        return null
      }
      this.head = null
      chunk = joined
    }
    return this.scan(chunk)
  }

  private scan(chunk: Uint8Array): RegistryLineError | null {
    const target = this.target
    const bulk = target.push !== undefined
    const nanp = this.nanp
    const skipInvalid = this.skipInvalid
    const allowed = this.allowed
    const len = chunk.length
    const pos = this.pos
    let lineStart = this.lineStart
    let v = this.value
    let nd = this.digits
    let commaAt = this.commaAt
    let plus = this.plus
    let tok = this.tok
    let bad = this.bad
    let badChar = this.badChar
    let badCol = this.badCol
    let letter = this.letter
    let lines = this.lineCount
    let numbers = this.numberCount
    let duplicates = this.duplicateCount
    let skipped = this.skippedCount
    let blank = this.blankCount
    let header = this.headerSeen
    let nonBlankSeen = this.nonBlankSeen
    let failure: RegistryLineError | null = null

    let i = pos === 0 && len >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0
    if (i === 3) lineStart = 3
    for (; i < len; i++) {
      // fast path: whole lines `NPANXXXXXX` or `NPA,NXXXXXX` (LF or CRLF) of valid numbers, one
      // after another; the first line that is anything else goes on character by character below
      if (nanp && tok === 0 && bad === 0) {
        while (i + 11 <= len) {
          const n0 = chunk[i]! - 48
          const n1 = chunk[i + 1]! - 48
          const n2 = chunk[i + 2]! - 48
          const j = chunk[i + 3] === 44 ? i + 4 : i + 3
          if (j + 8 > len) break
          const x0 = chunk[j]! - 48
          const x1 = chunk[j + 1]! - 48
          const x2 = chunk[j + 2]! - 48
          const x3 = chunk[j + 3]! - 48
          const x4 = chunk[j + 4]! - 48
          const x5 = chunk[j + 5]! - 48
          const x6 = chunk[j + 6]! - 48
          if ((n0 >>> 0) > 9 || (n1 >>> 0) > 9 || (n2 >>> 0) > 9 || (x0 >>> 0) > 9 || (x1 >>> 0) > 9 || (x2 >>> 0) > 9 || (x3 >>> 0) > 9 || (x4 >>> 0) > 9 || (x5 >>> 0) > 9 || (x6 >>> 0) > 9) break
          let end = j + 7
          const e = chunk[end]
          if (e === 13) {
            if (end + 1 >= len || chunk[end + 1] !== 10) break
            end++
          } else if (e !== 10) break
          const npa = n0 * 100 + n1 * 10 + n2
          const nxx = x0 * 100 + x1 * 10 + x2
          if (VALID_NPA[npa] !== 1 || nxx < 200 || nxx % 100 === 11 || (allowed !== null && allowed[npa] !== 1)) break
          const w = npa * 10_000_000 + nxx * 10_000 + x3 * 1000 + x4 * 100 + x5 * 10 + x6
          lines++
          nonBlankSeen = true
          numbers++
          if (bulk) target.push!(w)
          else if (!target.add(w)) duplicates++
          i = end + 1
          lineStart = pos + i
        }
        if (i >= len) break
      }
      const c = chunk[i]!
      const d = c - 48
      if (d >= 0 && d <= 9) {
        if (tok !== 2) {
          v = v * 10 + d
          nd++
          tok = 1
        } else if (bad === 0) {
          bad = BAD_SPACE
          badCol = pos + i - lineStart + 1
        }
        continue
      }
      if (c === 10) {
        lines++
        if (tok === 0 && bad === 0) {
          blank++
        } else if (!nonBlankSeen && letter) {
          nonBlankSeen = true
          header = true
        } else {
          nonBlankSeen = true
          let n = bad !== 0 ? -1 : nanp ? nanpNumber(v, nd, commaAt) : ukNumber(v, nd, plus)
          if (n >= 0 && allowed !== null && allowed[Math.floor(n / 10_000_000)] !== 1) n = -2
          if (n >= 0) {
            numbers++
            if (bulk) target.push!(n)
            else if (!target.add(n)) duplicates++
          } else if (skipInvalid) {
            skipped++
          } else {
            failure = { line: lines, reason: n === -2 ? `area code ${Math.floor(v / 10_000_000)} is not among the area codes named (--area-codes)` : describe(nanp, bad, badChar, badCol, v, nd, commaAt, plus) }
            break
          }
        }
        v = 0
        nd = 0
        commaAt = -1
        plus = false
        tok = 0
        bad = 0
        letter = false
        lineStart = pos + i + 1
        continue
      }
      if (c === 44 && nanp && tok === 1 && commaAt < 0) {
        commaAt = nd
        continue
      }
      if (c === 32 || c === 9 || c === 13) {
        // UK numbers are often written in groups (020 7946 0018): spaces between digits are kept out
        if (tok === 1 && (nanp || c === 13)) tok = 2
        continue
      }
      if (c === 43 && !nanp && tok === 0) {
        plus = true
        tok = 1
        continue
      }
      if (((c | 32) - 97) >>> 0 < 26) letter = true
      if (bad === 0) {
        bad = tok === 2 && (c === 44 || c === 43) ? BAD_SPACE : BAD_CHAR
        badChar = c >= 0x80 ? codePointAt(chunk, i) : c
        badCol = pos + i - lineStart + 1
      }
    }

    this.pos = pos + len
    this.lineStart = lineStart
    this.value = v
    this.digits = nd
    this.commaAt = commaAt
    this.plus = plus
    this.tok = tok
    this.bad = bad
    this.badChar = badChar
    this.badCol = badCol
    this.letter = letter
    this.lineCount = lines
    this.numberCount = numbers
    this.duplicateCount = duplicates
    this.skippedCount = skipped
    this.blankCount = blank
    this.headerSeen = header
    this.nonBlankSeen = nonBlankSeen
    this.failure = failure
    return failure
  }

  /** Parses one line (without its newline); the same as `feed(line + '\\n')`. */
  feedLine(line: string): RegistryLineError | null {
    const error = this.feed(line)
    return error ?? this.feed('\n')
  }

  /** Ends the input: a last line without a newline is parsed now. Returns the error, if any. */
  end(): RegistryLineError | null {
    if (this.failure === null && this.head !== null) {
      // a file of one or two bytes that begin like a BOM: they are the first line's content
      const head = this.head
      this.head = null
      this.scan(head)
    }
    if (this.failure !== null || this.lineStart === this.pos) return this.failure
    return this.feed('\n')
  }
}

function isBomPrefix(b: Uint8Array): boolean {
  return b.length === 0 || (b[0] === 0xef && (b.length === 1 || b[1] === 0xbb))
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

const NANP_FORMS = 'expected NPA,NXXXXXX or 10 digits'
const UK_FORMS = 'expected 0 or +44 followed by 9 or 10 digits'

/** What is wrong with a malformed line, without echoing it. */
function describe(
  nanp: boolean,
  bad: number,
  badChar: number,
  badCol: number,
  v: number,
  nd: number,
  commaAt: number,
  plus: boolean,
): string {
  const forms = nanp ? NANP_FORMS : UK_FORMS
  if (bad === BAD_SPACE) return `whitespace inside the number before column ${badCol}; ${forms}`
  if (bad === BAD_CHAR) return `unexpected ${describeChar(badChar)} at column ${badCol}; ${forms}`
  if (nanp) {
    if (nd !== 10 || (commaAt >= 0 && commaAt !== 3)) return forms
    if (v < 2_000_000_000) return 'area code (NPA) must start with 2-9'
    if (Math.floor(v / 10_000) % 1000 < 200) return 'exchange code (NXX) must start with 2-9'
    return nanpInvalidReason(Math.floor(v / 10_000_000), Math.floor(v / 10_000) % 1000) ?? forms
  }
  if (plus) {
    if (nd < 2 || Math.floor(v / 10 ** (nd - 2)) !== 44) return `expected +44 for a UK E.164 number; ${forms}`
    if (nd !== 11 && nd !== 12) return forms
    return 'the digit after +44 must not be 0'
  }
  if (nd > 0 && v >= 10 ** (nd - 1)) return `a UK national number starts with 0; ${forms}`
  if (nd !== 10 && nd !== 11) return forms
  return 'the digit after the leading 0 must not be 0'
}

/** A character named without echoing anything but one printable ASCII symbol. */
function describeChar(c: number): string {
  if (((c | 32) - 97) >>> 0 < 26) return 'letter'
  if (c === 44) return "','"
  if (c > 32 && c < 127) return `character '${String.fromCharCode(c)}'`
  return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Area codes a registry line may hold (`nanpInvalidReason` says: 2-9 first, not N11, assigned), by NPA. */
const VALID_NPA: Uint8Array = (() => {
  const t = new Uint8Array(1000)
  for (let npa = 0; npa < 1000; npa++) if (nanpInvalidReason(npa, 200) === null) t[npa] = 1
  return t
})()

/** The national number of a valid NANP line (valid as `--phone` says: `nanpInvalidReason`), or -1. */
function nanpNumber(v: number, nd: number, commaAt: number): number {
  if (nd !== 10 || (commaAt >= 0 && commaAt !== 3)) return -1
  if (nanpInvalidReason(Math.floor(v / 10_000_000), Math.floor(v / 10_000) % 1000) !== null) return -1
  return v
}

/** The code point of the UTF-8 sequence starting at `i` (U+FFFD when it is cut off or malformed). */
function codePointAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!
  const need = b0 >= 0xf0 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc0 ? 1 : -1
  if (need < 0 || i + need >= bytes.length) return 0xfffd
  let cp = b0 & (need === 3 ? 0x07 : need === 2 ? 0x0f : 0x1f)
  for (let k = 1; k <= need; k++) {
    const b = bytes[i + k]!
    if ((b & 0xc0) !== 0x80) return 0xfffd
    cp = (cp << 6) | (b & 0x3f)
  }
  // overlong forms (C0 80 for U+0000), surrogates and code points past U+10FFFF are not characters
  if (cp < (need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return 0xfffd
  return cp
}

/** The national significant number of a valid UK line, or -1. */
function ukNumber(v: number, nd: number, plus: boolean): number {
  if (plus) {
    if (nd !== 11 && nd !== 12) return -1
    const scale = nd === 11 ? 1e9 : 1e10
    const nsn = v - 44 * scale
    return nsn >= scale / 10 && nsn < scale ? nsn : -1
  }
  if (nd !== 10 && nd !== 11) return -1
  const scale = nd === 10 ? 1e9 : 1e10
  return v >= scale / 10 && v < scale ? v : -1
}
