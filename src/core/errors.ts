/**
 * The error catalogue: every error Dialward reports has a stable code listed here, and the code
 * alone decides its kind, the command line's exit code and the HTTP status. Edges never choose
 * an exit code or a status themselves. `docs/reference/errors.md` is generated from this table
 * (`npm run docs:errors`; a test keeps it fresh).
 *
 * Kinds:
 * - `usage`, `not-found`, `conflict`: the caller's input is wrong (exit 2)
 * - `integrity`: tampering or a broken artifact was detected (exit 3)
 * - `unavailable`: something the gate needs is missing (database, keyring, key): fail closed (exit 1)
 * - `unauthenticated`, `forbidden`, `limited`: access control of the HTTP edge (exit 2 on the CLI)
 * - `internal`: a bug or an environment failure (exit 1)
 */
export type ErrorKind = 'usage' | 'not-found' | 'conflict' | 'integrity' | 'unavailable' | 'unauthenticated' | 'forbidden' | 'limited' | 'internal'

/** One entry of the catalogue. */
export interface ErrorSpec {
  readonly kind: ErrorKind
  /** Exit code of the command line. */
  readonly exit: 0 | 1 | 2 | 3
  /** HTTP status of the server. */
  readonly http: number
  /** When this error is raised (documentation). */
  readonly description: string
}

const usage = (description: string, http = 400): ErrorSpec => ({ kind: 'usage', exit: 2, http, description })
const notFoundSpec = (description: string): ErrorSpec => ({ kind: 'not-found', exit: 2, http: 404, description })
const conflict = (description: string): ErrorSpec => ({ kind: 'conflict', exit: 2, http: 409, description })
const integrity = (description: string, http = 500): ErrorSpec => ({ kind: 'integrity', exit: 3, http, description })
const unavailable = (description: string): ErrorSpec => ({ kind: 'unavailable', exit: 1, http: 503, description })

/** Every error code, with its kind, exit code and HTTP status. Add codes freely; never rename or remove one. */
export const ERROR_CATALOGUE = {
  INVALID_INPUT: usage('A flag, field or row is missing or malformed; the message names it and says why.'),
  INVALID_CSV: usage('An input CSV file is malformed (unbalanced quotes, a quote inside an unquoted field, a row too long); the message names the row.'),
  INVALID_REGISTRY_FILE: usage('A registry file has a malformed line (named by number), is truncated or corrupt, or covers nothing.'),
  INVALID_RULE_PACK: usage("The operator's rule pack is not valid JSON or breaks the pack format; every problem is listed."),
  RETENTION_POLICY_INVALID: usage('The retention policy file is unreadable, not JSON, or breaks a legal floor.'),
  INVALID_DATA_SCHEMA: usage('The data schema file (purposes, kept fields, periods, staleness) is unreadable, not JSON, or breaks the schema format; every problem is listed.'),
  DISALLOWED_FIELDS: usage('A strict contact import (`--strict`) found fields the purpose does not allow; nothing was stored. The message names the fields.'),
  FIELD_NOT_ALLOWED: usage("A correction names a field the contact's purpose does not keep."),
  INPUT_UNREADABLE: usage('An input file named by a flag does not exist, is not a regular file or cannot be read.'),
  OUTPUT_UNWRITABLE: usage('An output path names a directory, lies in a missing directory, or cannot be written.'),
  PAYLOAD_TOO_LARGE: usage('An HTTP request body is larger than the route accepts.', 413),
  NOT_FOUND: notFoundSpec('A referenced thing (data directory, file, entry) does not exist.'),
  UNKNOWN_CAMPAIGN: notFoundSpec('The campaign id is not registered (`campaign add` first).'),
  UNKNOWN_PURPOSE: notFoundSpec('The data purpose is not declared in the data schema.'),
  UNKNOWN_CONTACT: notFoundSpec('No contact record is stored for the number (and purpose).'),
  UNKNOWN_HOLD: notFoundSpec('The legal hold id does not exist.'),
  UNKNOWN_API_KEY: notFoundSpec('The API key id does not exist.'),
  NO_EMERGENCY: notFoundSpec('No open emergency exists for the region at that instant.'),
  CAMPAIGN_EXISTS: conflict('A campaign with this id exists with other attributes; past decisions were made under the old ones.'),
  HOLD_EXISTS: conflict('A legal hold with this id already exists.'),
  KEYRING_EXISTS: conflict('A keyring file already exists where a new one would be created; it is never overwritten.'),
  UNAUTHENTICATED: { kind: 'unauthenticated', exit: 2, http: 401, description: 'No API key, or an unknown, revoked or expired one.' },
  FORBIDDEN: { kind: 'forbidden', exit: 2, http: 403, description: "The API key's role may not use this route." },
  RATE_LIMITED: { kind: 'limited', exit: 2, http: 429, description: 'Too many failed authentications from this client; retry after the time given.' },
  AUDIT_TAMPERED: integrity('The audit log, its checkpoints or the data they cover were changed behind Dialward: the first bad entry is named.', 503),
  DECRYPT_FAILED: integrity('A stored ciphertext or wrapped key failed authentication (wrong key, wrong row, modified bytes).'),
  DISCLOSURE_MISMATCH: integrity('A stored disclosure text no longer hashes to the SHA-256 recorded when consent was captured.'),
  EVIDENCE_INVALID: integrity('An evidence package does not verify (signature, manifest, proofs or checkpoint).', 422),
  RECEIPT_INVALID: integrity('A deletion receipt does not verify (signature, checkpoint or inclusion proof).', 422),
  KEYRING_MISSING: unavailable('The keyring file is missing: the gate refuses to decide without keys.'),
  KEYRING_PERMISSIONS: unavailable('The keyring file is readable or writable by other users (it must be mode 0600).'),
  KEYRING_UNREADABLE: unavailable('The keyring file cannot be read by this user or is not a regular file.'),
  KEYRING_INVALID: unavailable('The keyring file is malformed (bad JSON, wrong key sizes, no active key).'),
  KEYRING_LOCKED: unavailable('Another process holds the keyring lock (a key rotation is running).'),
  KEYRING_IO: unavailable('The keyring file could not be written.'),
  KEYRING_MISMATCH: unavailable('The keyring does not belong to this database.'),
  KEY_UNAVAILABLE: unavailable('A data key is missing, destroyed, or does not unwrap under the keyring.'),
  STORE_UNAVAILABLE: unavailable('The database cannot be opened or reached.'),
  STORE_MISSING: unavailable('The database is missing or empty although the data directory has a keyring (deleted, or not restored): it is never recreated silently; `dialward init --reinitialize` starts a new one.'),
  STORE_ROLLED_BACK: integrity('The database is behind, or differs from, the last checkpoint in the checkpoint file (restored from an older copy, truncated or rewritten), or that file is missing: restore the newest backup, or accept the loss with `dialward init --reinitialize`.', 503),
  INTERNAL: { kind: 'internal', exit: 1, http: 500, description: 'A bug or an environment failure; the message says what failed (a stack trace with DIALWARD_DEBUG=1).' },
} as const satisfies Record<string, ErrorSpec>

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** The catalogue entry of a code. */
export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CATALOGUE[code]
}

