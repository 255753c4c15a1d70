import { CommanderError } from 'commander'
import { DialwardError, exitCodeOf } from '../core/errors.js'
import { resolveConfig } from '../app/config.js'
import { openApp, type App, type OpenMode } from '../app/open-app.js'
import { KeyringError } from '../crypto/keyring-error.js'
import { maybeCheckpoint } from '../app/audit/checkpoints.js'

/** Flags every command accepts. */
export interface CommonFlags {
  data?: string
  json?: boolean
}

/**
 * Opens the app, runs one command's body, signs an audit checkpoint when one is due (every
 * 1,000 entries or 5 minutes), and closes the app. Failures propagate to `reportError`.
 */
export async function runWithApp(flags: CommonFlags, mode: OpenMode, body: (app: App) => Promise<void>): Promise<void> {
  const config = resolveConfig(flags, process.env)
  const app = await openApp(config, mode)
  try {
    await body(app)
    await maybeCheckpoint(app, app.now())
  } finally {
    await app.close()
  }
}

/**
 * Prints an error the way the contract asks and returns the exit code: 2 for bad usage or input
 * (one line on stderr naming the field), 3 for detected tampering, 1 for internal failures or
 * missing keys. A stack trace is printed only with DIALWARD_DEBUG=1.
 */
export function reportError(err: unknown): number {
  if (err instanceof DialwardError) {
    process.stderr.write(`dialward: ${err.message}\n`)
    return exitCodeOf(err.kind)
  }
  if (err instanceof KeyringError) {
    process.stderr.write(`dialward: ${err.message}\n`)
    return 1
  }
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`dialward: internal error: ${message.split('\n')[0]}\n`)
  if (process.env['DIALWARD_DEBUG'] === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`)
  return 1
}

/** Writes a command's result: one JSON document with `--json`, else a human line. */
export function output(flags: CommonFlags, result: unknown, human: string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${human}\n`)
}
