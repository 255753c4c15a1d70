import type { Kysely } from 'kysely'

/**
 * The database schema, shared by SQLite and PostgreSQL. Instants are integer milliseconds
 * since the epoch (UTC); `*_ct` columns hold AES-256-GCM envelopes (see src/crypto/envelope.ts);
 * `*_bidx` columns hold keyed blind indexes. No column holds a phone number, IP address,
 * user agent or disclosure text in plaintext.
 */
export interface Database {
  settings: { key: string; value: string }
  data_keys: {
    id: string
    scope: string
    kek_id: string
    alg: string
    wrapped: Buffer | null
    created_at: number
    destroyed_at: number | null
  }
  campaigns: {
    id: string
    seller: string
    seller_key: string
    purpose: string
    dialing: string
    channel: string
    created_at: number
    /** The data purpose the campaign dials; `null`: its own purpose. */
    data_purpose: string | null
  }
  subjects: { id: string; phone_bidx: string; key_id: string; phone_ct: Buffer; created_at: number }
  disclosures: { id: string; sha256: string; key_id: string; text_ct: Buffer; created_at: number }
  consent_events: {
    id: string
    subject_id: string
    type: 'grant' | 'revoke'
    seller: string | null
    seller_key: string | null
    kind: string | null
    channel: string | null
    via: string | null
    at: number
    disclosure_id: string | null
    source_ct: Buffer | null
    ip_ct: Buffer | null
    user_agent_ct: Buffer | null
    words_ct: Buffer | null
    recorded_at: number
    trustedform_ct: Buffer | null
    leadid_ct: Buffer | null
  }
  dnc_entries: {
    id: string
    subject_id: string
    seller: string | null
    seller_key: string | null
    at: number
    source_ct: Buffer | null
    recorded_at: number
  }
  reassigned_checks: {
    id: string
    subject_id: string
    date: number
    result: string
    queried_at: number
    recorded_at: number
  }
  calls: {
    id: string
    subject_id: string
    campaign_id: string
    seller_key: string
    at: number
    outcome: string
    duration_s: number | null
    recorded_at: number
  }
  registry_versions: {
    id: string
    registry: string
    as_of: number
    imported_at: number
    key_id: string
    numbers: number
    lines: number
    content_sha256: string
    /** JSON coverage (see core/dnc/coverage.ts); `null` for versions stored before migration 0006 (whole registry, pages). */
    coverage: string | null
    /** JSON import report; `null` before migration 0006. */
    details: string | null
  }
  registry_pages: { version_id: string; prefix: number; page_ct: Buffer }
  decisions: {
    id: string
    phone_bidx: string | null
    campaign_id: string
    source: string
    at: number
    verdict: string
    reasons: string
    next_allowed_at: number | null
    versions: string
    decided_at: number
  }
  /**
   * One record per bulk scrub run: its data versions, campaign, instant, input and output SHA-256,
   * rows and summary (JSON). Rows of runs before migration 0006 hold only `versions` (a JSON array
   * of sets their decision rows refer to as `{"runSet":n}`).
   */
  decision_runs: {
    id: string
    versions: string
    created_at: number
    campaign_id: string | null
    at: number | null
    input_sha256: string | null
    output_sha256: string | null
    row_count: number | null
    summary: string | null
  }
  audit_checkpoints: { size: number; root: string; time: number; note: string }
  audit_log: {
    seq: number
    at: number
    actor: string
    action: string
    subject: string | null
    data: string
    leaf_hash: string
  }
  legal_holds: {
    id: string
    scope: string
    target: string | null
    reason_key_id: string
    reason_ct: Buffer
    created_at: number
    until: number | null
    released_at: number | null
  }
  suppressions: { id: string; phone_bidx: string; seller_key: string | null; at: number; origin: string; created_at: number }
  retention_runs: {
    id: string
    kind: string
    at: number
    status: string
    subject: string | null
    started_at: number
    finished_at: number | null
    summary: string | null
    audit_seq: number | null
    receipt_path: string | null
  }
  retention_run_batches: { run_id: string; seq: number; counts: string; keys: string; created_at: number }
  /** Change counters per topic (see store/repos/changes.ts). */
  changes: { topic: string; version: number }
  /** Refused or failed writes, recorded outside their rolled-back transaction. */
  /** API keys: only the SHA-256 of each secret is stored. */
  api_keys: { id: string; name: string; role: string; secret_sha256: string; created_at: number; expires_at: number | null; revoked_at: number | null; last_used_at: number | null }
  /** Which keys (blind indexes) of a topic changed at which counter version. */
  change_log: { topic: string; version: number; key: string; at: number }
  /**
   * Contact records: one per subject and data purpose. `fields` is JSON `{"<field>": <verified at ms>}`
   * (which fields are kept and when each was last verified, never a value); `fields_ct` the values,
   * JSON `{"<field>": "<value>"}`, sealed under the subject's data key.
   */
  contacts: { id: string; subject_id: string; purpose: string; verified_at: number; fields: string; fields_ct: Buffer | null; created_at: number; updated_at: number }
  /** Import rows refused for an invalid number: the number as given and the kept fields, sealed under a data key of the import. */
  contact_quarantine: { id: string; import_id: string; row_number: number; purpose: string; reason: string; key_id: string; phone_ct: Buffer | null; fields_ct: Buffer | null; created_at: number }
  audit_refusals: { id: string; at: number; actor: string; role: string; request_id: string; action: string; code: string }
  /** Which audit entry put or deleted each covered row, with the row's SHA-256 (see store/repos/row-ledger.ts). */
  row_audit: { seq: number; n: number; tbl: string; row_key: string; scope: string; op: 'put' | 'gone'; row_sha256: string | null }
  /** Per scope the gate reads: the keyed sum of its live rows' hashes, and the seq of the last entry that changed it. */
  row_heads: { scope: string; rows: number; digest: string; seq: number; mac: string }
}

/** A query executor: the database, or a transaction on it. Repositories take one as their first argument. */
export type Executor = Kysely<Database>
