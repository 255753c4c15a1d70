import fc from 'fast-check'
import { DialwardError } from '../../src/core/errors.js'

/**
 * Runs per fuzz property: 1,000 in the normal suite, `FUZZ_RUNS` when set (`npm run test:fuzz`
 * sets 100,000). The seed follows test/support/fast-check-seed.ts (`FC_SEED` pins it in CI).
 */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? '') > 0 ? Number(process.env['FUZZ_RUNS']) : 1_000

/** Timeout of one fuzz test: grows with the runs asked for (the default suite stays fast). */
export const FUZZ_TIMEOUT = Math.max(60_000, FUZZ_RUNS * 20)

/** fast-check parameters of a fuzz property (`factor` scales the runs for slow properties). */
export function fuzzParams(factor = 1): fc.Parameters<unknown> {
  return { numRuns: Math.max(20, Math.round(FUZZ_RUNS * factor)) }
}

/** Calls `f`; an exception is allowed only when it is a DialwardError with one of `codes`. */
export function typedOnly<T>(f: () => T, ...codes: DialwardError['code'][]): T | DialwardError {
  try {
    return f()
  } catch (err) {
    if (err instanceof DialwardError && (codes.length === 0 || codes.includes(err.code))) return err
    throw err
  }
}

/** Bytes of any kind, with a bias towards the characters parsers split on. */
export const hostileBytes = (maxLength = 400): fc.Arbitrary<Uint8Array> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
        { weight: 3, arbitrary: fc.constantFrom(10, 13, 34, 44, 59, 9, 0, 0xef, 0xbb, 0xbf, 0x22, 0x2b, 0x3c, 0x3e, 0x2f) },
        { weight: 4, arbitrary: fc.integer({ min: 48, max: 57 }) },
      ),
      { maxLength },
    )
    .map((a) => Uint8Array.from(a))

/** Splits `bytes` at random points (chunked feeding must not change a streaming parser's answer). */
export const splitPoints = (max = 6): fc.Arbitrary<number[]> => fc.array(fc.nat(), { maxLength: max })

export function chunksOf(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(points.map((p) => (bytes.length === 0 ? 0 : p % (bytes.length + 1))))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let at = 0
  for (const c of cuts) {
    out.push(bytes.subarray(at, c))
    at = c
  }
  out.push(bytes.subarray(at))
  return out
}
