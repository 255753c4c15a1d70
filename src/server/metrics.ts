import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** The server's Prometheus metrics (`GET /metrics`). Labels never carry numbers or people. */
export class ServerMetrics {
  readonly registry = new Registry()
  readonly decisions = new Counter({ name: 'dialward_decisions_total', help: 'Gate decisions by verdict', labelNames: ['verdict'] as const, registers: [this.registry] })
  readonly reasons = new Counter({ name: 'dialward_decision_reasons_total', help: 'Blocking reasons given by the gate', labelNames: ['code'] as const, registers: [this.registry] })
  readonly latency = new Histogram({
    name: 'dialward_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  })
  readonly groupCommit = new Histogram({ name: 'dialward_decision_log_batch_size', help: 'Decisions per group commit', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000], registers: [this.registry] })
  readonly registryAge = new Gauge({ name: 'dialward_registry_age_days', help: 'Age in days of the newest version of each registry', labelNames: ['registry'] as const, registers: [this.registry] })
  readonly purged = new Counter({ name: 'dialward_purged_records_total', help: 'Records deleted by retention purges', labelNames: ['class'] as const, registers: [this.registry] })
  readonly refusedAuth = new Counter({ name: 'dialward_auth_failures_total', help: 'Refused authentications', labelNames: ['status'] as const, registers: [this.registry] })
}
