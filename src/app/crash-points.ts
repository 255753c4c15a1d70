/**
 * Named crash points (test mechanism): places in the write paths where a process may die, so the
 * crash harness (`npm run test:crash`) can `kill -9` each operation at each point and check what
 * survives. With `DIALWARD_TEST_CRASH_AT=<name>[@<qualifier>][:<nth>]` the process SIGKILLs itself
 * the `nth` time (default 1) it reaches the point `name` (with that qualifier, when given: the
 * unit of work's audit action, e.g. `uow.before-commit@registry.import:2`). Unset, a crash point
 * costs one comparison. The catalogue is data: the harness enumerates it and fails when a point is
 * exercised by no scenario; `docs/reference/crash-safety.md` is generated from it.
 */

/** The catalogue: every crash point's name and what has happened when the process dies there. */
export const CRASH_POINTS = {
  'uow.before-commit': 'a unit of work ran its writes, appended its audit entries and row ledger, but has not committed (qualified by the audit action)',
  'uow.after-commit': 'a unit of work committed; the caller has not yet been told (qualified by the audit action)',
  'group-commit.before-write': 'the server queued gate decisions for a group commit; nothing of the batch is written and no caller was answered',
  'group-commit.after-write': 'a group commit of gate decisions committed; its callers have not yet been answered',
  'retention.subjects-batch': 'a purge or erasure committed one batch of subject deletions',
  'retention.decisions-batch': 'a purge committed one batch of decision-log deletions',
  'retention.registry-batch': 'a purge committed one batch of registry-version deletions',
  'retention.disclosures': 'a purge committed its disclosure-log deletions',
  'retention.quarantine-batch': 'a purge committed one batch of quarantine deletions',
  'retention.audited': 'a purge or erasure committed its audit entry (run status `audited`); storage is not yet scrubbed',
  'retention.scrubbed': 'a run\'s deleted pages were reclaimed (scrubbed); the receipt is not yet written',
  'retention.receipt-written': 'a run\'s receipt file was written; the run is not yet marked finished',
  'keys.keyring-written': 'a rotation wrote the new key-encryption key to the keyring file; the rotation is not yet audited (`keys.rotate.start`)',
  'keys.rewrapped': 'a rotation re-wrapped one data key in a batch that has not committed',
  'keys.prune-audited': 'a prune committed its audit entry naming the KEKs (`keys.prune`); the keyring file is not yet rewritten',
} as const satisfies Record<string, string>

/** The name of a crash point. */
export type CrashPointName = keyof typeof CRASH_POINTS

/** The environment variable that arms one crash point. */
export const CRASH_ENV = 'DIALWARD_TEST_CRASH_AT'

interface Armed {
  readonly name: string
  readonly qualifier: string | null
  readonly nth: number
}

const SPEC = /^([a-z.-]+)(?:@([^:]+))?(?::(\d+))?$/

/** Parses a `<name>[@<qualifier>][:<nth>]` spec; `null` when it is empty or malformed. */
export function parseCrashSpec(spec: string | undefined): Armed | null {
  const m = spec === undefined ? null : SPEC.exec(spec.trim())
  if (!m) return null
  const nth = m[3] === undefined ? 1 : Number(m[3])
  return nth >= 1 ? { name: m[1]!, qualifier: m[2] ?? null, nth } : null
}

const armed = parseCrashSpec(process.env[CRASH_ENV])
let reached = 0

/**
 * Marks a crash point: when it is the armed one (and `qualifier` matches, if the spec names one),
 * counts this occurrence and SIGKILLs the process on the `nth`.
 */
export function crashPoint(name: CrashPointName, qualifier?: string): void {
  if (armed === null || armed.name !== name) return
  if (armed.qualifier !== null && armed.qualifier !== qualifier) return
  if (++reached >= armed.nth) process.kill(process.pid, 'SIGKILL')
}
