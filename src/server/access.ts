import type { Role } from '../app/context.js'

/**
 * Who may call a route: a list of roles; `public` (no key: health, readiness, metrics, the API
 * document); or `signed` (an SMS provider's webhook: the provider's HMAC signature when a secret
 * is configured, else a key of one of `roles`).
 */
export type Access = readonly Role[] | 'public' | { readonly signed: readonly Role[] }

const ALL: readonly Role[] = ['admin', 'compliance', 'dialer', 'auditor']
const WRITE_FACTS: readonly Role[] = ['admin', 'compliance']
const READ: readonly Role[] = ['admin', 'compliance', 'auditor']

/**
 * The one role table: every route the server registers must have an entry here (the server
 * refuses to start otherwise, and a test walks every route × role × key state). Keys are
 * `METHOD /path` exactly as registered.
 */
export const ACCESS: Readonly<Record<string, Access>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  // the dashboard's page and assets (they hold no data; every API call they make needs a key)
  'GET /': 'public',
  'GET /assets/app.js': 'public',
  'GET /assets/app.css': 'public',
  'GET /v1/whoami': ALL,
  'GET /v1/registries/status': ALL,
  'GET /v1/reports/decisions': READ,
  'GET /v1/reports/consent-coverage': READ,
  'GET /v1/reports/abandonment/series': READ,
  'GET /v1/audit/checkpoint': READ,
  'GET /v1/retention/receipts': READ,
  'POST /v1/check': ['admin', 'dialer'],
  'POST /v1/scrub': ['admin', 'compliance', 'dialer'],
  'GET /v1/campaigns': ALL,
  'POST /v1/campaigns': WRITE_FACTS,
  'POST /v1/consents': WRITE_FACTS,
  'POST /v1/consents/revocations': ['admin', 'compliance', 'dialer'],
  'POST /v1/consents/import': WRITE_FACTS,
  'POST /v1/dnc': ['admin', 'compliance', 'dialer'],
  'POST /v1/dnc/import': WRITE_FACTS,
  'POST /v1/registries/import': WRITE_FACTS,
  'POST /v1/webhooks/sms': { signed: ['admin', 'compliance', 'dialer'] },
  'POST /v1/reassigned': WRITE_FACTS,
  'POST /v1/calls': ['admin', 'compliance', 'dialer'],
  'GET /v1/reports/abandonment': READ,
  'GET /v1/emergencies': ALL,
  'POST /v1/emergencies': WRITE_FACTS,
  'POST /v1/emergencies/end': WRITE_FACTS,
  'GET /v1/contacts/stale': WRITE_FACTS,
  'GET /v1/contacts/quarantine': WRITE_FACTS,
  'GET /v1/reassigned/due': WRITE_FACTS,
  'GET /v1/inventory': READ,
  'POST /v1/contacts/import': WRITE_FACTS,
  'POST /v1/contacts/corrections': WRITE_FACTS,
  'GET /v1/export-list': ['admin', 'compliance', 'dialer'],
  'GET /v1/dnc/export': ['admin', 'compliance', 'dialer'],
  'GET /v1/audit/verify': READ,
  'GET /v1/audit/proof': READ,
  'POST /v1/evidence': READ,
  'POST /v1/evidence/package': READ,
  'GET /v1/retention/policy': READ,
  'GET /v1/retention/forecast': READ,
  'POST /v1/retention/run': WRITE_FACTS,
  'POST /v1/erasures': WRITE_FACTS,
  'POST /v1/exports': WRITE_FACTS,
  'GET /v1/holds': READ,
  'POST /v1/holds': WRITE_FACTS,
  'POST /v1/holds/release': WRITE_FACTS,
  'GET /v1/keys': ['admin', 'auditor'],
  'POST /v1/keys/rotate': ['admin'],
  'GET /v1/apikeys': ['admin'],
  'POST /v1/apikeys': ['admin'],
  'POST /v1/apikeys/revoke': ['admin'],
}

/** The table key of a route. */
export function accessKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`
}
