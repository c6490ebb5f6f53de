import type { AuditReport } from './audit-task.js'

const short = (hash: string | null) => (hash === null ? '—' : `${hash.slice(0, 10)}…`)

/** The human audit report: one line per round, then every mismatch, then the verdict. */
export function formatAuditReport(report: AuditReport): string {
  const lines = [`audit of task ${report.taskId} on chain ${report.chainId} (aggregator ${report.aggregator})`, `source ${report.source}; strategy ${report.strategy}`, '']
  lines.push('round  status     committed  shared  opened  accepted  model         recomputed')
  for (const r of report.rounds) {
    const recomputed = r.recomputedSha256 === null ? '—' : r.recomputedSha256.toLowerCase() === r.modelSha256?.toLowerCase() ? '✓ same' : `✗ ${short(r.recomputedSha256)}`
    lines.push(
      `${String(r.round).padEnd(6)} ${r.status.padEnd(10)} ${String(r.committed).padEnd(10)} ${String(r.shared).padEnd(7)} ${String(r.opened).padEnd(7)} ${String(r.accepted.length).padEnd(9)} ${short(r.modelSha256).padEnd(13)} ${recomputed}`,
    )
  }
  const c = report.checked
  lines.push('', `checked ${c.commitments} commitments, ${c.updates} updates, ${c.aggregates} aggregates, ${c.models} model blobs, ${c.quorums} quorums`)
  if (report.ok) {
    lines.push(`no mismatch: every finalized model is the ${report.strategy} aggregate of its accepted updates and matches its on-chain hash`)
  } else {
    lines.push(`${report.mismatches.length} mismatch${report.mismatches.length === 1 ? '' : 'es'}:`)
    for (const m of report.mismatches) {
      lines.push(`✗ ${m.round === null ? 'task' : `round ${m.round}`} · ${m.check} · ${m.party}: ${m.message}`, `    expected ${m.expected}`, `    found    ${m.found}`)
    }
  }
  return lines.join('\n')
}
