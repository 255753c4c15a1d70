import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** The database engines Dialward runs on. */
export type DialectName = 'sqlite' | 'postgres'

/** Column types of the shared schema, spelled per engine. */
export interface ColumnTypes {
  readonly text: string
  readonly int: string
  readonly blob: string
  readonly real: string
}

/** Tables written by bulk load (append-only logs and registry pages). */
export type BulkTable = 'decisions' | 'registry_pages'

/** Tables written by `insertMany` inside a write transaction (bulk imports of contacts and their subjects, the change log they leave, and their row records and heads). */
export type RowTable = 'data_keys' | 'subjects' | 'contacts' | 'contact_quarantine' | 'change_log' | 'row_audit' | 'row_heads'

/** How deleted rows were removed from the storage files. */
export interface ReclaimOutcome {
  /** The method, as a receipt states it. */
  readonly physical: string
  /** Whether the engine confirmed that nothing deleted remains in its live files. */
  readonly complete: boolean
  readonly attempts: number
}

/**
 * Everything that differs between SQLite and PostgreSQL, as named capabilities of one open
 * database. Nothing outside `store/dialects/` asks which engine it runs on: it uses these.
 */
export interface Capabilities {
  readonly name: DialectName
  readonly types: ColumnTypes
  /**
   * Whether writes run synchronously on the calling thread (SQLite: a commit's fsync stalls the
   * event loop). A long-lived server then runs its group commit on a worker thread with its own
   * connection, so requests keep being answered while a batch is made durable.
   */
  readonly blockingWrites: boolean
  /**
   * Runs `fn` in a read-then-write transaction: SQLite takes the write lock up front
   * (`BEGIN IMMEDIATE`, so the busy timeout applies); PostgreSQL runs a regular transaction.
   */
  writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>
  /** Serializes audit-log appends inside a write transaction (gap-free sequence numbers). */
  lockAuditLog(trx: Kysely<Database>): Promise<void>
  /**
   * Appends many rows to one table in its own transaction by the engine's fastest path: prepared
   * statements on SQLite, `COPY … FROM STDIN` on PostgreSQL. Every row has the columns of the first.
   */
  bulkLoad<T extends BulkTable>(table: T, rows: readonly Database[T][]): Promise<void>
  /**
   * Inserts many rows into one table inside the caller's write transaction `trx` (they commit or
   * roll back with it) by the engine's fastest path within a transaction: one prepared statement
   * run per row on SQLite (on the transaction's own connection), multi-row `INSERT`s on
   * PostgreSQL. Every row has the columns of the first.
   */
  insertMany<T extends BulkTable | RowTable>(trx: Kysely<Database>, table: T, rows: readonly Database[T][]): Promise<void>
  /** Removes deleted rows from the storage files (secure delete), waiting up to `maxWaitMs`. */
  reclaimDeleted(tables: readonly string[], maxWaitMs: number): Promise<ReclaimOutcome>
  /** Tells other processes, when `trx` commits, that data of `topic` changed (PostgreSQL NOTIFY; SQLite: they poll). */
  notifyChange(trx: Kysely<Database>, topic: string): Promise<void>
  /**
   * Calls `onChange` with the topic whenever another process commits a change (PostgreSQL
   * LISTEN on a dedicated connection). `null` when the engine cannot push (SQLite): poll the
   * change counters instead. Returns a function that stops listening.
   */
  subscribeChanges(onChange: (topic: string) => void): Promise<(() => Promise<void>) | null>
}
