/**
 * A SHA-256 function supplied by the caller. Core code never imports `node:crypto`; the outer
 * layer passes one in (see `src/crypto/signing.ts`), tests build one on `node:crypto` too.
 *
 * It must return a fresh 32-byte digest and must not keep or mutate `data`.
 */
export type Hasher = (data: Uint8Array) => Uint8Array

/** Size in bytes of every hash in the audit log (SHA-256). */
export const HASH_SIZE = 32
