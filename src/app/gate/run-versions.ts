import type { Executor } from '../../store/schema.js'
import type { DecisionsRepo } from '../../store/repos/decisions.js'

/**
 * The data-version sets of one bulk run. They are stored once, in `decision_runs` (a JSON array),
 * and each of the run's decision rows holds `{"runSet":n}` in `versions` instead of the whole set
 * (the run id is the row's `source`). Use {@link resolveDecisionVersions} to read them back.
 */
export class RunVersions {
  readonly #runId: string
  readonly #createdAt: number
  readonly #refs = new Map<string, string>()
  readonly #sets: string[] = []
  #stored = 0

  constructor(runId: string, createdAt: number) {
    this.#runId = runId
    this.#createdAt = createdAt
  }

  /** The `versions` value of a decision row made under this set of versions (given as JSON). */
  ref(versionsJson: string): string {
    let ref = this.#refs.get(versionsJson)
    if (ref === undefined) {
      ref = `{"runSet":${this.#sets.length}}`
      this.#sets.push(versionsJson)
      this.#refs.set(versionsJson, ref)
    }
    return ref
  }

  /** Stores the sets added since the last call: call it before writing rows that refer to them. */
  async store(repo: DecisionsRepo, db: Executor): Promise<void> {
    if (this.#stored === this.#sets.length) return
    await repo.putRunVersions(db, this.#runId, `[${this.#sets.join(',')}]`, this.#createdAt)
    this.#stored = this.#sets.length
  }
}

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
