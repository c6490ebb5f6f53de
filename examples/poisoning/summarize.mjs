// Prints one line per run directory: accuracy, rejection rates, when each attacker's on-chain
// reputation first fell below the acceptance threshold, and the rewards attackers received.
// Usage: node examples/poisoning/summarize.mjs <threshold> <run dir>…
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const [threshold, ...dirs] = process.argv.slice(2)
const fed = (wei) => (Number(wei / 10n ** 15n) / 1000).toString()
const rows = []
for (const dir of dirs) {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
  const attackers = new Set(s.attack.maliciousNodes)
  const below = [...attackers].map((id) => s.rounds.find((r) => (r.reputation?.[id] ?? 1) < Number(threshold))?.round ?? null)
  const attackerRewards = s.rounds.reduce((sum, r) => sum + [...attackers].reduce((a, id) => a + BigInt(r.rewards?.[id] ?? '0'), 0n), 0n)
  // A hospital whose update was rejected may still earn the committee fee for verifying honestly;
  // anything beyond that fee would be a reward for a rejected update.
  const feeOnly = (r, id) => (r.committee ?? []).includes(id)
  const rejectedRewards = s.rounds.reduce((sum, r) => sum + r.rejected.filter((id) => !feeOnly(r, id)).reduce((a, id) => a + BigInt(r.rewards?.[id] ?? '0'), 0n), 0n)
  const attackerFees = s.rounds.reduce((sum, r) => sum + [...attackers].filter((id) => feeOnly(r, id)).reduce((a, id) => a + BigInt(r.rewards?.[id] ?? '0'), 0n), 0n)
  rows.push({
    run: dir.split('/').at(-1),
    accuracy: (100 * s.final.accuracy).toFixed(1) + '%',
    maliciousRejected: s.attack.submittedMalicious === 0 ? '—' : `${s.attack.rejectedMalicious}/${s.attack.submittedMalicious}`,
    honestRejected: `${s.attack.rejectedHonest}/${s.attack.submittedHonest}`,
    reputationBelowThresholdInRound: below.length === 0 ? '—' : below.join(','),
    attackerRewardsFED: fed(attackerRewards),
    ofWhichCommitteeFeesFED: fed(attackerFees),
    rewardsForRejectedUpdatesFED: fed(rejectedRewards),
  })
}
console.table(rows)
