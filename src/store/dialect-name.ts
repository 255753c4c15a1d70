/** The database engines Dialward runs on. */
export type DialectName = 'sqlite' | 'postgres'
