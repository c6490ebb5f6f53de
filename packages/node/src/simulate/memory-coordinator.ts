import { applyEvent, DEFAULT_REPUTATION_PARAMETERS, initialReputationState, opinionAt, opinionToNumbers, type ReputationState } from '@fedchain/reputation'
import { verifyUpdates, type VerificationPolicy } from '../aggregation/verification.js'
import type { ClientUpdate } from '../aggregation/types.js'
import { concatDatasets, type Dataset } from '../learning/data/dataset.js'
import { evaluateModel } from '../learning/train/evaluate.js'
import type { RoundContext, RoundOutcome, SimulationCoordinator } from './coordinator.js'

export interface MemoryCoordinatorInit {
  /**
   * Verification thresholds; `validation` is filled in with the pooled validation splits.
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
 * The baseline coordinator: every hospital trains in this process, updates go straight to the
 * strategy (after verification when enabled). No chain, no network, no blob store.
 */
export function memoryCoordinator(init: MemoryCoordinatorInit = {}): SimulationCoordinator {
  let holdout: Dataset | undefined
  const reputation = new Map<string, ReputationState>()
  const minReputation = init.minReputation ?? 0.3
  const params = DEFAULT_REPUTATION_PARAMETERS
  const scoreOf = (id: string, round: number) =>
    opinionToNumbers(opinionAt(reputation.get(id) ?? initialReputationState(0n), BigInt(round), params)).score
  const record = (id: string, round: number, event: 'accepted' | 'rejected') =>
    reputation.set(id, applyEvent(reputation.get(id) ?? initialReputationState(0n), event, BigInt(round), params))
  return {
    name: 'memory',
    async runRound(context: RoundContext): Promise<RoundOutcome> {
      const { network, global, hospitals, strategy } = context
      const ms = { train: 0, commit: 0, share: 0, verify: 0, aggregate: 0, finalize: 0 }
      const updates: ClientUpdate[] = []
      const epsilon: Record<string, number> = {}
      for (const hospital of hospitals) {
        context.signal?.throwIfAborted()
        const update = hospital.localUpdate(network, global)
        ms.train += update.trainMs
        updates.push({ id: hospital.id, delta: update.delta, examples: update.examples, reputation: scoreOf(hospital.id, context.round) })
        if (update.epsilon !== undefined) epsilon[hospital.id] = update.epsilon
      }
      let accepted = updates
      const rejected: { id: string; reason: string }[] = []
      if (context.verify) {
        const started = performance.now()
        // A hospital with low reputation is rejected outright; no evidence is recorded for it,
        // so decay lets it back in after a few rounds.
        const trusted = updates.filter((u) => (u.reputation ?? 1) >= minReputation)
        for (const u of updates) if ((u.reputation ?? 1) < minReputation) rejected.push({ id: u.id, reason: 'low-reputation' })
        // The verifier's holdout: the hospitals' validation splits, each standardized locally.
        holdout ??= concatDatasets(hospitals.map((h) => h.validation))
        const data = holdout
        const { maxLossIncrease, byzantine, ...rest } = init.policy ?? {}
        // Hospitals already shut out by reputation use up part of the assumed Byzantine budget;
        // otherwise Multi-Krum keeps rejecting f honest updates once the attackers are gone.
        const remainingByzantine = byzantine === undefined ? undefined : Math.max(0, byzantine - (updates.length - trusted.length))
        const policy = { ...rest, ...(remainingByzantine === undefined ? {} : { byzantine: remainingByzantine }) }
        const verdicts = verifyUpdates({
          updates: trusted,
          policy: {
            ...policy,
            validation: {
              lossOf: (delta) => evaluateModel(network, addDelta(global, delta), data).loss,
              ...(maxLossIncrease === undefined ? {} : { maxLossIncrease }),
            },
          },
        })
        const ok = new Set(verdicts.filter((v) => v.accepted).map((v) => v.id))
        for (const v of verdicts) {
          if (!v.accepted) rejected.push({ id: v.id, reason: v.reason })
          record(v.id, context.round, v.accepted ? 'accepted' : 'rejected')
        }
        accepted = trusted.filter((u) => ok.has(u.id))
        ms.verify = performance.now() - started
      }
      const started = performance.now()
      const result = accepted.length === 0 ? { global: Float32Array.from(global), selected: [] } : strategy.aggregate({ round: context.round, global, updates: accepted })
      ms.aggregate = performance.now() - started
      const selected = new Set(result.selected)
      for (const u of accepted) if (!selected.has(u.id)) rejected.push({ id: u.id, reason: `not selected by ${strategy.name}` })
      rejected.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const scores = context.verify ? Object.fromEntries(hospitals.map((h) => [h.id, scoreOf(h.id, context.round)])) : undefined
      return {
        global: result.global,
        accepted: [...result.selected],
        rejected,
        epsilon,
        ...(scores === undefined ? {} : { reputation: scores }),
        gasUsed: 0,
        finalizeTx: null,
        modelCid: null,
        ms,
      }
    },
  }
}

function addDelta(global: Float32Array, delta: Float32Array): Float32Array {
  const out = new Float32Array(global.length)
  for (let i = 0; i < out.length; i++) out[i] = (global[i] as number) + (delta[i] as number)
  return out
}
