import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { createInflateRaw, crc32 } from 'node:zlib'
import { DialwardError } from '../../core/errors.js'

/** One file inside a ZIP archive. */
export interface ZipEntry {
  readonly name: string
  /** Bytes stored (compressed). */
  readonly compressedSize: number
  readonly size: number
  /** Streams the entry's contents, checking its length and CRC-32 (a mismatch fails the stream). */
  open(onRead?: (bytes: number) => void): Readable
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

const bad = (why: string): DialwardError => new DialwardError('INVALID_REGISTRY_FILE', `not a readable ZIP file: ${why}`, 'file')

/**
 * The file entries of a ZIP archive (directories and macOS `__MACOSX/` metadata left out), read
 * from its central directory; ZIP64 archives (over 4 GB or 65,535 entries) included. Stored and
 * deflated entries are supported; encrypted ones and other methods are refused naming the entry.
 * A truncated or corrupt archive is `INVALID_REGISTRY_FILE`.
 */
export async function zipEntries(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const read = async (pos: number, len: number): Promise<Buffer> => {
      if (pos < 0 || len < 0 || pos + len > size) throw bad('an offset points outside the file (truncated?)')
      const buf = Buffer.alloc(len)
      const { bytesRead } = await handle.read(buf, 0, len, pos)
      if (bytesRead !== len) throw bad('unexpected end of file (truncated?)')
      return buf
    }
    const tailLen = Math.min(size, 22 + 0xffff)
    const tail = await read(size - tailLen, tailLen)
    let eocd = -1
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
        eocd = i
        break
      }
    }
    if (eocd < 0) throw bad('no end of central directory (truncated?)')
    let count = tail.readUInt16LE(eocd + 10)
    let cdSize = tail.readUInt32LE(eocd + 12)
    let cdOffset = tail.readUInt32LE(eocd + 16)
    const eocdPos = size - tailLen + eocd
    if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocdPos >= 20) {
      const loc = await read(eocdPos - 20, 20)
      if (loc.readUInt32LE(0) === ZIP64_LOCATOR) {
        const rec = await read(Number(loc.readBigUInt64LE(8)), 56)
        if (rec.readUInt32LE(0) !== ZIP64_EOCD) throw bad('bad ZIP64 end of central directory')
        count = Number(rec.readBigUInt64LE(32))
        cdSize = Number(rec.readBigUInt64LE(40))
        cdOffset = Number(rec.readBigUInt64LE(48))
      }
    }
    const cd = await read(cdOffset, cdSize)
    const entries: ZipEntry[] = []
    let p = 0
    for (let k = 0; k < count; k++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw bad('corrupt central directory')
      const flags = cd.readUInt16LE(p + 8)
      const method = cd.readUInt16LE(p + 10)
      const crc = cd.readUInt32LE(p + 16)
      let compressedSize = cd.readUInt32LE(p + 20)
      let uncompressed = cd.readUInt32LE(p + 24)
      const nameLen = cd.readUInt16LE(p + 28)
      const extraLen = cd.readUInt16LE(p + 30)
      const commentLen = cd.readUInt16LE(p + 32)
      let localOffset = cd.readUInt32LE(p + 42)
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1')
      // ZIP64 extended information: the 0xffffffff fields, in order
      const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen)
      for (let e = 0; e + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(e)
        const len = extra.readUInt16LE(e + 2)
        if (id === 0x0001) {
          let q = e + 4
          if (uncompressed === 0xffffffff) (uncompressed = Number(extra.readBigUInt64LE(q))), (q += 8)
          if (compressedSize === 0xffffffff) (compressedSize = Number(extra.readBigUInt64LE(q))), (q += 8)
          if (localOffset === 0xffffffff) localOffset = Number(extra.readBigUInt64LE(q))
        }
        e += 4 + len
      }
      p += 46 + nameLen + extraLen + commentLen
      if (name.endsWith('/') || name.startsWith('__MACOSX/')) continue
      if (flags & 0x1) throw bad(`entry ${name} is encrypted`)
      if (method !== 0 && method !== 8) throw bad(`entry ${name} uses compression method ${method} (only stored and deflate are read)`)
      const local = await read(localOffset, 30)
      if (local.readUInt32LE(0) !== LOCAL) throw bad(`entry ${name}: bad local header`)
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)
      if (dataStart + compressedSize > size) throw bad(`entry ${name} runs past the end of the file (truncated?)`)
      entries.push({
        name,
        compressedSize,
        size: uncompressed,
        open: (onRead) => openEntry(path, name, method, dataStart, compressedSize, uncompressed, crc, onRead),
      })
    }
    return entries
  } finally {
    await handle.close()
  }
}

function openEntry(path: string, name: string, method: number, start: number, compressedSize: number, size: number, crc: number, onRead?: (bytes: number) => void): Readable {
  const raw: Readable = compressedSize === 0 ? Readable.from([]) : createReadStream(path, { start, end: start + compressedSize - 1, highWaterMark: 1 << 20 })
  if (onRead) raw.on('data', (c: Buffer) => onRead(c.length))
  let sum = 0
  let seen = 0
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sum = crc32(chunk, sum)
      seen += chunk.length
      done(null, chunk)
    },
    flush(done) {
      if (seen !== size) done(bad(`entry ${name} holds ${seen} bytes, its directory says ${size} (corrupt)`))
      else if (sum >>> 0 !== crc >>> 0) done(bad(`entry ${name} fails its CRC-32 check (corrupt)`))
      else done()
    },
  })
  const forward = (err: Error): void => {
    check.destroy(err instanceof DialwardError ? err : bad(`entry ${name}: ${err.message}`))
  }
  raw.on('error', forward)
  if (method === 0) return raw.pipe(check)
  const inflate = createInflateRaw({ chunkSize: 1 << 16 })
  inflate.on('error', forward)
  return raw.pipe(inflate).pipe(check)
}
