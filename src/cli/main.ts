import { CommanderError } from 'commander'
import { buildProgram } from './program.js'
import { reportError } from './run-command.js'

/** Entry point of `bin/dialward`. Exit codes: 0 done, 2 bad usage or input, 3 tampering found, 1 internal failure. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2
    return reportError(err)
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.exitCode = reportError(err)
  },
)
