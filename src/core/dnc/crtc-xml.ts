import { nanpInvalidReason } from '../phone/nanp.js'
import type { RegistryLineError } from './registry-file.js'

/** What a CRTC XML file declared and held. */
export interface CrtcXmlStats {
  readonly lines: number
  /** `<ph>` elements that held a valid number, duplicates included. */
  readonly numbers: number
  readonly skipped: number
  /** The `<list>` element's `type` and `level` attributes (`full`, `all` or `ac`). */
  readonly type: string | null
  readonly level: string | null
}

/** Where the parser's output goes. */
export interface CrtcXmlSink {
  /** An `<ac val="NPA">` element: the file covers this area code (even with no `<ph>` inside). */
  area(npa: number): void
  /** A valid number (NPA × 10^7 + the `<ph val>` 7 digits). */
  number(national: number): void
}

const LATIN1 = new TextDecoder('latin1')
/** A UTF-8 byte-order mark read as Latin-1. */
const UTF8_BOM = '\u00ef\u00bb\u00bf'
const ATTR = /([A-Za-z_][\w.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g

/**
 * Streaming parser for the CRTC's XML download layout: a `<list type="full" level="all|ac">`
 * root holding `<ac val="NPA">` elements, each holding `<ph val="NXXXXXX"/>` elements (a 10-digit
 * `val` whose area code is the enclosing one is accepted too). An XML declaration, comments and
 * whitespace between elements are allowed; any other element, text, or a malformed tag is an
 * error naming the line. Numbers are validated as `--phone` validates them.
 */
export class CrtcXmlParser {
  readonly #sink: CrtcXmlSink
  readonly #skipInvalid: boolean
  #carry = ''
  #line = 1
  #failure: RegistryLineError | null = null
  #numbers = 0
  #skipped = 0
  #type: string | null = null
  #level: string | null = null
  #inList = false
  #listClosed = false
  #area = -1
  #bom = true
  #endsWithNewline = false

  constructor(sink: CrtcXmlSink, options: { readonly skipInvalid?: boolean } = {}) {
    this.#sink = sink
    this.#skipInvalid = options.skipInvalid === true
  }

  get stats(): CrtcXmlStats {
    // after a failure: the lines read up to the one named (however the input was chunked)
    const lines = this.#failure !== null ? this.#failure.line : this.#endsWithNewline ? this.#line - 1 : this.#line
    return { lines, numbers: this.#numbers, skipped: this.#skipped, type: this.#type, level: this.#level }
  }

  get error(): RegistryLineError | null {
    return this.#failure
  }

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
    if (text.length > 0) this.#endsWithNewline = text.endsWith('\n')
    text = this.#carry + text
    let i = 0
    const n = text.length
    while (i < n) {
      const lt = text.indexOf('<', i)
      const textEnd = lt < 0 ? n : lt
      if (textEnd > i) {
        const between = text.slice(i, textEnd)
        if (between.trim() !== '') {
          // name the line the text is on, not the line the whitespace before it starts on
          this.#count(between.slice(0, between.length - between.trimStart().length))
          return this.#fail('text outside an element')
        }
        this.#count(between)
        // counted once: a tag cut by the chunk's end is carried from its '<', not from the text before it
        i = textEnd
      }
      if (lt < 0) {
        i = n
        break
      }
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4)
        if (end < 0) break
        this.#count(text.slice(lt, end + 3))
        i = end + 3
        continue
      }
      const gt = text.indexOf('>', lt + 1)
      if (gt < 0) break
      const tag = text.slice(lt + 1, gt)
      if (this.#tag(tag)) return this.#failure
      this.#count(tag)
      i = gt + 1
    }
    this.#carry = text.slice(i)
    if (this.#carry.length > 1 << 16) return this.#fail('an element longer than 64 KiB')
    return null
  }

  end(): RegistryLineError | null {
    if (this.#failure !== null) return this.#failure
    if (this.#bom && this.#carry !== '') {
      // one or two bytes that begin like a BOM and nothing else: read them as content
      this.#bom = false
      const held = this.#carry
      this.#carry = ''
      if (this.feed(held) !== null) return this.#failure
    }
    if (this.#carry.trim() !== '') return this.#fail('the file ends inside an element (truncated?)')
    if (!this.#listClosed) return this.#fail(this.#inList ? 'the <list> element is not closed (truncated?)' : 'no <list> element')
    return null
  }

  #count(s: string): void {
    for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) this.#line++
  }

  #fail(reason: string): RegistryLineError {
    this.#failure = { line: this.#line, reason }
    return this.#failure
  }

  /** Handles one tag's inside (between `<` and `>`); returns `true` when it failed. */
  #tag(tag: string): boolean {
    if (tag.startsWith('?')) {
      if (!tag.endsWith('?') || this.#inList) return this.#fail('misplaced XML declaration') !== null
      return false
    }
    if (tag.startsWith('!')) return this.#fail('unexpected declaration (DOCTYPE and CDATA are not accepted)') !== null
    const closing = tag.startsWith('/')
    const selfClosing = tag.endsWith('/')
    const body = tag.slice(closing ? 1 : 0, selfClosing ? -1 : undefined).trim()
    const m = /^([A-Za-z_][\w.-]*)([\s\S]*)$/.exec(body)
    if (m === null) return this.#fail('malformed element') !== null
    const name = m[1]!.toLowerCase()
    const attrs: Record<string, string> = {}
    const rest = m[2]!.replace(ATTR, (_all, k: string, _q, dq?: string, sq?: string) => {
      attrs[k.toLowerCase()] = dq ?? sq ?? ''
      return ''
    })
    if (rest.trim() !== '') return this.#fail(`malformed attributes in <${name}>`) !== null
    if (closing) {
      if (name === 'ac' && this.#area >= 0) this.#area = -1
      else if (name === 'list' && this.#inList && this.#area < 0) {
        this.#inList = false
        this.#listClosed = true
      } else if (name !== 'ph') return this.#fail(`unexpected </${name}>`) !== null
      return false
    }
    switch (name) {
      case 'list':
        if (this.#inList || this.#listClosed) return this.#fail('a second <list> element') !== null
        this.#inList = !selfClosing
        this.#listClosed = selfClosing
        this.#type = attrs['type'] ?? null
        this.#level = attrs['level'] ?? null
        if (this.#type !== null && this.#type.toLowerCase() !== 'full') return this.#fail(`<list type="${this.#type.slice(0, 20)}"> is not a full list`) !== null
        return false
      case 'ac': {
        if (!this.#inList || this.#area >= 0) return this.#fail('<ac> outside <list> or inside another <ac>') !== null
        const val = attrs['val'] ?? ''
        if (!/^\d{3}$/.test(val)) return this.#fail('<ac val> must be a 3-digit area code') !== null
        const npa = Number(val)
        if (nanpInvalidReason(npa, 200) !== null) return this.#fail(`area code ${val}: ${nanpInvalidReason(npa, 200)!}`) !== null
        this.#sink.area(npa)
        if (!selfClosing) this.#area = npa
        return false
      }
      case 'ph': {
        if (this.#area < 0) return this.#fail('<ph> outside an <ac> element') !== null
        const val = attrs['val'] ?? ''
        let national = -1
        let why: string | null = null
        if (/^\d{7}$/.test(val)) national = this.#area * 10_000_000 + Number(val)
        else if (/^\d{10}$/.test(val) && Number(val.slice(0, 3)) === this.#area) national = Number(val)
        else why = '<ph val> must be 7 digits (NXXXXXX) of the enclosing area code'
        if (why === null) {
          const nxx = Math.floor(national / 10_000) % 1000
          why = nxx < 200 ? 'exchange code (NXX) must start with 2-9' : nanpInvalidReason(this.#area, nxx)
        }
        if (why !== null) {
          if (this.#skipInvalid) {
            this.#skipped++
            return false
          }
          return this.#fail(why) !== null
        }
        this.#numbers++
        this.#sink.number(national)
        return false
      }
      default:
        return this.#fail(`unexpected element <${name.slice(0, 20)}>`) !== null
    }
  }
}
