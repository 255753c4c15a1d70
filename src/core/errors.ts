/**
 * The error catalogue. Every error a user can cause has a stable code; the CLI maps `kind`
 * to an exit code (usage/input → 2, internal → 1) and a future HTTP layer maps it to a status.
 */
/**
 * - `usage`, `not-found`, `conflict`: the user's input is wrong (exit 2)
 * - `integrity`: tampering or a broken artifact was detected (exit 3)
 * - `unavailable`: something the gate needs is missing (a key, the keyring): fail closed (exit 1)
 * - `internal`: a bug or an environment failure (exit 1)
 */
export type ErrorKind = 'usage' | 'not-found' | 'conflict' | 'integrity' | 'unavailable' | 'internal'

export class DialwardError extends Error {
  readonly code: string
  readonly kind: ErrorKind
  constructor(kind: ErrorKind, code: string, message: string) {
    super(message)
    this.name = 'DialwardError'
    this.kind = kind
    this.code = code
  }
}

/** Bad input: names the field or row and what is wrong with it. Exit code 2. */
export function invalidInput(field: string, problem: string): DialwardError {
  return new DialwardError('usage', 'INVALID_INPUT', `${field}: ${problem}`)
}

/** A referenced thing does not exist (e.g. an unknown campaign). Exit code 2. */
export function notFound(field: string, problem: string): DialwardError {
  return new DialwardError('not-found', 'NOT_FOUND', `${field}: ${problem}`)
}

/** Exit code of the command-line interface for an error kind. */
export function exitCodeOf(kind: ErrorKind): number {
  switch (kind) {
    case 'usage':
    case 'not-found':
    case 'conflict':
      return 2
    case 'integrity':
      return 3
    case 'unavailable':
    case 'internal':
      return 1
  }
}
