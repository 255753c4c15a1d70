import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { DEFAULT_DATA_SCHEMA, describeDataSchema, validateDataSchema, type DataSchema } from '../../core/contacts/data-schema.js'
import { canonicalJson } from '../../core/retention/receipt.js'
import { DialwardError } from '../../core/errors.js'
import type { AppConfig } from '../config.js'

/** The effective data schema, where it came from, and its digest (recorded with decisions). */
export interface LoadedSchema {
  readonly schema: DataSchema
  readonly source: string
  readonly sha256: string
}

/**
 * Loads the data schema once per process: the file named by `DIALWARD_DATA_SCHEMA` (which must
 * exist), else `DATA/data-schema.json` when present, else the defaults. A file that is unreadable,
 * not JSON or breaks the format is refused with every problem listed (`INVALID_DATA_SCHEMA`).
 */
export function loadDataSchema(config: Pick<AppConfig, 'dataSchemaPath' | 'dataSchemaRequired'>): LoadedSchema {
  const path = config.dataSchemaPath
  let schema = DEFAULT_DATA_SCHEMA
  let source = 'defaults'
  if (existsSync(path) || config.dataSchemaRequired) {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      throw new DialwardError('INVALID_DATA_SCHEMA', `cannot read ${path}`, 'DIALWARD_DATA_SCHEMA')
    }
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      throw new DialwardError('INVALID_DATA_SCHEMA', `${path} is not valid JSON`, 'data schema')
    }
    const result = validateDataSchema(doc)
    if (!result.ok) throw new DialwardError('INVALID_DATA_SCHEMA', `${path}: ${result.errors.join('; ')}`, 'data schema')
    schema = result.schema
    source = path
  }
  return { schema, source, sha256: createHash('sha256').update(canonicalJson(describeDataSchema(schema))).digest('hex') }
}
