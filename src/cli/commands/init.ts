import type { Command } from 'commander'
import { emit, withServices } from '../session.js'

/** `dialward init`: creates the data directory, keyring (mode 0600) and database. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the data directory, keyring (mode 0600) and database')
    .action((_o, cmd: Command) =>
      withServices(cmd, 'create', async (s) => {
        const { config, store } = s.infra
        emit(cmd, { dataDir: config.dataDir, keyring: config.keyringPath, database: store.dialect.name }, `initialized ${config.dataDir} (${store.dialect.name})`)
      }),
    )
}
