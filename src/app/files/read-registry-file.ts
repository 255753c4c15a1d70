import { createReadStream, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { DialwardError } from '../../core/errors.js'
import { AreaBitmaps } from '../../core/dnc/area-bitmaps.js'
import { RegistryFileParser, type RegistryLineError } from '../../core/dnc/registry-file.js'
import { ChangeListParser, type ChangeOp } from '../../core/dnc/change-list.js'
import { CrtcXmlParser } from '../../core/dnc/crtc-xml.js'
import { parseRegistryId, type RegistryId } from '../../core/dnc/registry-id.js'
import { zipEntries } from './zip-entries.js'

/** Read size for registry files. */
const CHUNK_BYTES = 1 << 20
/** Bytes looked at to tell a change list from a full list. */
const SNIFF_BYTES = 1 << 16

/**
 * A malformed line in a registry file (strict mode), catalogue code `INVALID_REGISTRY_FILE`. The
 * message names the line (and the ZIP entry) and what is wrong, never its content.
 */
export class RegistryFileError extends DialwardError {
  /** 1-based physical line. */
  readonly line: number
  /** What is wrong with it. */
  readonly reason: string

  constructor(line: number, reason: string, entry: string | null = null) {
    super('INVALID_REGISTRY_FILE', `registry file ${entry === null ? '' : `entry ${entry} `}line ${line}: ${reason}`)
    this.name = 'RegistryFileError'
    this.line = line
    this.reason = reason
  }
}

/** How an entry's records are written. */
export type RegistryEntryFormat = 'flat' | 'changes' | 'crtc-xml'

/** What one file (or ZIP entry) held. */
export interface RegistryEntryReport {
  /** The ZIP entry's name, or the file's base name. */
  readonly name: string
  readonly format: RegistryEntryFormat
  readonly lines: number
  /** Lines (or `<ph>` elements) that held a valid number or change record. */
  readonly records: number
  readonly skipped: number
}

/** Options for {@link readRegistryFile}. */
export interface ReadRegistryFileOptions {
  /** Skip and count malformed lines instead of failing on the first. */
  readonly skipInvalid?: boolean
  /** Only numbers of these areas may appear (`allowedAreas[npa] === 1`); others are malformed lines. */
  readonly allowedAreas?: Uint8Array | null
  /** `true`: the file is a change list (records without an add/delete marker are malformed). Default: detected. */
  readonly changes?: boolean
  /** Called as bytes of the file are read (compressed bytes for gzip and ZIP). */
  readonly progress?: (bytesRead: number, totalBytes: number) => void
}

/** A change list's records in file order: `+n` adds number n, `-n` deletes it. */
export class ChangeRecords {
  #ops = new Float64Array(1024)
  #length = 0

  push(national: number, op: ChangeOp): void {
    if (this.#length === this.#ops.length) {
      const grown = new Float64Array(this.#ops.length * 2)
      grown.set(this.#ops)
      this.#ops = grown
    }
    this.#ops[this.#length++] = op === 'add' ? national : -national
  }

  get length(): number {
    return this.#length
  }

  /** The records in order (a view: do not keep it past another `push`). */
  get ops(): Float64Array {
    return this.#ops.subarray(0, this.#length)
  }
}

/** What {@link readRegistryFile} loaded: the registry, its numbers or changes, and the parse counters. */
export interface ReadRegistryFileResult {
  readonly registry: RegistryId
  /** `list`: a full list (per area code or whole); `changes`: a change list. */
  readonly kind: 'list' | 'changes'
  /** The numbers of a full list (national numbers); `bitset.size` is the distinct count. Empty for change lists. */
  readonly bitset: AreaBitmaps
  /** The records of a change list, in order (`null` for full lists). */
  readonly changes: ChangeRecords | null
  /** Area codes a CRTC XML file declared with `<ac>` elements (covered even with no number). */
  readonly declaredAreas: ReadonlySet<number>
  /** Whether a CRTC XML file declared itself the whole registry (`<list level="all">`). */
  readonly declaredWhole: boolean
  readonly container: 'plain' | 'gzip' | 'zip'
  readonly entries: readonly RegistryEntryReport[]
  /** Physical lines over every entry. */
  readonly lines: number
  /** Lines that held a valid number (or change record), duplicates included. */
  readonly numbers: number
  /** Valid numbers that were already in the set (full lists). */
  readonly duplicates: number
  /** Malformed lines skipped (`skipInvalid` only). */
  readonly skipped: number
  readonly blank: number
  /** Whether a header line was ignored. */
  readonly header: boolean
}

interface Source {
  readonly name: string
  open(): Readable
}

/**
 * Reads a registry file as the FTC, the CRTC and the TPS deliver it: plain text, gzip, or a ZIP
 * archive of one or many entries (each reported), each entry a flat list (`NPA,NXXXXXX` or 10
 * digits; UK national or E.164), a change list (records with an add or delete marker), or the
 * CRTC XML layout. Every entry of one file must be of one kind (all lists or all change lists).
 * The whole file is parsed before anything is stored; memory is the numbers' pages.
 * @throws RangeError for an unknown registry id.
 * @throws RegistryFileError for the first malformed line unless `skipInvalid`.
 * @throws DialwardError `INVALID_REGISTRY_FILE` for a truncated or corrupt gzip or ZIP file, or mixed kinds.
 * @throws the file system's error when the file cannot be read.
 */
export async function readRegistryFile(path: string, registryId: string, options: ReadRegistryFileOptions = {}): Promise<ReadRegistryFileResult> {
  const registry = parseRegistryId(registryId)
  if (registry === null) throw new RangeError(`unknown registry id: expected us-national, us-state-XX, ca-national or uk-tps`)
  const total = statSync(path).size
  let done = 0
  const onRead = (n: number): void => {
    done += n
    options.progress?.(done, total)
  }
  const container = await containerOf(path)
  const base = path.split('/').pop() ?? path
  let sources: Source[]
  if (container === 'zip') {
    const entries = await zipEntries(path)
    if (entries.length === 0) throw new DialwardError('INVALID_REGISTRY_FILE', 'the ZIP file holds no file', 'file')
    sources = entries.map((e) => ({ name: e.name, open: () => e.open(onRead) }))
  } else {
    sources = [
      {
        name: base,
        open: () => {
          const file = createReadStream(path, { highWaterMark: CHUNK_BYTES })
          file.on('data', (c: string | Buffer) => onRead(c.length))
          if (container === 'plain') return file
          const gunzip = createGunzip({ chunkSize: 1 << 16 })
          file.on('error', (err) => gunzip.destroy(err))
          return file.pipe(gunzip)
        },
      },
    ]
  }
  const bitset = new AreaBitmaps()
  const changes = new ChangeRecords()
  const declaredAreas = new Set<number>()
  let declaredWhole = false
  const reports: RegistryEntryReport[] = []
  let kind: 'list' | 'changes' | null = options.changes === true ? 'changes' : null
  const totals = { lines: 0, numbers: 0, skipped: 0, blank: 0, header: false }
  const entryName = (s: Source): string | null => (container === 'zip' ? s.name : null)

  for (const source of sources) {
    const stream = source.open()
    try {
      const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
      // sniff the start to tell the entry's format
      const head: Buffer[] = []
      let headBytes = 0
      let ended = false
      while (headBytes < SNIFF_BYTES) {
        const next = await iterator.next()
        if (next.done) {
          ended = true
          break
        }
        head.push(next.value)
        headBytes += next.value.length
      }
      const format = sniff(Buffer.concat(head, headBytes), registry.format === 'uk', kind === 'changes')
      const entryKind = format === 'changes' ? 'changes' : 'list'
      if (kind !== null && kind !== entryKind) {
        throw new DialwardError(
          'INVALID_REGISTRY_FILE',
          options.changes === true && entryKind === 'list'
            ? `${entryName(source) ?? 'the file'} holds numbers without an add/delete marker: it is not a change list (--changes)`
            : 'the ZIP file mixes full lists and change lists: import them separately',
          'file',
        )
      }
      kind = entryKind
      const parser = makeParser(format, registry.format, bitset, changes, declaredAreas, options)
      const feed = (chunk: Buffer): void => {
        const error = parser.feed(chunk)
        if (error !== null) throw new RegistryFileError(error.line, error.reason, entryName(source))
      }
      for (const c of head) feed(c)
      if (!ended) {
        for (;;) {
          const next = await iterator.next()
          if (next.done) break
          feed(next.value)
        }
      }
      const error = parser.end()
      if (error !== null) throw new RegistryFileError(error.line, error.reason, entryName(source))
      const s = parser.summary()
      if (s.whole) declaredWhole = true
      reports.push({ name: source.name, format, lines: s.lines, records: s.records, skipped: s.skipped })
      totals.lines += s.lines
      totals.numbers += s.records
      totals.skipped += s.skipped
      totals.blank += s.blank
      totals.header ||= s.header
    } catch (err) {
      if (err instanceof DialwardError) throw err
      if (isZlibError(err)) throw new DialwardError('INVALID_REGISTRY_FILE', `registry file is not a valid gzip file (truncated or corrupt: ${(err as Error).message})`, 'file')
      throw err
    } finally {
      stream.destroy()
    }
  }
  // the set takes a list's numbers without telling repeats (AreaBitmaps.push): every valid number
  // of every entry went into one set that started empty, so the repeats are the rest
  const duplicates = kind === 'changes' ? 0 : totals.numbers - bitset.size
  return {
    registry,
    kind: kind ?? 'list',
    bitset,
    changes: kind === 'changes' ? changes : null,
    declaredAreas,
    declaredWhole,
    container,
    entries: reports,
    ...totals,
    duplicates,
  }
}

interface EntryParser {
  feed(chunk: Uint8Array): RegistryLineError | null
  end(): RegistryLineError | null
  summary(): { lines: number; records: number; skipped: number; blank: number; header: boolean; whole: boolean }
}

function makeParser(
  format: RegistryEntryFormat,
  numbers: 'nanp' | 'uk',
  bitset: AreaBitmaps,
  changes: ChangeRecords,
  declaredAreas: Set<number>,
  options: ReadRegistryFileOptions,
): EntryParser {
  const skipInvalid = options.skipInvalid === true
  const allowedAreas = options.allowedAreas ?? null
  if (format === 'changes') {
    const p = new ChangeListParser((n, op) => changes.push(n, op), { format: numbers, skipInvalid, allowedAreas })
    return {
      feed: (c) => p.feed(c),
      end: () => p.end(),
      summary: () => {
        const s = p.stats
        return { lines: s.lines, records: s.adds + s.deletes, skipped: s.skipped, blank: s.blank, header: s.header, whole: false }
      },
    }
  }
  if (format === 'crtc-xml') {
    let records = 0
    let refused: string | null = null
    const p = new CrtcXmlParser(
      {
        area: (npa) => {
          if (allowedAreas !== null && allowedAreas[npa] !== 1) refused ??= `area code ${npa} is not among the area codes named (--area-codes)`
          declaredAreas.add(npa)
        },
        number: (n) => {
          records++
          bitset.add(n)
        },
      },
      { skipInvalid },
    )
    return {
      feed: (c) => p.feed(c) ?? (refused === null ? null : { line: p.stats.lines, reason: refused }),
      end: () => p.end(),
      summary: () => {
        const s = p.stats
        return { lines: s.lines, records, skipped: s.skipped, blank: 0, header: false, whole: s.level?.toLowerCase() === 'all' }
      },
    }
  }
  const p = new RegistryFileParser(bitset, { format: numbers, skipInvalid, allowedAreas })
  return {
    feed: (c) => p.feed(c),
    end: () => p.end(),
    summary: () => {
      const s = p.stats
      return { lines: s.lines, records: s.numbers, skipped: s.skipped, blank: s.blank, header: s.header, whole: false }
    },
  }
}

/**
 * Tells an entry's format from its first bytes: XML when the first non-blank character is `<`
 * (NANP registries only); a change list when declared, or when the first record (after an
 * optional header) carries an add/delete marker field; else a flat list.
 */
function sniff(head: Buffer, uk: boolean, declaredChanges: boolean): RegistryEntryFormat {
  let text = head.toString('latin1')
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3)
  if (!uk && text.trimStart().startsWith('<')) return 'crtc-xml'
  if (declaredChanges) return 'changes'
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '')
  for (let i = 0; i < Math.min(lines.length, 3); i++) {
    const fields = lines[i]!.split(/[,\t]/).map((f) => f.trim().toUpperCase())
    const hasMarker = fields.some((f) => /^(A|D|ADD|ADDED|DEL|DELETE|DELETED|I|INSERT|R|REMOVE|REMOVED)$/.test(f))
    const hasNumber = fields.some((f) => /^\+?\d[\d ]{5,}$/.test(f))
    if (hasMarker && hasNumber) return 'changes'
    if (hasNumber || !/[A-Z]/.test(lines[i]!.toUpperCase())) return 'flat'
    // a header: look at the next line
  }
  return 'flat'
}

/** Whether an error comes from zlib (a truncated or corrupt compressed stream). */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE')
}

/** What the file is by its magic bytes: gzip (1f 8b), ZIP (`PK\x03\x04`, or an empty archive), or plain. */
async function containerOf(path: string): Promise<'plain' | 'gzip' | 'zip'> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(4)
    const { bytesRead } = await handle.read(head, 0, 4, 0)
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
    if (bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip'
    return 'plain'
  } finally {
    await handle.close()
  }
}
