import { inflateRawSync } from 'node:zlib'
import { DialwardError } from '../../core/errors.js'

/**
 * A minimal ZIP (PKWARE APPNOTE 6.3) writer and reader for evidence packages: the writer stores
 * entries uncompressed (method 0, STORE) with CRC-32, fixed 1980-01-01 timestamps and UTF-8 names,
 * so the same files always give the same archive; the reader accepts STORE and DEFLATE (method 8)
 * so a package re-zipped by another tool can still be checked. No ZIP64, encryption or spanning.
 */

/** One file of an archive: a relative path with `/` separators, and its bytes. */
export interface ZipEntry {
  readonly path: string
  readonly bytes: Uint8Array
}

const LOCAL = 0x04034b50
const CENTRAL = 0x02014b50
const END = 0x06054b50
const UTF8_FLAG = 0x0800
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1
const MAX_ENTRIES = 10_000
const MAX_TOTAL_BYTES = 512 * 1024 * 1024

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 (ISO 3309, the ZIP polynomial) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** Builds a ZIP archive holding `entries` in the order given (STORE, deterministic). */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    checkPath(e.path)
    const name = Buffer.from(e.path, 'utf8')
    const data = Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(LOCAL, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(UTF8_FLAG, 6)
    local.writeUInt16LE(0, 8) // STORE
    local.writeUInt16LE(0, 10) // time 00:00
    local.writeUInt16LE(DOS_DATE_1980, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    locals.push(local, name, data)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(CENTRAL, 0)
    central.writeUInt16LE(0x0314, 4) // made by: Unix, 2.0
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(UTF8_FLAG, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt16LE(0, 12)
    central.writeUInt16LE(DOS_DATE_1980, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38) // external attributes: regular file 0644
    central.writeUInt32LE(offset, 42)
    centrals.push(central, name)
    offset += 30 + name.length + data.length
  }
  const centralBytes = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(END, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralBytes.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, centralBytes, end])
}

/**
 * Reads every file of a ZIP archive (directories are skipped). Refuses, with an integrity error,
 * anything it cannot read exactly: a bad structure, a CRC mismatch, an unsafe or duplicate path,
 * an unsupported method, or more than 10,000 entries or 512 MiB.
 */
export function readZip(archive: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength)
  const endAt = findEnd(buf)
  const count = buf.readUInt16LE(endAt + 10)
  const cdSize = buf.readUInt32LE(endAt + 12)
  const cdOffset = buf.readUInt32LE(endAt + 16)
  if (count > MAX_ENTRIES) throw bad(`more than ${MAX_ENTRIES} entries`)
  if (cdOffset + cdSize > endAt) throw bad('central directory out of range')
  const out: ZipEntry[] = []
  const seen = new Set<string>()
  let total = 0
  let p = cdOffset
  for (let i = 0; i < count; i++) {
    if (p + 46 > endAt || buf.readUInt32LE(p) !== CENTRAL) throw bad(`central directory entry ${i + 1} is malformed`)
    const flags = buf.readUInt16LE(p + 8)
    const method = buf.readUInt16LE(p + 10)
    const crc = buf.readUInt32LE(p + 16)
    const compSize = buf.readUInt32LE(p + 20)
    const size = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const localAt = buf.readUInt32LE(p + 42)
    if (p + 46 + nameLen > endAt) throw bad(`central directory entry ${i + 1} is malformed`)
    const path = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    p += 46 + nameLen + extraLen + commentLen
    if (flags & 0x0001) throw bad(`${path} is encrypted`)
    if (path.endsWith('/')) continue
    checkPath(path)
    if (seen.has(path)) throw bad(`${path} appears twice`)
    seen.add(path)
    total += size
    if (total > MAX_TOTAL_BYTES) throw bad('archive expands beyond 512 MiB')
    if (localAt + 30 > buf.length || buf.readUInt32LE(localAt) !== LOCAL) throw bad(`${path}: local header missing`)
    const dataAt = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28)
    if (dataAt + compSize > buf.length) throw bad(`${path}: data out of range`)
    const raw = buf.subarray(dataAt, dataAt + compSize)
    let data: Buffer
    if (method === 0) data = Buffer.from(raw)
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) })
      } catch {
        throw bad(`${path}: compressed data is corrupt`)
      }
    } else throw bad(`${path}: unsupported compression method ${method}`)
    if (data.length !== size || crc32(data) !== crc) throw bad(`${path}: CRC-32 or size mismatch (the file was damaged)`)
    out.push({ path, bytes: data })
  }
  return out
}

function findEnd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff)
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === END) return i
  throw bad('not a ZIP archive (no end of central directory)')
}

function checkPath(path: string): void {
  const parts = path.split('/')
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0') || parts.some((s) => s === '' || s === '.' || s === '..')) {
    throw bad(`unsafe path ${JSON.stringify(path)}`)
  }
}

function bad(problem: string): DialwardError {
  return new DialwardError('EVIDENCE_INVALID', `evidence package is not a valid archive: ${problem}`)
}
