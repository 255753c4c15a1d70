import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/** The foundation schema: campaigns, subjects and keys, consent ledger, do-not-call, registries, calls, decisions, audit. */
export function foundationDdl(t: ColumnTypes): string[] {
  const { text, int, blob, real } = t
  return [
    `CREATE TABLE settings (key ${text} PRIMARY KEY, value ${text} NOT NULL)`,
    `CREATE TABLE data_keys (id ${text} PRIMARY KEY, scope ${text} NOT NULL, kek_id ${text} NOT NULL, alg ${text} NOT NULL,
      wrapped ${blob}, created_at ${int} NOT NULL, destroyed_at ${int})`,
    `CREATE TABLE campaigns (id ${text} PRIMARY KEY, seller ${text} NOT NULL, seller_key ${text} NOT NULL,
      purpose ${text} NOT NULL, dialing ${text} NOT NULL, channel ${text} NOT NULL, created_at ${int} NOT NULL)`,
    `CREATE TABLE subjects (id ${text} PRIMARY KEY, phone_bidx ${text} NOT NULL UNIQUE, key_id ${text} NOT NULL REFERENCES data_keys(id),
      phone_ct ${blob} NOT NULL, created_at ${int} NOT NULL)`,
    `CREATE TABLE disclosures (id ${text} PRIMARY KEY, sha256 ${text} NOT NULL UNIQUE, key_id ${text} NOT NULL REFERENCES data_keys(id),
      text_ct ${blob} NOT NULL, created_at ${int} NOT NULL)`,
    `CREATE TABLE consent_events (id ${text} PRIMARY KEY, subject_id ${text} NOT NULL REFERENCES subjects(id),
      type ${text} NOT NULL, seller ${text}, seller_key ${text}, kind ${text}, channel ${text}, via ${text}, at ${int} NOT NULL,
      disclosure_id ${text} REFERENCES disclosures(id), source_ct ${blob}, ip_ct ${blob}, user_agent_ct ${blob}, words_ct ${blob},
      recorded_at ${int} NOT NULL)`,
    `CREATE INDEX consent_events_subject ON consent_events (subject_id, at)`,
    `CREATE TABLE dnc_entries (id ${text} PRIMARY KEY, subject_id ${text} NOT NULL REFERENCES subjects(id), seller ${text},
      seller_key ${text}, at ${int} NOT NULL, source_ct ${blob}, recorded_at ${int} NOT NULL)`,
    `CREATE INDEX dnc_entries_subject ON dnc_entries (subject_id)`,
    `CREATE TABLE reassigned_checks (id ${text} PRIMARY KEY, subject_id ${text} NOT NULL REFERENCES subjects(id),
      date ${int} NOT NULL, result ${text} NOT NULL, queried_at ${int} NOT NULL, recorded_at ${int} NOT NULL)`,
    `CREATE INDEX reassigned_checks_subject ON reassigned_checks (subject_id)`,
    `CREATE TABLE calls (id ${text} PRIMARY KEY, subject_id ${text} NOT NULL REFERENCES subjects(id),
      campaign_id ${text} NOT NULL REFERENCES campaigns(id), seller_key ${text} NOT NULL, at ${int} NOT NULL,
      outcome ${text} NOT NULL, duration_s ${real}, recorded_at ${int} NOT NULL)`,
    `CREATE INDEX calls_subject ON calls (subject_id, at)`,
    `CREATE INDEX calls_campaign ON calls (campaign_id, at)`,
    `CREATE TABLE registry_versions (id ${text} PRIMARY KEY, registry ${text} NOT NULL, as_of ${int} NOT NULL,
      imported_at ${int} NOT NULL, key_id ${text} NOT NULL REFERENCES data_keys(id), numbers ${int} NOT NULL, lines ${int} NOT NULL,
      content_sha256 ${text} NOT NULL)`,
    `CREATE INDEX registry_versions_registry ON registry_versions (registry, as_of)`,
    `CREATE TABLE registry_pages (version_id ${text} NOT NULL REFERENCES registry_versions(id), prefix ${int} NOT NULL,
      page_ct ${blob} NOT NULL, PRIMARY KEY (version_id, prefix))`,
    `CREATE TABLE decisions (id ${text} PRIMARY KEY, phone_bidx ${text}, campaign_id ${text} NOT NULL, source ${text} NOT NULL,
      at ${int} NOT NULL, verdict ${text} NOT NULL, reasons ${text} NOT NULL, next_allowed_at ${int}, versions ${text} NOT NULL,
      decided_at ${int} NOT NULL)`,
    `CREATE INDEX decisions_phone ON decisions (phone_bidx, at)`,
    `CREATE TABLE audit_log (seq ${int} PRIMARY KEY, at ${int} NOT NULL, actor ${text} NOT NULL, action ${text} NOT NULL,
      subject ${text}, data ${text} NOT NULL, leaf_hash ${text} NOT NULL)`,
  ]
}

export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  for (const statement of foundationDdl(t)) await sql.raw(statement).execute(db)
}
