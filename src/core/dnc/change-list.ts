import { nanpInvalidReason } from '../phone/nanp.js'
import type { RegistryFormat } from './registry-id.js'
import type { RegistryLineError } from './registry-file.js'

/** What a change list asks: add a number to the registry, or delete it. */
export type ChangeOp = 'add' | 'delete'

/** Counters of a change-list parse so far. */
export interface ChangeListStats {
  readonly lines: number
  readonly adds: number
  readonly deletes: number
  readonly skipped: number
  readonly blank: number
  readonly header: boolean
}

/** Options for {@link ChangeListParser}. */
export interface ChangeListOptions {
  readonly format: RegistryFormat
  readonly skipInvalid?: boolean
  /** As in `RegistryFileParserOptions.allowedAreas`. */
  readonly allowedAreas?: Uint8Array | null
}

const LATIN1 = new TextDecoder('latin1')
/** A UTF-8 byte-order mark read as Latin-1. */
const UTF8_BOM = '\u00ef\u00bb\u00bf'

const MARKERS: Readonly<Record<string, ChangeOp>> = {
  A: 'add',
  ADD: 'add',
  ADDED: 'add',
  I: 'add',
  INSERT: 'add',
  D: 'delete',
  DEL: 'delete',
  DELETE: 'delete',
  DELETED: 'delete',
  R: 'delete',
  REMOVE: 'delete',
  REMOVED: 'delete',
}

/** A date or time field (ignored): 8 digits, or digits with `-`, `/`, `:`, `.`, `T`, `Z`. */
const DATE_FIELD = /^(\d{8}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?Z?)?|\d{1,2}:\d{2}(:\d{2})?)$/

/**
 * Parser for change lists (FTC and CRTC "change list" downloads): one record a line, fields
 * separated by commas (or tabs), holding the number — `NPA,NXXXXXX` (two fields) or 10 digits
 * for NANP, a UK national or E.164 number for `uk` — and an add or delete marker (`A`/`D`,
 * `ADD`/`DELETE`, `ADDED`/`DELETED`, `I`/`R`, any case), in any order, plus optional date or time
 * fields, which are ignored. Numbers are validated as the flat-file parser validates them.
 *
 * The first non-blank line is a header when it is not a record and holds a letter; blank lines
 * are ignored. Each record is handed to `sink` in file order. Strict mode stops at the first
 * malformed record (naming the line, never echoing it); `skipInvalid` counts and skips it.
 */
export class ChangeListParser {
  readonly #sink: (national: number, op: ChangeOp) => void
  readonly #nanp: boolean
  readonly #skipInvalid: boolean
  readonly #allowed: Uint8Array | null
  #carry = ''
  #failure: RegistryLineError | null = null
  #lines = 0
  #adds = 0
  #deletes = 0
  #skipped = 0
  #blank = 0
  #header = false
  #nonBlankSeen = false
  #bom = true

  constructor(sink: (national: number, op: ChangeOp) => void, options: ChangeListOptions) {
    this.#sink = sink
    this.#nanp = options.format === 'nanp'
    this.#skipInvalid = options.skipInvalid === true
    this.#allowed = options.allowedAreas ?? null
  }

  get error(): RegistryLineError | null {
    return this.#failure
  }

