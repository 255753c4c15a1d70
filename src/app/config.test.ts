import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'
import { DialwardError } from '../core/errors.js'

/** The error loadConfig throws for these sources (fails the test when it throws none). */
function configError(flags: { data?: string }, env: NodeJS.ProcessEnv): DialwardError {
  try {
    loadConfig(flags, env)
  } catch (err) {
    if (err instanceof DialwardError) return err
    throw err
  }
  throw new Error('loadConfig accepted a bad configuration')
}

describe('loadConfig', () => {
  it('reports every configuration problem at once, in one usage error', () => {
    const err = configError({}, { DIALWARD_DATABASE_URL: 'mysql://db/dialward', DIALWARD_ACTOR: 'a'.repeat(201) })
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.exitCode).toBe(2)
    expect(err.field).toBe('configuration')
    expect(err.problem).toBe('DIALWARD_DATABASE_URL must start with postgres:// or postgresql://; DIALWARD_ACTOR is longer than 200 characters')
  })

  it('lists flag and environment problems together, each once', () => {
    const err = configError({ data: 'dir\nwith a newline' }, { DIALWARD_KEYRING: 'key\u0007ring', DIALWARD_DATABASE_URL: 'sqlite://x' })
    expect(err.problem.split('; ')).toEqual(['--data must name a directory', 'DIALWARD_DATABASE_URL must start with postgres:// or postgresql://', 'DIALWARD_KEYRING contains control characters'])
  })

  it('a good configuration: defaults under the data directory, the --data flag over DIALWARD_DATA, PostgreSQL by URL', () => {
    const c = loadConfig({ data: 'flag-dir' }, { DIALWARD_DATA: 'env-dir', DIALWARD_ACTOR: 'cli:ops' })
    expect(c.dataDir).toBe(resolve('flag-dir'))
    expect(c.database).toEqual({ kind: 'sqlite', path: resolve('flag-dir', 'dialward.db') })
    expect(c.keyringPath).toBe(resolve('flag-dir', 'keyring.json'))
    expect(c.checkpointPath).toBe(resolve('flag-dir', 'audit-checkpoints.jsonl'))
    expect(c.cliActor).toBe('cli:ops')
    expect(c.rulePackRequired).toBe(false)
    expect(Object.isFrozen(c)).toBe(true)
    expect(loadConfig({}, { DIALWARD_DATA: 'env-dir' }).dataDir).toBe(resolve('env-dir'))
    expect(loadConfig({}, { DIALWARD_DATABASE_URL: 'postgresql://h/db' }).database).toEqual({ kind: 'postgres', url: 'postgresql://h/db' })
  })
})
