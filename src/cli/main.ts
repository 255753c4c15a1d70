import { CommanderError, type Command } from 'commander'
import { buildProgram } from './program.js'
import { reportError } from './render-error.js'

/** Entry point of `bin/dialward`. Exit codes come from the error catalogue: 0 done, 2 bad usage or input, 3 tampering found, 1 internal failure. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2
    return reportError(err, flagNames(program))
  }
}

/** Every option's attribute name (`asOf`) → its flag (`--as-of`), over the whole program: errors name fields by attribute. */
function flagNames(program: Command): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (cmd: Command): void => {
    for (const o of cmd.options) if (o.long) out.set(o.attributeName(), o.long)
    for (const c of cmd.commands) walk(c)
  }
  walk(program)
  return out
}

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.exitCode = reportError(err, new Map())
  },
)
