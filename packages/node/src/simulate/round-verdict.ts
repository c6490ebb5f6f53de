import type { ClientUpdate } from '../aggregation/types.js'
import { verifyUpdates, type VerificationPolicy } from '../aggregation/verification.js'
import type { Dataset } from '../learning/data/dataset.js'
import { evaluateModel } from '../learning/train/evaluate.js'
import type { RoundContext } from './coordinator.js'

/** What a verifier decided about one round's updates and the aggregate it computed. */
export interface RoundVerdict {
  readonly global: Float32Array
  /** Ids whose updates entered the aggregate, sorted. */
  readonly accepted: readonly string[]
  /** Rejected ids with the reason, sorted by id. */
  readonly rejected: readonly { readonly id: string; readonly reason: string }[]
  /** Quality score in [−1, 1] per verified id (cosine to the median update); 1 without verification. */
  readonly scores: Readonly<Record<string, number>>
  readonly verifyMs: number
  readonly aggregateMs: number
}

/** Verification thresholds shared by the coordinators; `validation` is filled in from the holdout. */
export type VerdictPolicy = Omit<VerificationPolicy, 'validation'> & { readonly maxLossIncrease?: number }

/**
 * Verifies `updates` against `holdout` (when the context asks for verification) and aggregates the
 * accepted ones with the context's strategy. Deterministic: identical inputs give a bit-identical
 * aggregate, which is what lets committee members agree on its hash.
 */
export function decideRound(context: RoundContext, updates: readonly ClientUpdate[], holdout: Dataset, policy: VerdictPolicy = {}): RoundVerdict {
  const { network, global, strategy } = context
  let accepted: readonly ClientUpdate[] = updates
  const rejected: { id: string; reason: string }[] = []
  const scores: Record<string, number> = Object.fromEntries(updates.map((u) => [u.id, 1]))
  let verifyMs = 0
  if (context.verify) {
    const started = performance.now()
    const { maxLossIncrease, ...checks } = policy
    const verdicts = verifyUpdates({
      updates,
      policy: {
        ...checks,
        validation: {
          lossOf: (delta) => evaluateModel(network, addDelta(global, delta), holdout).loss,
          ...(maxLossIncrease === undefined ? {} : { maxLossIncrease }),
        },
      },
    })
    const ok = new Set(verdicts.filter((v) => v.accepted).map((v) => v.id))
    for (const v of verdicts) {
      scores[v.id] = v.score
      if (!v.accepted) rejected.push({ id: v.id, reason: v.reason })
    }
    accepted = updates.filter((u) => ok.has(u.id))
    verifyMs = performance.now() - started
  }
  const started = performance.now()
  const result = accepted.length === 0 ? { global: Float32Array.from(global), selected: [] } : strategy.aggregate({ round: context.round, global, updates: accepted })
  const aggregateMs = performance.now() - started
  const selected = new Set(result.selected)
  for (const u of accepted) if (!selected.has(u.id)) rejected.push({ id: u.id, reason: `not selected by ${strategy.name}` })
  rejected.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { global: result.global, accepted: [...result.selected], rejected, scores, verifyMs, aggregateMs }
}

function addDelta(global: Float32Array, delta: Float32Array): Float32Array {
  const out = new Float32Array(global.length)
  for (let i = 0; i < out.length; i++) out[i] = (global[i] as number) + (delta[i] as number)
  return out
}
