import { formatUnits } from 'ethers'
import type { TaskStatus } from './task-status.js'

const short = (hex: string | null) => (hex === null ? '—' : `${hex.slice(0, 10)}…`)
const tokens = (units: string) => Number(formatUnits(BigInt(units), 18)).toFixed(2)
const table = (rows: readonly (readonly string[])[]) => {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd())
}

/** The human `fedchain status` view: the task line, a round table and a hospital table. */
export function formatTaskStatus(status: TaskStatus): string {
  const lines = [
    `task ${status.taskId} on chain ${status.chainId} (aggregator ${status.aggregator})${status.tasks.length > 1 ? `; tasks on chain: ${status.tasks.join(', ')}` : ''}`,
    `${status.completed ? 'completed' : 'in progress'}: ${status.finalizedRounds} round${status.finalizedRounds === 1 ? '' : 's'} finalized; current model ${short(status.modelSha256 ?? status.modelSpecSha256)}`,
    '',
  ]
  const rounds: string[][] = [['round', 'status', 'accepted', 'rejected', 'absent', 'accuracy', 'model', 'finalize tx']]
  for (const r of status.rounds) {
    rounds.push([
      String(r.round),
      r.status,
      String(r.accepted.length),
      r.rejected.length === 0 ? '0' : `${r.rejected.length} (${r.rejected.map((a) => a.slice(0, 8)).join(', ')})`,
      String(r.absent.length),
      r.accuracy === null ? '—' : `${(100 * r.accuracy).toFixed(1)}%`,
      short(r.modelSha256),
      short(r.finalizeTx),
    ])
  }
  lines.push(...table(rounds), '')
  const live = status.hospitals.some((h) => h.live !== undefined)
  const hospitals: string[][] = [['hospital', 'index', 'accepted', 'rejected', 'absent', 'reputation', 'rewards (FED)', 'claimable (FED)', 'ε spent', ...(live ? ['live reputation', 'live claimable'] : [])]]
  for (const h of status.hospitals) {
    hospitals.push([
      h.id === null ? h.address : `${h.address} (${h.id.slice(0, 10)})`,
      String(h.index),
      String(h.accepted),
      String(h.rejected),
      String(h.absent),
      h.reputation.toFixed(3),
      tokens(h.rewardsTask),
      tokens(h.claimable),
      h.epsilon === null ? '—' : h.epsilon.toFixed(3),
      ...(h.live === undefined ? [] : [`${(Number(h.live.reputationScoreWad) / 1e18).toFixed(3)}${h.live.reputationScoreWad === h.reputationWad ? '' : ' ≠'}`, `${tokens(h.live.claimable)}${h.live.claimable === h.claimable ? '' : ' ≠'}`]),
    ])
  }
  lines.push(...table(hospitals))
  return lines.join('\n')
}
