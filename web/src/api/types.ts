/** The answers of the API routes the dashboard reads (see docs/reference/openapi.json). */

export type Role = 'admin' | 'compliance' | 'dialer' | 'auditor'

export interface WhoAmI {
  readonly id: string
  readonly name: string
  readonly role: Role
  /** The server's clock (ISO-8601): the dashboard computes windows from it, not from the browser's. */
  readonly now: string
}

export interface Campaign {
  readonly id: string
  readonly seller: string
  readonly purpose: string
  readonly dialing: string
  readonly channel: string
}

export interface RegistryRow {
  readonly registry: string
  readonly country: string
  readonly areaCodes: string
  readonly version: string | null
  readonly asOf: string | null
  readonly numbers: number | null
  readonly ageDays: number | null
  readonly maxAgeDays: number
  readonly state: 'fresh' | 'stale' | 'missing'
  readonly staleFrom: string | null
}

export interface DecisionReport {
  readonly from: string
  readonly to: string
  readonly days: ReadonlyArray<{ date: string; allow: number; block: number; reasons: Record<string, number> }>
  readonly totals: { allow: number; block: number; reasons: Record<string, number> }
}

export interface CoverageReport {
  readonly campaigns: ReadonlyArray<{
    campaign: string
    seller: string
    purpose: string
    dialing: string
    consentRequired: boolean
    numbers: number
    covered: number
    coveragePercent: number | null
    lacking: { NO_CONSENT: number; CONSENT_REVOKED: number; REASSIGNED_NUMBER: number }
  }>
}

export interface AbandonmentSeriesReport {
  readonly limitPercent: number
  readonly campaigns: ReadonlyArray<{
    campaign: string
    dialing: string
    current: { liveAnswered: number; abandoned: number; ratePercent: number; limitPercent: number; overLimit: boolean; from: string; to: string; rule: string }
    points: ReadonlyArray<{ date: string; liveAnswered: number; abandoned: number; ratePercent: number }>
  }>
}

export interface Forecast {
  readonly at: string
  readonly until: string
  readonly items: ReadonlyArray<{ date: string; class: string; records: number }>
  readonly held: Record<string, number>
  readonly total: number
}

export interface Reason {
  readonly code: string
  readonly message: string
  readonly rule: string
}

export interface CheckResult {
  readonly phone: string | null
  readonly verdict: 'allow' | 'block'
  readonly reasons: readonly Reason[]
  readonly nextAllowedAt: string | null
  readonly decisionId: string
}

export interface ConsentEvent {
  readonly id: string
  readonly type: 'grant' | 'revoke'
  readonly seller: string | null
  readonly kind: string | null
  readonly channel: string | null
  readonly via: string | null
  readonly at: string
  readonly recordedAt: string
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly words: string | null
  readonly trustedFormCertUrl: string | null
  readonly leadIdToken: string | null
  readonly disclosure: { sha256: string; text: string | null } | null
  readonly erased: boolean
  readonly auditSeq: number | null
}

export interface DncEntry {
  readonly id: string
  readonly seller: string | null
  readonly at: string
  readonly recordedAt: string
  readonly source: string | null
  readonly erased: boolean
  readonly auditSeq: number | null
}

export interface ReassignedCheck {
  readonly id: string
  readonly date: string
  readonly result: string
  readonly queriedAt: string
  readonly recordedAt: string
  readonly auditSeq: number | null
}

export interface CallRecord {
  readonly id: string
  readonly campaign: string
  readonly at: string
  readonly outcome: string
  readonly durationSeconds: number | null
  readonly auditSeq: number | null
}

export interface DecisionRecord {
  readonly id: string
  readonly campaign: string
  readonly source: string
  readonly at: string
  readonly decidedAt: string
  readonly verdict: 'allow' | 'block'
  readonly reasons: readonly Reason[]
  readonly nextAllowedAt: string | null
  readonly auditSeq: number | null
}

export interface EvidenceDocument {
  readonly generatedAt: string
  readonly query: { phone: string; seller: string | null; at: string | null }
  readonly subject: string | null
  readonly consentEvents: readonly ConsentEvent[]
  readonly dncEntries: readonly DncEntry[]
  readonly reassignedChecks: readonly ReassignedCheck[]
  readonly decisions: readonly DecisionRecord[]
  readonly calls: readonly CallRecord[]
  readonly log: { origin: string; publicKeySha256: string; checkpoint: { size: number; root: string; time: string } | null }
}

export interface PolicyClass {
  readonly class: string
  readonly records: string
  readonly floors: ReadonlyArray<{ period: string; from: string; rule: string; source: string }>
  readonly ceiling: string | null
  readonly trigger: string
  readonly action: string
  readonly notes?: string
}

export interface PolicyView {
  readonly source: string
  readonly sha256: string
  readonly classes: readonly PolicyClass[]
}

export interface Hold {
  readonly id: string
  readonly scope: 'phone' | 'seller' | 'campaign' | 'all'
  readonly target: string | null
  readonly reason: string
  readonly createdAt: string
  readonly until: string | null
  readonly releasedAt: string | null
  readonly active: boolean
}

export interface Receipt {
  readonly id: string
  readonly runId: string
  readonly kind: string
  readonly at: string
  readonly completedAt: string | null
  readonly records: Record<string, number>
  readonly keysDestroyed: number
  readonly suppressionEntriesAdded: number
  readonly valid: boolean
  readonly problems: readonly string[]
  readonly publicKeySha256: string | null
  readonly signedByThisInstallation: boolean
}

export type AuditVerifyReport =
  | {
      readonly ok: true
      readonly entries: number
      readonly root: string
      readonly checkpoints: number
      readonly consistencyProofsChecked: number
      readonly latestCheckpoint: { size: number; root: string; time: string } | null
      readonly uncovered: number
    }
  | { readonly ok: false; readonly code?: string; readonly problem?: string; readonly firstBadSeq?: number | null; readonly entries?: number }

export interface LatestCheckpoint {
  readonly checkpoint: { size: number; root: string; time: string; note: string } | null
  readonly origin: string | null
  readonly publicKey: string
  readonly publicKeySha256: string
}

export interface ApiKey {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
  readonly lastUsedAt: string | null
  readonly state: 'active' | 'revoked' | 'expired'
}
