import { applyEvent, DEFAULT_REPUTATION_PARAMETERS, initialReputationState, opinionAt, opinionToNumbers, type ReputationState } from '@fedchain/reputation'
import { applyStep, sortedUpdates, weightedMean } from '../aggregation/math.js'
import type { AggregateResult, AggregationStrategy, ClientUpdate } from '../aggregation/types.js'

/** Strategies whose result is the example-weighted mean of the updates they select (Krum family). */
const SELECTING_STRATEGIES = new Set(['krum', 'multi-krum'])

/** Options of {@link createAggregateReplayer}. */
export interface AggregateReplayerInit {
  /** A fresh instance of the run's strategy (its server state is replayed from the first round). */
  readonly strategy: AggregationStrategy
  /** The task's initial model. */
  readonly initial: Float32Array
  /** Whether the run verified updates (the verifier's reputation then weights `reputation`). */
  readonly verify: boolean
  /** The verifier's reputation gate. @default 0.3 */
  readonly minReputation?: number
}

/** One round to replay. */
export interface ReplayRoundParameters {
  /** The round number the run gave its strategy (1-based count of opened rounds). */
  readonly attempt: number
  /** The model the round opened from. */
  readonly global: Float32Array
  /** Every update the verifiers could open, with participant ids. */
  readonly opened: readonly ClientUpdate[]
  /** Ids of the updates the quorum accepted. */
  readonly accepted: ReadonlySet<string>
}

/** Replays a run's aggregation, round after round, as its committee computed it. */
export interface AggregateReplayer {
  aggregate(parameters: ReplayRoundParameters): AggregateResult
}

/**
 * Recomputes aggregates of exactly the accepted set, keeping the strategy's server state (FedAvgM
 * momentum, FedAdam moments) and the verifier's reputation in step with the run, so every round is
 * recomputed as the committee computed it (simulate/round-verdict.ts):
 * - updates are weighted by examples (× the verifier's reputation for `reputation`); the strategy
 *   orders them by participant id itself;
 * - Krum and Multi-Krum select by comparing with the updates they leave out, which an auditor of
 *   the accepted set cannot repeat; their aggregate is the weighted mean of what they selected, and
 *   that is what is recomputed;
 * - the verifier's reputation gains evidence per opened update (accepted or rejected), except for
 *   updates below its gate, as the verifier does.
 */
export function createAggregateReplayer(init: AggregateReplayerInit): AggregateReplayer {
  const { strategy } = init
  const minReputation = init.minReputation ?? 0.3
  const params = DEFAULT_REPUTATION_PARAMETERS
  const reputation = new Map<string, ReputationState>()
  const reputationOf = (id: string, round: number) => opinionToNumbers(opinionAt(reputation.get(id) ?? initialReputationState(0n), BigInt(round), params)).score
  strategy.initialize?.(init.initial)

  return {
    aggregate({ attempt, global, opened, accepted }) {
      const weighted = opened.map((u) => ({ ...u, reputation: reputationOf(u.id, attempt) }))
      if (init.verify) {
        for (const u of weighted) {
          if (u.reputation < minReputation) continue
          reputation.set(u.id, applyEvent(reputation.get(u.id) ?? initialReputationState(0n), accepted.has(u.id) ? 'accepted' : 'rejected', BigInt(attempt), params))
        }
      }
      const updates = weighted.filter((u) => accepted.has(u.id))
      if (updates.length === 0) return { global: Float32Array.from(global), selected: [] }
      if (SELECTING_STRATEGIES.has(strategy.name)) {
        const sorted = sortedUpdates(updates, global.length)
        const mean = weightedMean(sorted.map((u) => u.delta), sorted.map((u) => u.examples), global.length)
        return { global: applyStep(global, mean), selected: sorted.map((u) => u.id) }
      }
      return strategy.aggregate({ round: attempt, global, updates })
    },
  }
}
