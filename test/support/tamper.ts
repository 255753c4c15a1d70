import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import type { Installation } from './cli.js'

/**
 * Runs SQL statements straight against an installation's database, in one transaction: what an
 * attacker with write access to the database (behind Dialward's back) can do.
 */
export async function tamper(dw: Installation, ...statements: string[]): Promise<void> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'))
    try {
      db.transaction(() => statements.forEach((s) => db.exec(s)))()
    } finally {
      db.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    await client.query('BEGIN')
    for (const s of statements) await client.query(s)
    await client.query('COMMIT')
  } finally {
    await client.end()
  }
}
