import { CommanderError } from 'commander'
import { DialwardError } from '../core/errors.js'

/**
 * Renders any error as the contract asks — one line on stderr naming the flag, row or file —
 * and returns the exit code from the error catalogue. Fields in domain spelling (`asOf`) are
 * printed as the flag that carries them (`--as-of`). A stack trace only with DIALWARD_DEBUG=1.
 */
export function reportError(err: unknown, flags: ReadonlyMap<string, string>): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
  if (err instanceof DialwardError) {
    const field = err.field === null ? null : (flags.get(err.field) ?? err.field)
    process.stderr.write(`dialward: ${oneLine(field === null ? err.problem : `${field}: ${err.problem}`)}\n`)
    debugStack(err)
    return err.exitCode
  }
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`dialward: internal error: ${oneLine(message)}\n`)
  debugStack(err)
  return 1
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

function debugStack(err: unknown): void {
  if (process.env['DIALWARD_DEBUG'] === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`)
}
