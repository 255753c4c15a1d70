/**
 * The human-readable page of an evidence package (`evidence.html`): one self-contained HTML
 * document (no scripts, no external resources) rendered from the evidence document. It is a view;
 * `evidence.json` is the record. The page is listed in the signed manifest like every file.
 */
import type { EvidenceAuditEntry, EvidenceDocument } from './evidence-document.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const v = (x: unknown): string => (x === null || x === undefined || x === '' ? '<span class="none">—</span>' : escapeHtml(String(x)))

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '<p class="none">None recorded.</p>'
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

const seq = (n: number | null): string => (n === null ? '<span class="bad">none</span>' : `<a href="#e${n}">#${n}</a>`)

function auditRow(e: EvidenceAuditEntry): string[] {
  return [
    `<span id="e${e.seq}">${e.seq}</span>`,
    v(new Date(e.at).toISOString()),
    v(e.actor),
    v(e.action),
    `<code>${escapeHtml(JSON.stringify(e.data))}</code>`,
    `<code>${escapeHtml(e.leafHash)}</code>`,
    String(e.inclusionProof.length),
  ]
}

/** Renders the evidence page. */
export function renderEvidenceHtml(doc: EvidenceDocument): string {
  const q = doc.query
  const sections = [
    `<h1>Call-compliance evidence for ${escapeHtml(q.phone)}</h1>`,
    `<p>Seller: ${v(q.seller ?? 'every seller')} · as of: ${v(q.at ?? 'all time')} · generated ${v(doc.generatedAt)} by ${v(doc.generatedBy)}.</p>`,
    `<p>Pseudonym of this number in the audit log: <code>${escapeHtml(doc.subject)}</code>. Each fact below names its audit-log entry; every entry has an inclusion proof
     against the signed checkpoint at the end of this page. Check the package with <code>dialward evidence verify FILE.zip</code> or by hand
     (see <code>VERIFY.txt</code>); the manifest signs this page too, so any edit to it fails verification.</p>`,
    '<h2>Consent grants and revocations</h2>',
    table(
      ['Type', 'Seller', 'Kind / via', 'Channel', 'At', 'Source', 'IP', 'User agent', 'TrustedForm / LeadiD', "Consumer's words", 'Disclosure SHA-256', 'Audit'],
      doc.consentEvents.map((c) => [
        v(c.type),
        v(c.seller ?? (c.type === 'revoke' ? 'every seller' : null)),
        v(c.kind ?? c.via),
        v(c.channel),
        v(c.at),
        v(c.source),
        v(c.ip),
        v(c.userAgent),
        [c.trustedFormCertUrl, c.leadIdToken].some((x) => x) ? [c.trustedFormCertUrl, c.leadIdToken].filter((x) => x).map((x) => v(x)).join('<br>') : v(null),
        v(c.words),
        c.disclosure ? `<code>${escapeHtml(c.disclosure.sha256)}</code>` : v(null),
        seq(c.auditSeq),
      ]),
    ),
    '<h2>Disclosure texts shown</h2>',
    doc.consentEvents.filter((c) => c.disclosure).length === 0
      ? '<p class="none">None recorded.</p>'
      : doc.consentEvents
          .filter((c) => c.disclosure)
          .map((c) => `<figure><figcaption>SHA-256 <code>${escapeHtml(c.disclosure!.sha256)}</code> (grant ${escapeHtml(c.id)})</figcaption><blockquote>${v(c.disclosure!.text)}</blockquote></figure>`)
          .join('\n'),
    '<h2>Do-not-call requests</h2>',
    table(['Seller', 'At', 'Source', 'Audit'], doc.dncEntries.map((d) => [v(d.seller ?? 'every seller'), v(d.at), v(d.source), seq(d.auditSeq)])),
    '<h2>Reassigned-number checks</h2>',
    table(['Date', 'Result', 'Queried at', 'Audit'], doc.reassignedChecks.map((r) => [v(r.date), v(r.result), v(r.queriedAt), seq(r.auditSeq)])),
    '<h2>Gate decisions</h2>',
    table(
      ['At', 'Campaign', 'Verdict', 'Reasons', 'Data versions', 'Source', 'Audit'],
      doc.decisions.map((d) => [
        v(d.at),
        v(d.campaign),
        v(d.verdict),
        d.reasons.length === 0 ? v(null) : d.reasons.map((r) => `${escapeHtml(r.code)}: ${escapeHtml(r.message)} [${escapeHtml(r.rule)}]`).join('<br>'),
        `<code>${escapeHtml(JSON.stringify(d.versions))}</code>`,
        v(d.source),
        seq(d.auditSeq),
      ]),
    ),
    '<h2>Calls</h2>',
    table(['At', 'Campaign', 'Outcome', 'Duration (s)', 'Audit'], doc.calls.map((c) => [v(c.at), v(c.campaign), v(c.outcome), v(c.durationSeconds), seq(c.auditSeq)])),
    '<h2>Audit-log entries</h2>',
    `<p>This read of decrypted data is entry ${seq(doc.readEntrySeq)}.</p>`,
    table(['Seq', 'At', 'Actor', 'Action', 'Data', 'Leaf hash', 'Proof length'], doc.audit.map(auditRow)),
    '<h2>Signed checkpoint</h2>',
    `<p>Log <code>${escapeHtml(doc.log.origin)}</code>, ${doc.log.checkpoint.size} entries, root <code>${escapeHtml(doc.log.checkpoint.root)}</code>, signed ${v(doc.log.checkpoint.time)}.
     Ed25519 public key SHA-256 fingerprint: <code>${escapeHtml(doc.log.publicKeySha256)}</code> — compare it with the fingerprint the operator published.</p>`,
    `<pre>${escapeHtml(doc.log.checkpoint.note)}</pre>`,
  ]
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Evidence for ${escapeHtml(q.phone)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top;text-align:left}th{background:#eee}
code,pre{font:12px ui-monospace,monospace;word-break:break-all}.none{color:#888}.bad{color:#b00}
blockquote{border-left:3px solid #888;margin:.5em 0;padding:.25em 1em;white-space:pre-wrap}
</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`
}
