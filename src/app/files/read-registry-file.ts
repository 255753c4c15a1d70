import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { DialwardError } from '../../core/errors.js'
import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import { RegistryFileParser, type RegistryParseStats } from '../../core/dnc/registry-file.js'
import { parseRegistryId, type RegistryId } from '../../core/dnc/registry-id.js'

/** Read size for registry files. */
const CHUNK_BYTES = 1 << 20

/**
 * A malformed line in a registry file (strict mode), catalogue code `INVALID_REGISTRY_FILE`. The
 * message names the line and what is wrong, never its content.
 */
export class RegistryFileError extends DialwardError {
  /** 1-based physical line. */
  readonly line: number
  /** What is wrong with it. */
  readonly reason: string

  constructor(line: number, reason: string) {
    super('INVALID_REGISTRY_FILE', `registry file line ${line}: ${reason}`)
    this.name = 'RegistryFileError'
    this.line = line
    this.reason = reason
  }
}

/** Options for {@link readRegistryFile}. */
export interface ReadRegistryFileOptions {
  /** Skip and count malformed lines instead of failing on the first. */
  readonly skipInvalid?: boolean
}

/** What {@link readRegistryFile} loaded: the registry, its numbers, and the parse counters. */
export interface ReadRegistryFileResult extends RegistryParseStats {
  readonly registry: RegistryId
  /** The numbers of the file (national numbers); `bitset.size` is the distinct count. */
  readonly bitset: PagedBitset
}

/**
 * Streams a registry flat file (plain or gzip, detected by its magic bytes) in 1 MiB chunks
 * through {@link RegistryFileParser} into a new {@link PagedBitset}. Memory stays constant apart
 * from the bitset. Text is read as UTF-8.
 * @throws RangeError for an unknown registry id.
 * @throws RegistryFileError for the first malformed line unless `skipInvalid`.
 * @throws the file system's error when the file cannot be read, or zlib's for a corrupt gzip file.
 */
export async function readRegistryFile(
  path: string,
  registryId: string,
  options: ReadRegistryFileOptions = {},
): Promise<ReadRegistryFileResult> {
  const registry = parseRegistryId(registryId)
  if (registry === null) throw new RangeError(`unknown registry id: expected us-national, us-state-XX, ca-national or uk-tps`)
  const bitset = new PagedBitset()
  const parser = new RegistryFileParser(bitset, { format: registry.format, skipInvalid: options.skipInvalid === true })
  const gzip = await isGzip(path)
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES })
  const source: Readable = gzip ? file.pipe(createGunzip({ chunkSize: 1 << 16 })) : file
  if (gzip) file.on('error', (err) => source.destroy(err))
  source.setEncoding('utf8')
  try {
    for await (const chunk of source) {
      const error = parser.feed(chunk as string)
      if (error !== null) throw new RegistryFileError(error.line, error.reason)
    }
    const error = parser.end()
    if (error !== null) throw new RegistryFileError(error.line, error.reason)
  } catch (err) {
    if (gzip && isZlibError(err)) throw new DialwardError('INVALID_REGISTRY_FILE', `registry file is not a valid gzip file (truncated or corrupt: ${(err as Error).message})`, 'file')
    throw err
  } finally {
    source.destroy()
    file.destroy()
  }
  return { registry, bitset, ...parser.stats }
}

/** Whether an error comes from zlib (a truncated or corrupt compressed stream). */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE')
}

/** Whether the file starts with the gzip magic bytes 1f 8b. */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await handle.close()
  }
}
