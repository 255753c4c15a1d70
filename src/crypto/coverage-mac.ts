import { createHmac } from 'node:crypto'
import type { Keyring } from './keyring.js'

const MODULUS = 1n << 256n
const DOMAIN = 'dialward.coverage-mac.v1'

/**
 * The keyed functions that let one check verify the rows it reads without walking the audit log
 * (ADR 0011): each covered row contributes HMAC(k, table ‖ key ‖ row SHA-256) to its scope's sum
 * modulo 2^256 (a keyed multiset hash: without k nobody can make a different set of rows add up to
 * the same sum), and each scope head is MACed over (scope, rows, sum, seq). k is derived from the
 * blind-index key, so it never changes for a database.
 */
export class CoverageMac {
  readonly #key: Buffer

  constructor(keyring: Keyring) {
    this.#key = createHmac('sha256', keyring.blindIndexKey()).update(DOMAIN).digest()
  }

  /** The contribution of one row to its scope's sum. */
  contribution(table: string, key: string, rowSha256: string): bigint {
    return BigInt(`0x${createHmac('sha256', this.#key).update(`row\0${table}\0${key}\0${rowSha256}`).digest('hex')}`)
  }

  /** The MAC of a scope head. */
  headMac(scope: string, rows: number, digest: string, seq: number): string {
    return createHmac('sha256', this.#key).update(`head\0${scope}\0${rows}\0${digest}\0${seq}`).digest('hex')
  }
}

/** Adds two sums modulo 2^256 (`sign` -1 subtracts). */
export function addSum(a: bigint, b: bigint, sign: 1 | -1 = 1): bigint {
  const r = (a + BigInt(sign) * b) % MODULUS
  return r < 0n ? r + MODULUS : r
}

/** A sum as 64 hex characters, and back. */
export const sumHex = (s: bigint): string => s.toString(16).padStart(64, '0')
export const parseSum = (hex: string): bigint | null => (/^[0-9a-f]{64}$/.test(hex) ? BigInt(`0x${hex}`) : null)
