import type { Executor } from '../schema.js'

/** Small named values of the installation (origin of the audit log, key bindings, rotation state). */
export const settings = {
  /** One value, or `null` when it was never set. */
  async get(ex: Executor, key: string): Promise<string | null> {
    const row = await ex.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    return row?.value ?? null
  },

  /** Sets a value, replacing any earlier one. */
  async put(ex: Executor, key: string, value: string): Promise<void> {
    await ex.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
  },

  /** Sets a value unless one exists; returns the value in force afterwards. */
  async putIfAbsent(ex: Executor, key: string, value: string): Promise<string> {
    await ex.insertInto('settings').values({ key, value }).onConflict((oc) => oc.doNothing()).execute()
    return (await settings.get(ex, key)) ?? value
  },

  async remove(ex: Executor, key: string): Promise<void> {
    await ex.deleteFrom('settings').where('key', '=', key).execute()
  },
}
