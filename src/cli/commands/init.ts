import type { Command } from 'commander'
import { emit, withServices } from '../session.js'

/** `dialward init`: creates the data directory, keyring (mode 0600) and database. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the data directory, keyring (mode 0600) and database')
    .option('--reinitialize', 'start over beside an existing keyring: a new database when it is missing or empty, or accept one restored from an older copy; the checkpoint file is set aside (kept), a new one begins')
    .action((o: { reinitialize?: boolean }, cmd: Command) =>
      withServices(cmd, o.reinitialize === true ? 'reinitialize' : 'create', async (s) => {
        const { config, store } = s.infra
        emit(cmd, { dataDir: config.dataDir, keyring: config.keyringPath, database: store.dialect.name }, `initialized ${config.dataDir} (${store.dialect.name})`)
      }),
    )
}
