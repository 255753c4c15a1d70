import { Kysely, PostgresDialect, sql } from 'kysely'
import type { Pool, PoolClient } from 'pg'
import type { Database } from '../schema.js'
import type { BulkTable, Capabilities, RowTable } from './capabilities.js'
import { quoteIdentifier } from './identifiers.js'

/** An open PostgreSQL database and its capabilities. */
export interface PostgresStore {
  readonly db: Kysely<Database>
  readonly dialect: Capabilities
  close(): Promise<void>
}

/** Channel of change notifications between Dialward processes. */
const CHANGES_CHANNEL = 'dialward_changes'
const AUDIT_LOCK_KEY = 0x44_57_41_55 // "DWAU"
/** Bind parameters per statement, below PostgreSQL's limit of 65,535. */
const MAX_PARAMETERS = 60_000
/** Rows per COPY chunk written to the socket. */
const COPY_CHUNK_ROWS = 2_000

let typesSet = false

/**
 * Opens a PostgreSQL connection pool. int8 columns are parsed to JS numbers (instants and
 * prefixes stay below 2^53). The driver is loaded only when PostgreSQL is used.
 */
export async function openPostgres(url: string): Promise<PostgresStore> {
  const { default: pg } = await import('pg')
  if (!typesSet) {
    pg.types.setTypeParser(20, (v: string) => Number(v))
    typesSet = true
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 })
  // An idle client that loses its server must not crash the process: the next query reports it.
  pool.on('error', () => undefined)
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: postgresCapabilities(db, pool, url), close: () => db.destroy() }
}

function postgresCapabilities(db: Kysely<Database>, pool: Pool, url: string): Capabilities {
  return {
    name: 'postgres',
    types: { text: 'TEXT', int: 'BIGINT', blob: 'BYTEA', real: 'DOUBLE PRECISION' },
    blockingWrites: false,

    writeTransaction: (fn) => db.transaction().execute(fn),

    lockAuditLog: async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx)
    },

    bulkLoad: async <T extends BulkTable>(table: T, rows: readonly Database[T][]) => {
      if (rows.length === 0) return
      const columns = Object.keys(rows[0]!)
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        await copyRows(client, table, columns, rows as readonly object[])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      } finally {
        client.release()
      }
    },

    insertMany: async <T extends BulkTable | RowTable>(trx: Kysely<Database>, table: T, rows: readonly Database[T][]) => {
      if (rows.length === 0) return
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length))
      for (let i = 0; i < rows.length; i += perStatement) {
        await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(rows.slice(i, i + perStatement) as Array<Record<string, unknown>>).execute()
      }
    },

    // DELETE leaves dead tuples; VACUUM makes their space reusable (it does not overwrite them,
    // and WAL archives keep old pages: deletion relies on destroyed keys).
    reclaimDeleted: async (tables) => {
      for (const t of tables) await sql.raw(`VACUUM ${quoteIdentifier(t)}`).execute(db)
      return { physical: 'postgresql: DELETE + VACUUM of the purged tables', complete: true, attempts: 1 }
    },

    notifyChange: async (trx, topic) => {
      await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${topic})`.execute(trx)
    },

    subscribeChanges: async (onChange) => {
      const { default: pg } = await import('pg')
      const client = new pg.Client({ connectionString: url })
      client.on('error', () => undefined)
      await client.connect()
      client.on('notification', (n) => {
        if (n.channel === CHANGES_CHANNEL) onChange(n.payload ?? '')
      })
      await client.query(`LISTEN ${CHANGES_CHANNEL}`)
      return async () => {
        await client.end().catch(() => undefined)
      }
    },
  }
}

/** Streams rows into `table` with `COPY … FROM STDIN` in PostgreSQL's text format. */
async function copyRows(client: PoolClient, table: string, columns: readonly string[], rows: readonly object[]): Promise<void> {
  const { from } = await import('pg-copy-streams')
  const stream = client.query(from(`COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`))
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
  })
  let chunk = ''
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) chunk += '\t'
      chunk += copyField(row[columns[c]!])
    }
    chunk += '\n'
    if ((i + 1) % COPY_CHUNK_ROWS === 0) {
      if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r))
      chunk = ''
    }
  }
  stream.end(chunk)
  await done
}

/** One value in COPY text format: `\N` for NULL, bytea as `\\x` hex, text with `\`, tab, LF and CR escaped. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N'
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N'
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `\\\\x${Buffer.from(v).toString('hex')}`
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}
