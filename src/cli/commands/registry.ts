import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import { canonicalRegistryId, parseRegistryId } from '../../core/dnc/registry-id.js'
import { areaCodeList, requireDate, requireText } from '../../app/input.js'
import { inputSource } from '../../app/files/input-source.js'
import type { RegistryImportResult } from '../../app/services/registry.js'
import type { RegistryStatus } from '../../app/services/registry-status.js'
import { progressReporter } from '../progress.js'
import { emit, withServices } from '../session.js'

interface ImportFlags {
  registry: string
  file: string
  asOf: string
  skipInvalid?: boolean
  areaCodes?: string
  full?: boolean
  changes?: boolean
}

/** `dialward registry import|status`. */
export function registerRegistry(program: Command): void {
  const registry = program.command('registry').description('national and state do-not-call registries')
  registry
    .command('import')
    .description('import a registry file (flat, CRTC XML, change list; plain, gzip or ZIP) as a new version')
    .requiredOption('--registry <id>', 'us-national|us-state-XX|ca-national|uk-tps')
    .requiredOption('--file <path>')
    .requiredOption('--as-of <date>')
    .option('--area-codes <list>', 'the area codes the file covers, e.g. 305,786 (default: those in the file)')
    .option('--full', 'the file is the whole registry: every area code it lacks has no listed number')
    .option('--changes', 'the file is a change list (records with an add or delete marker; also detected)')
    .option('--skip-invalid', 'skip and count malformed lines instead of refusing the file')
    .action((f: ImportFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const id = parseRegistryId(canonicalRegistryId(requireText('registry', f.registry, 40)))
        if (!id) throw invalidInput('registry', 'must be us-national, us-state-XX (a US state code), ca-national or uk-tps')
        const file = inputSource(requireText('file', f.file, 4_096), 'file')
        if (file.size === null) throw invalidInput('file', `${file.name} is not a regular file (registry files are read twice: a ZIP from its end)`)
        const asOf = requireDate('asOf', f.asOf)
        const areaCodes = f.areaCodes === undefined ? null : areaCodeList('areaCodes', f.areaCodes)
        const progress = progressReporter(`importing ${id.id}`)
        let r: RegistryImportResult
        try {
          r = await s.registry.import(ctx, { registry: id, file: file.name, asOf, skipInvalid: f.skipInvalid === true, areaCodes, full: f.full === true, changes: f.changes === true, progress: (done, total) => progress.update(done, done, total) })
        } finally {
          progress.done()
        }
        emit(cmd, r, renderImport(r))
      }),
    )
  registry
    .command('status')
    .description('per registry and area-code range: the version in force, its as-of date, age, freshness today, numbers')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s) => {
        const r = await s.registry.status()
        emit(cmd, r, renderStatus(r))
      }),
    )
}

function renderImport(r: RegistryImportResult): string {
  if (r.unchanged) return `unchanged: ${r.registry} as of ${r.asOf} already holds this content (version ${r.id}, ${r.numbers} numbers); nothing stored`
  const covers = r.full ? 'the whole registry' : r.areaCodes.length === 0 ? 'the whole registry' : `${r.areaCodes.length} area code${r.areaCodes.length === 1 ? '' : 's'} (${abbreviate(r.areaCodes)})`
  const lines = [`imported ${r.registry} as of ${r.asOf}${r.kind === 'changes' ? ' (change list)' : ''}: ${r.numbers} numbers, covering ${covers}; ${r.added} added, ${r.removed} removed (version ${r.id})`]
  if (r.changes !== null) lines.push(`  change records: ${r.changes.adds} adds (${r.changes.addsOfListed} already listed), ${r.changes.deletes} deletes (${r.changes.deletesOfUnlisted} not listed)`)
  if (r.skipped > 0 || r.duplicates > 0) lines.push(`  ${r.lines} lines: ${r.duplicates} duplicates, ${r.skipped} malformed lines skipped`)
  if (r.entries.length > 1) for (const e of r.entries) lines.push(`  entry ${e.name} (${e.format}): ${e.records} records in ${e.lines} lines${e.skipped > 0 ? `, ${e.skipped} skipped` : ''}`)
  return lines.join('\n')
}

function renderStatus(s: RegistryStatus): string {
  if (s.registries.length === 0) return `no registry imported (today ${s.today}): every marketing call that needs one is REGISTRY_STALE`
  const out: string[] = [`registry status on ${s.today}: ${s.fresh ? 'every registry fresh' : 'NOT ALL FRESH'}`]
  for (const r of s.registries) {
    out.push(`${r.registry} (fresh for ${r.maxAgeDays} days after its as-of date)${r.fresh ? '' : ' — STALE OR INCOMPLETE'}`)
    for (const g of r.ranges) {
      const where = g.scope === 'area-codes' ? (g.first === g.last ? `area code ${g.first}` : `area codes ${g.first}–${g.last} (${g.areaCodes.length})`) : g.scope === 'whole-registry' ? 'whole registry' : 'every other area code'
      out.push(`  ${where}: version ${g.version}, as of ${g.asOf}, ${g.ageDays} days old, ${g.fresh ? `fresh through ${g.freshThrough}` : 'STALE'}, ${g.numbers} numbers`)
    }
    if (r.uncovered.length > 0) out.push(`  not covered (marketing calls are REGISTRY_STALE): ${r.uncovered.length} area codes: ${abbreviate(r.uncovered)}`)
  }
  return out.join('\n')
}

function abbreviate(codes: readonly string[]): string {
  return codes.length <= 12 ? codes.join(', ') : `${codes.slice(0, 12).join(', ')}, … (${codes.length - 12} more)`
}
