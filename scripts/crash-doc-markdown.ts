import { CRASH_ENV, CRASH_POINTS } from '../src/app/crash-points.js'

/** The text of docs/reference/crash-safety.md, rendered from the crash-point catalogue. */
export function renderCrashDoc(): string {
  const rows = Object.entries(CRASH_POINTS).map(([name, meaning]) => `| \`${name}\` | ${meaning} |`)
  return [
    '# Crash safety: the crash points',
    '',
    '<!-- Generated from src/app/crash-points.ts by `npm run docs:crash`; a test keeps it fresh. -->',
    '',
    'Every write path that matters for compliance marks named crash points. A test arms one with',
    `\`${CRASH_ENV}=<name>[@<action>][:<nth>]\`: the process SIGKILLs itself the \`nth\` time (default 1) it`,
    'reaches the point (for `uow.*`, only in units of work of that audit action). `npm run test:crash`',
    'kills registry import (while staging and at the switch), change lists, contact import, purge,',
    'erase, key rotation, key prune and the server\'s group commit at every point below (the scenarios:',
    '`test/crash/scenarios.ts`; a point no scenario kills fails the run). After each kill, and again',
    'after a rerun, it checks: SQLite `integrity_check` is `ok`, `audit verify` exits 0, the',
    'acknowledged DNC entry still blocks, and the registry is in its old or its new version (never',
    'half). After the rerun, every data table holds exactly as many live rows as after one',
    'uninterrupted run of the operation: nothing acknowledged lost, nothing deleted back, nothing',
    'written twice. A CI-sized subset (one point per operation, `test/cli/crash-subset.test.ts`) runs',
    'in `npm test`. See ADR 0016.',
    '',
    '| Point | The process dies when |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n')
}
