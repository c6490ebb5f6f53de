import { applyEvent, DEFAULT_REPUTATION_PARAMETERS, initialReputationState, opinionAt, opinionToNumbers, type ReputationState } from '@fedchain/reputation'
import type { ClientUpdate } from '../aggregation/types.js'
import { establishedIds, MIN_REPUTATION } from '../aggregation/reputation-gate.js'
import { verifyUpdates, type VerificationPolicy } from '../aggregation/verification.js'
import type { Dataset } from '../learning/data/dataset.js'
import { updateLoss } from '../learning/train/evaluate.js'
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

export interface RoundDeciderInit {
  /**
   * Verification thresholds; `validation` is filled in with the holdout.
   * @default Multi-Krum off, norm ratio 3, cosine 0, marginal loss increase 0.01
   */
  readonly policy?: Omit<VerificationPolicy, 'validation'> & { readonly maxLossIncrease?: number }
  /**
   * Hospitals whose subjective-logic reputation (Kang et al. 2019, @fedchain/reputation defaults)
   * is below this are rejected without verification ('low-reputation') until decay forgives them;
   * 0 disables it. Reputation gains evidence from every verdict.
   * @default 0.3
   */
  readonly minReputation?: number
}

/**
 * A verifier with memory: it keeps the reputation evidence of its own past verdicts, which gates
 * who is verified at all. Both coordinators decide through it, so the full protocol computes the
 * very same model as the memory coordinator.
 */
export interface RoundDecider {
  /** Reputation score in [0, 1] of `id` at `round`. */
  reputationOf(id: string, round: number): number
  /**
   * Verifies `updates` against `holdout` (when the context asks for verification) and aggregates the
   * accepted ones with the context's strategy. Deterministic: identical inputs give a bit-identical
   * aggregate, which is what lets committee members agree on its hash.
   * @param record false to decide again without adding reputation evidence a second time
   */
  decide(context: RoundContext, updates: readonly ClientUpdate[], holdout: Dataset, record?: boolean): RoundVerdict
}

export function createRoundDecider(init: RoundDeciderInit = {}): RoundDecider {
  const reputation = new Map<string, ReputationState>()
  const acceptedNorms = new Map<string, number>()
  const minReputation = init.minReputation ?? MIN_REPUTATION
  const params = DEFAULT_REPUTATION_PARAMETERS
  const reputationOf = (id: string, round: number) =>
    opinionToNumbers(opinionAt(reputation.get(id) ?? initialReputationState(0n), BigInt(round), params)).score
  const recordEvidence = (id: string, round: number, event: 'accepted' | 'rejected') =>
    reputation.set(id, applyEvent(reputation.get(id) ?? initialReputationState(0n), event, BigInt(round), params))

  return {
    reputationOf,
    decide(context, incoming, holdout, record = true) {
      const { network, global, strategy } = context
      const updates = incoming.map((u) => ({ ...u, reputation: reputationOf(u.id, context.round) }))
      let accepted: readonly ClientUpdate[] = updates
      const rejected: { id: string; reason: string }[] = []
      const scores: Record<string, number> = Object.fromEntries(updates.map((u) => [u.id, 1]))
      let verifyMs = 0
      if (context.verify) {
        const started = performance.now()
        // A hospital with low reputation is rejected outright; no evidence is recorded for it,
        // so decay lets it back in after a few rounds.
        const trusted = updates.filter((u) => u.reputation >= minReputation)
        for (const u of updates) {
          if (u.reputation < minReputation) {
            rejected.push({ id: u.id, reason: 'low-reputation' })
            scores[u.id] = 0
          }
        }
        const { maxLossIncrease, byzantine, ...rest } = init.policy ?? {}
        // Hospitals already shut out by reputation use up part of the assumed Byzantine budget;
        // otherwise Multi-Krum keeps rejecting f honest updates once the attackers are gone.
        const remainingByzantine = byzantine === undefined ? undefined : Math.max(0, byzantine - (updates.length - trusted.length))
        // The reference (median norm and direction) is built from hospitals at least as trusted
        // as a newcomer, so attackers that lost reputation cannot pull it towards their updates.
        const referenceIds = establishedIds(trusted)
        const verdicts = verifyUpdates({
          updates: trusted,
          policy: {
            ...rest,
            ...(remainingByzantine === undefined ? {} : { byzantine: remainingByzantine }),
            ...(referenceIds === undefined ? {} : { referenceIds }),
            acceptedNorms,
            validation: {
              lossOf: updateLoss(network, global, holdout),
              ...(maxLossIncrease === undefined ? {} : { maxLossIncrease }),
            },
          },
        })
        const ok = new Set(verdicts.filter((v) => v.accepted).map((v) => v.id))
        for (const v of verdicts) {
          scores[v.id] = v.score
          if (!v.accepted) rejected.push({ id: v.id, reason: v.reason })
          if (!record) continue
          recordEvidence(v.id, context.round, v.accepted ? 'accepted' : 'rejected')
          if (v.accepted) acceptedNorms.set(v.id, v.metrics.norm)
        }
        accepted = trusted.filter((u) => ok.has(u.id))
        verifyMs = performance.now() - started
      }
      const started = performance.now()
      const result = accepted.length === 0 ? { global: Float32Array.from(global), selected: [] } : strategy.aggregate({ round: context.round, global, updates: accepted })
      const aggregateMs = performance.now() - started
      const selected = new Set(result.selected)
      for (const u of accepted) if (!selected.has(u.id)) rejected.push({ id: u.id, reason: `not selected by ${strategy.name}` })
      rejected.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return { global: result.global, accepted: [...result.selected], rejected, scores, verifyMs, aggregateMs }
    },
  }
}
