import { statSync } from 'node:fs'
import type { Command } from 'commander'
import { invalidInput, DialwardError } from '../../core/errors.js'
import { parseRegistryId } from '../../core/dnc/registry-id.js'
import { requireDate, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

interface ImportFlags {
  registry: string
  file: string
  asOf: string
  skipInvalid?: boolean
}

/** Registry ids as the contract spells them: lower case, with the state code of `us-state-XX` upper case. */
function canonicalRegistryId(raw: string): string {
  const t = raw.trim()
  const state = /^us-state-([a-z]{2})$/i.exec(t)
  return state ? `us-state-${state[1]!.toUpperCase()}` : t.toLowerCase()
}

/** `dialward registry import`. */
export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('national and state do-not-call registries')
  registry
    .command('import')
    .description('import a registry file as a new version')
    .requiredOption('--registry <id>', 'us-national|us-state-XX|ca-national|uk-tps')
    .requiredOption('--file <path>')
    .requiredOption('--as-of <date>')
    .option('--skip-invalid', 'skip and count malformed lines instead of refusing the file')
    .action((f: ImportFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const id = parseRegistryId(canonicalRegistryId(requireText('registry', f.registry, 40)))
        if (!id) throw invalidInput('registry', 'must be us-national, us-state-XX (a US state code), ca-national or uk-tps')
        const file = requireText('file', f.file, 4_096)
        const asOf = requireDate('asOf', f.asOf)
        let regular = false
        try {
          regular = statSync(file).isFile()
        } catch {
          regular = false
        }
        if (!regular) throw new DialwardError('INPUT_UNREADABLE', `cannot read ${file}`, 'file')
        const r = await s.registry.import(ctx, { registry: id, file, asOf, skipInvalid: f.skipInvalid === true })
        emit(cmd, r, `imported ${r.registry} as of ${r.asOf}: ${r.numbers} numbers (version ${r.id})`)
      }),
    )
}