  get stats(): ChangeListStats {
    return { lines: this.#lines, adds: this.#adds, deletes: this.#deletes, skipped: this.#skipped, blank: this.#blank, header: this.#header }
  }

  /** Parses the next chunk (bytes are read as Latin-1: a record is ASCII). */
  feed(input: Uint8Array | string): RegistryLineError | null {
    if (this.#failure !== null) return this.#failure
    let text = typeof input === 'string' ? input : LATIN1.decode(input)
    if (this.#bom) {
      // the first bytes are held back until they tell whether the file starts with a BOM
      text = this.#carry + text
      this.#carry = ''
      if (text.length < 3 && UTF8_BOM.startsWith(text)) {
        this.#carry = text
        return null
      }
      this.#bom = false
      if (text.startsWith(UTF8_BOM)) text = text.slice(3)
      else if (text.startsWith('\ufeff')) text = text.slice(1)
    }
    text = this.#carry + text
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl < 0) break
      if (this.#line(text.slice(start, nl))) return this.#failure
      start = nl + 1
    }
    this.#carry = text.slice(start)
    return null
  }

  /** Ends the input: a last line without a newline is parsed now. */
  end(): RegistryLineError | null {
    if (this.#failure !== null || this.#carry === '') return this.#failure
    const last = this.#carry
    this.#carry = ''
    this.#line(last)
    return this.#failure
  }

  /** Parses one line; returns `true` when it stopped the parser. */
  #line(raw: string): boolean {
    this.#lines++
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') {
      this.#blank++
      return false
    }
    const parsed = this.#record(line)
    if (typeof parsed === 'string') {
      if (!this.#nonBlankSeen && /[A-Za-z]/.test(line)) {
        this.#nonBlankSeen = true
        this.#header = true
        return false
      }
      this.#nonBlankSeen = true
      if (this.#skipInvalid) {
        this.#skipped++
        return false
      }
      this.#failure = { line: this.#lines, reason: parsed }
      return true
    }
    this.#nonBlankSeen = true
    if (parsed.op === 'add') this.#adds++
    else this.#deletes++
    this.#sink(parsed.national, parsed.op)
    return false
  }

  /** A record, or what is wrong with the line. */
  #record(line: string): { national: number; op: ChangeOp } | string {
    const fields = line.split(line.includes('\t') && !line.includes(',') ? '\t' : ',').map((f) => f.trim())
    let op: ChangeOp | null = null
    let national = -1
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      const marker = MARKERS[f.toUpperCase()]
      if (marker !== undefined) {
        if (op !== null) return 'more than one add/delete marker'
        op = marker
        continue
      }
      if (this.#nanp && /^\d{3}$/.test(f) && /^\d{7}$/.test(fields[i + 1] ?? '')) {
        if (national >= 0) return 'more than one number'
        national = Number(f + fields[++i]!)
        const bad = nanpLine(national)
        if (bad !== null) return bad
        continue
      }
      if (this.#nanp && /^\d{10}$/.test(f)) {
        if (national >= 0) return 'more than one number'
        national = Number(f)
        const bad = nanpLine(national)
        if (bad !== null) return bad
        continue
      }
      if (!this.#nanp && /^(\+44|0)[ \d]+$/.test(f)) {
        if (national >= 0) return 'more than one number'
        national = ukLine(f)
        if (national < 0) return 'expected 0 or +44 followed by 9 or 10 digits'
        continue
      }
      if (DATE_FIELD.test(f)) continue
      return `field ${i + 1} is neither the number, an add/delete marker nor a date`
    }
    if (national < 0) return this.#nanp ? 'no number (expected NPA,NXXXXXX or 10 digits)' : 'no number'
    if (op === null) return 'no add/delete marker (A or D)'
    if (this.#allowed !== null && this.#allowed[Math.floor(national / 10_000_000)] !== 1) {
      return `area code ${Math.floor(national / 10_000_000)} is not among the area codes named (--area-codes)`
    }
    return { national, op }
  }
}

/** Why a 10-digit NANP number is not valid (as `--phone` says), or `null`. */
function nanpLine(n: number): string | null {
  const npa = Math.floor(n / 10_000_000)
  const nxx = Math.floor(n / 10_000) % 1000
  if (npa < 200) return 'area code (NPA) must start with 2-9'
  if (nxx < 200) return 'exchange code (NXX) must start with 2-9'
  return nanpInvalidReason(npa, nxx)
}

/** The national significant number of a UK field (`0…` or `+44…`, 9–10 digits not starting 0), or -1. */
function ukLine(f: string): number {
  const digits = f.replace(/ /g, '')
  const nsn = digits.startsWith('+44') ? digits.slice(3) : digits.startsWith('0') ? digits.slice(1) : ''
  if (!/^[1-9]\d{8,9}$/.test(nsn)) return -1
  return Number(nsn)
}
