/**
 * The example of README.md, runnable: `pnpm -s build && node scripts/readme-example.ts`
 * (in packages/reputation). Prints a reputation trajectory, a reward split and the contribution
 * scores of a synthetic round.
 */
import {
  DEFAULT_REPUTATION_PARAMETERS as params,
  applyEvent,
  cosineToAggregate,
  createSeededRandom,
  exactShapley,
  gtgShapley,
  initialReputationState,
  leaveOneOut,
  lossUtility,
  opinion,
  opinionToNumbers,
  qualityBpsFromScores,
  splitReward,
} from '../dist/index.js'
import type { ReputationEvent, ReputationState } from '../dist/index.js'

const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

// 1. Reputation of one hospital over seven rounds.
let state: ReputationState = initialReputationState()
const events: ReputationEvent[] = ['accepted', 'accepted', 'accepted', 'rejected', 'absent', 'accepted', 'accepted']
out('round | event    | belief | disbelief | uncertainty | score')
events.forEach((event, i) => {
  state = applyEvent(state, event, BigInt(i + 1), params)
  const o = opinionToNumbers(opinion(state, params))
  out(`${String(i + 1).padStart(5)} | ${event.padEnd(8)} | ${o.belief.toFixed(4)} | ${o.disbelief.toFixed(4).padStart(9)} | ${o.uncertainty.toFixed(4).padStart(11)} | ${o.score.toFixed(4)}`)
})

// 2. A synthetic round: 6 hospitals pull the model toward the optimum, hospital 1 duplicates
//    hospital 0, hospital 5 sends noise. The validation loss is the squared distance to the optimum.
const dim = 1000
const rng = createSeededRandom(7)
const optimum = Float32Array.from({ length: dim }, () => rng.next() - 0.5)
const noisy = (scale: number, noise: number): Float32Array =>
  Float32Array.from(optimum, (x) => x * scale + (rng.next() - 0.5) * noise)
const updates = [noisy(1, 0.2), new Float32Array(0), noisy(0.8, 0.4), noisy(0.6, 0.6), noisy(0.3, 0.2), noisy(0, 2)]
updates[1] = Float32Array.from(updates[0] ?? [])
const loss = (delta: Float32Array): number => {
  let s = 0
  for (let i = 0; i < dim; i++) s += ((delta[i] ?? 0) - (optimum[i] ?? 0)) ** 2
  return s / dim
}
const utility = lossUtility({ updates, loss })
const players = updates.length
const cosine = cosineToAggregate({ updates })
const loo = await leaveOneOut({ players, utility })
const exact = await exactShapley({ players, utility })
const gtg = await gtgShapley({ players, utility, seed: 1 })
out('')
out('hospital | cosine | leave-one-out | exact Shapley | GTG-Shapley | quality bps (GTG)')
const quality = qualityBpsFromScores(gtg.values)
for (let i = 0; i < players; i++) {
  out(`${String(i).padStart(8)} | ${(cosine[i] ?? 0).toFixed(3).padStart(6)} | ${(loo.values[i] ?? 0).toFixed(4).padStart(13)} | ${(exact.values[i] ?? 0).toFixed(4).padStart(13)} | ${(gtg.values[i] ?? 0).toFixed(4).padStart(11)} | ${quality[i]}`)
}
out(`evaluations: leave-one-out ${loo.evaluations}, exact ${exact.evaluations}, GTG ${gtg.evaluations} (${gtg.permutations} permutations, converged ${gtg.converged})`)

// 3. Reward split of a 1000-token pool (18 decimals), 5 % committee fee, 3 agreeing members;
//    hospital 5 was rejected by the committee, so only 0–4 are paid.
const score = opinion(state, params).score
const split = splitReward({
  pool: 1000n * 10n ** 18n,
  committeeFeeBps: 500,
  committeeMembers: 3,
  participants: [0, 1, 2, 3, 4].map((i) => ({ id: String(i), score, qualityBps: quality[i] ?? 0 })),
})
out('')
out(`feePerMember ${split.feePerMember}, committeePaid ${split.committeePaid}, dust ${split.dust}`)
for (const s of split.shares) out(`hospital ${s.id}: ${s.share}`)

// 4. Accuracy against cost with 12 hospitals: exact Shapley needs all 4096 coalitions.
const many = Array.from({ length: 12 }, (_, i) => noisy(1 - i / 12, 0.3 + i / 6))
const manyUtility = lossUtility({ updates: many, loss })
const reference = await exactShapley({ players: many.length, utility: manyUtility })
const scale = Math.max(...reference.values.map(Math.abs))
out('')
out('12 hospitals | evaluations | permutations | max |error| / max |φ|')
out(`exact        | ${String(reference.evaluations).padStart(11)} |            - | 0`)
for (const maxEvaluations of [200, 600, 2000]) {
  const est = await gtgShapley({ players: many.length, utility: manyUtility, maxEvaluations, seed: 1 })
  const err = Math.max(...est.values.map((v, i) => Math.abs(v - (reference.values[i] ?? 0)))) / scale
  out(`GTG ≤ ${String(maxEvaluations).padEnd(6)} | ${String(est.evaluations).padStart(11)} | ${String(est.permutations).padStart(12)} | ${err.toFixed(3)}`)
}
