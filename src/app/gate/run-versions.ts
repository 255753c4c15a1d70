import type { Executor } from '../../store/schema.js'
import type { DecisionsRepo } from '../../store/repos/decisions.js'

/*
 * Runs scrubbed before migration 0006 stored one decision row per input row; those rows hold
 * `{"runSet":n}` in `versions`, an index into their run's JSON array of version sets in
 * `decision_runs` (the run id is the row's `source`). Rows written since hold their versions.
 */

/**
 * The data versions of decision rows: a row's own `versions` JSON, or, for a bulk run's row that
 * refers to its run's set (`{"runSet":n}`), that set from `decision_runs`.
 */
export async function resolveDecisionVersions(repo: DecisionsRepo, db: Executor, rows: ReadonlyArray<{ source: string; versions: string }>): Promise<unknown[]> {
  const parsed = rows.map((r) => JSON.parse(r.versions) as unknown)
  const runs = new Map<string, unknown[] | null>()
  const out: unknown[] = []
  for (let i = 0; i < rows.length; i++) {
    const v = parsed[i]
    const set = runSetIndex(v)
    if (set === null) {
      out.push(v)
      continue
    }
    const source = rows[i]!.source
    if (!runs.has(source)) {
      const run = await repo.runVersions(db, source)
      runs.set(source, run !== null ? (JSON.parse(run) as unknown[]) : null)
    }
    out.push(runs.get(source)?.[set] ?? null)
  }
  return out
}

function runSetIndex(v: unknown): number | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null
  const keys = Object.keys(v)
  const n = (v as { runSet?: unknown }).runSet
  return keys.length === 1 && typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null
}
