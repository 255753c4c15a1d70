import { useState, type ReactNode } from 'react'
import type { AuditVerifyReport, LatestCheckpoint } from '../api/types.js'
import { Badge, Card, ErrorNotice, Skeleton } from '../components/status.js'
import { useLoad } from '../components/use-load.js'
import { count, instant } from '../format.js'
import { useSession } from '../session.js'

/** `audit verify` on demand, and the latest signed checkpoint with the fingerprint of its key. */
export function Audit(): ReactNode {
  return (
    <div className="stack">
      <Verify />
      <Checkpoint />
    </div>
  )
}

function Verify(): ReactNode {
  const { api } = useSession()
  const [state, setState] = useState<{ busy: boolean; report: AuditVerifyReport | null; error: unknown; at: string | null }>({ busy: false, report: null, error: null, at: null })
  const run = async (): Promise<void> => {
    setState((s) => ({ ...s, busy: true, error: null }))
    try {
      const report = await api.get<AuditVerifyReport>('/v1/audit/verify')
      setState({ busy: false, report, error: null, at: new Date().toISOString() })
    } catch (error) {
      setState({ busy: false, report: null, error, at: null })
    }
  }
  const r = state.report
  return (
    <Card
      title="Verify the audit log"
      id="verify"
      busy={state.busy}
      wide
      actions={
        <button type="button" onClick={() => void run()} disabled={state.busy}>
          {state.busy ? 'Verifying…' : 'Run audit verify'}
        </button>
      }
    >
      <p className="card-sub">
        Recomputes every entry&apos;s hash and the Merkle tree, and checks each signed checkpoint&apos;s signature and its consistency with the next — the same check as <code>dialward audit verify</code>.
      </p>
      <div className="verify-result" aria-live="polite">
        {state.error ? <ErrorNotice error={state.error} /> : null}
        {state.busy && !r ? <Skeleton rows={3} label="Verifying the audit log…" /> : null}
        {r ? (
          r.ok ? (
            <div data-testid="verify-result">
              <p>
                <Badge tone="good">Verified</Badge> The log is intact: {count(r.entries)} entries, {count(r.checkpoints)} signed checkpoints, {count(r.consistencyProofsChecked)} consistency proofs checked.
              </p>
              <dl className="fields">
                <dt>Root</dt>
                <dd>
                  <code>{r.root}</code>
                </dd>
                <dt>Latest checkpoint</dt>
                <dd>{r.latestCheckpoint ? `size ${count(r.latestCheckpoint.size)}, signed ${instant(r.latestCheckpoint.time)}` : 'none yet'}</dd>
                <dt>Not yet under a checkpoint</dt>
                <dd>{r.uncovered === 0 ? 'none' : `${count(r.uncovered)} newer entries (covered by the next checkpoint)`}</dd>
              </dl>
            </div>
          ) : (
            <div data-testid="verify-result" className="notice notice-error" role="alert">
              <p className="notice-title">
                <Badge tone="bad">Tampering found</Badge> {r.code}
              </p>
              <p>
                {r.problem} {r.firstBadSeq !== null && r.firstBadSeq !== undefined ? `First entry that cannot be trusted: #${r.firstBadSeq}.` : ''}
              </p>
            </div>
          )
        ) : !state.busy && !state.error ? (
          <p className="muted">Not run yet in this session.</p>
        ) : null}
      </div>
    </Card>
  )
}

function Checkpoint(): ReactNode {
  const { api } = useSession()
  const load = useLoad(() => api.get<LatestCheckpoint>('/v1/audit/checkpoint'), [api])
  const c = load.data
  return (
    <Card title="Latest signed checkpoint" id="checkpoint" busy={load.status === 'loading'} wide>
      {load.status === 'error' ? <ErrorNotice error={load.error} /> : null}
      {c === null ? (
        load.status === 'loading' ? <Skeleton rows={4} /> : null
      ) : (
        <>
          <dl className="fields">
            <dt>Signing key fingerprint</dt>
            <dd>
              <code className="fingerprint" data-testid="fingerprint">
                {c.publicKeySha256}
              </code>
              <span className="sub">SHA-256 of the Ed25519 public key: compare it with the one you published or shipped off this machine.</span>
            </dd>
            <dt>Public key</dt>
            <dd>
              <code>{c.publicKey}</code>
            </dd>
            <dt>Log origin</dt>
            <dd>{c.origin ?? '—'}</dd>
            {c.checkpoint ? (
              <>
                <dt>Tree size</dt>
                <dd>{count(c.checkpoint.size)} entries</dd>
                <dt>Root hash</dt>
                <dd>
                  <code>{c.checkpoint.root}</code>
                </dd>
                <dt>Signed</dt>
                <dd>{instant(c.checkpoint.time)}</dd>
              </>
            ) : (
              <>
                <dt>Checkpoint</dt>
                <dd>none signed yet</dd>
              </>
            )}
          </dl>
          {c.checkpoint ? (
            <details>
              <summary>The signed note (C2SP signed-note format)</summary>
              <pre className="note">{c.checkpoint.note}</pre>
            </details>
          ) : null}
        </>
      )}
    </Card>
  )
}
