import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { createTestDatabase, dropTestDatabase } from './postgres.js'
import { testPostgresUrl } from './postgres-url.js'

const url = testPostgresUrl()

describe('test PostgreSQL server', () => {
  it('is handed to workers both by inject() and by env', () => {
    expect(inject('postgresUrl') ?? null).toBe(url)
  })

  it.skipIf(!url)('answers select version()', async () => {
    const client = new pg.Client({ connectionString: url! })
    await client.connect()
    try {
      const { rows } = await client.query<{ version: string }>('select version()')
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/)
    } finally {
      await client.end()
    }
  })

  it.skipIf(!url)('creates a private database per caller, drops it with a session open', async () => {
    const [a, b] = await Promise.all([createTestDatabase(url!), createTestDatabase(url!)])
    expect(a).not.toBe(b)
    expect(new URL(a).pathname).toMatch(/^\/dw_test_[0-9a-f]+$/)

    const client = new pg.Client({ connectionString: a })
    client.on('error', () => undefined) // the forced drop below terminates this session
    await client.connect()
    const { rows } = await client.query<{ db: string }>('select current_database() as db')
    expect(`/${rows[0]?.db}`).toBe(new URL(a).pathname)

    await dropTestDatabase(url!, a)
    await dropTestDatabase(url!, b)
    await client.end().catch(() => undefined)

    const admin = new pg.Client({ connectionString: url! })
    await admin.connect()
    try {
      const names = [a, b].map((u) => new URL(u).pathname.slice(1))
      const left = await admin.query('select datname from pg_database where datname = any($1)', [names])
      expect(left.rows).toEqual([])
    } finally {
      await admin.end()
    }
  })

  it('refuses to drop a database that is not a test database', async () => {
    const admin = 'postgres://postgres@127.0.0.1:1/postgres'
    await expect(dropTestDatabase(admin, admin)).rejects.toThrow(/not a test database/)
  })
})
