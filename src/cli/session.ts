import type { Command } from 'commander'
import { loadConfig } from '../app/config.js'
import { compose, type Services } from '../app/compose.js'
import type { OpenMode } from '../app/infrastructure.js'
import { requestContext, type RequestContext } from '../app/context.js'
import { signDueCheckpoint } from '../jobs/checkpoint-signer.js'

/** The options every command takes (declared once on the program; `--data` may stand before or after the command). */
export interface GlobalFlags {
  readonly data?: string
  readonly json?: boolean
}

/** The merged options of a command and the program. */
export function flagsOf<T extends object>(cmd: Command): T & GlobalFlags {
  return cmd.optsWithGlobals<T & GlobalFlags>()
}

/**
 * Runs one command's body against freshly composed services and a request context for the
 * command line (actor `DIALWARD_ACTOR` or `cli:<user>`, role admin: the command line holds the
 * keyring), then signs an audit checkpoint when one is due, and closes the store.
 */
export async function withServices(cmd: Command, mode: OpenMode, body: (services: Services, ctx: RequestContext) => Promise<void>): Promise<void> {
  const config = loadConfig({ data: flagsOf(cmd).data }, process.env)
  const services = await compose(config, mode)
  try {
    const ctx = requestContext(config.cliActor, 'admin')
    await body(services, ctx)
    await signDueCheckpoint(services.infra, services.infra.clock(), warn)
  } finally {
    await services.close()
  }
}

/** A due checkpoint that could not be signed does not fail the command (its write committed); the next command retries. */
function warn(err: unknown): void {
  process.stderr.write(`dialward: warning: audit checkpoint not signed (the next command retries): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`)
}

/** Writes a command's result: one JSON document with `--json`, else a human line (nothing when it is empty). */
export function emit(cmd: Command, result: unknown, human: string): void {
  if (flagsOf(cmd).json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  else if (human !== '') process.stdout.write(`${human}\n`)
}
