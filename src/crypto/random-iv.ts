import { randomBytes } from 'node:crypto'

const IV_BYTES = 12
const IVS_PER_DRAW = 4096

let pool = Buffer.alloc(0)
let at = 0

/**
 * A fresh random 96-bit GCM IV. The bytes come from the CSPRNG in draws of 4,096 IVs (one
 * system call instead of one per encryption, which was a tenth of a bulk import's time); each
 * draw is a new buffer and each IV is handed out once, so an IV is never reused or overwritten.
 */
export function randomIv(): Buffer {
  if (at + IV_BYTES > pool.length) {
    pool = randomBytes(IV_BYTES * IVS_PER_DRAW)
    at = 0
  }
  return pool.subarray(at, (at += IV_BYTES))
}