/**
 * The one error type of Dialward: a stable code from the catalogue and a one-line message that
 * names the field, row or file concerned. Messages never carry phone numbers, key bytes or evidence.
 */
export class DialwardError extends Error {
  readonly code: ErrorCode
  /**
   * The input the error is about, in domain spelling (`phone`, `asOf`, `in`), or `null`. Edges
   * render it their way: the CLI as the flag (`--as-of`), HTTP as the JSON field.
   */
  readonly field: string | null
  /** What is wrong, without the field. */
  readonly problem: string

  constructor(code: ErrorCode, problem: string, field: string | null = null) {
    super(field === null ? problem : `${field}: ${problem}`)
    this.name = 'DialwardError'
    this.code = code
    this.field = field
    this.problem = problem
  }

  get kind(): ErrorKind {
    return ERROR_CATALOGUE[this.code].kind
  }

  /** Exit code of the command line for this error. */
  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit
  }

  /** HTTP status of the server for this error. */
  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].http
  }
}

/** Bad input: names the field or row and what is wrong with it. Exit code 2. */
export function invalidInput(field: string, problem: string): DialwardError {
  return new DialwardError('INVALID_INPUT', problem, field)
}

/** A referenced thing does not exist. Exit code 2. */
export function notFound(field: string, problem: string): DialwardError {
  return new DialwardError('NOT_FOUND', problem, field)
}

/** Whether an error is a Dialward error with one of the given codes. */
export function isError(err: unknown, ...codes: ErrorCode[]): err is DialwardError {
  return err instanceof DialwardError && (codes.length === 0 || codes.includes(err.code))
}

/**
 * Codes in the catalogue that nothing raises yet, and why they are already there (so that their
 * exit code and HTTP status are stable before the first use). `docs/reference/errors.md` marks
 * them reserved; a test fails when a code is neither raised nor listed here, and when a listed
 * code is raised (then it is no longer reserved: remove it).
 */
export const RESERVED_ERROR_CODES: Readonly<Partial<Record<ErrorCode, string>>> = {
}
