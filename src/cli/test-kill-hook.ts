import type { StepHook } from '../app/services/retention.js'

/**
 * Test hook (undocumented): with DIALWARD_TEST_KILL_AFTER_STEPS=N the process kills itself with
 * SIGKILL after the Nth committed step of a purge or erasure, to test crash recovery.
 */
export function testKillHook(): StepHook | undefined {
  const n = Number(process.env['DIALWARD_TEST_KILL_AFTER_STEPS'] ?? '0')
  if (!(n > 0)) return undefined
  let steps = 0
  return () => {
    if (++steps >= n) process.kill(process.pid, 'SIGKILL')
  }
}
