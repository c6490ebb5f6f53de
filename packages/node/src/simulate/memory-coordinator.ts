import type { ClientUpdate } from '../aggregation/types.js'
import { concatDatasets, type Dataset } from '../learning/data/dataset.js'
import type { RoundContext, RoundOutcome, SimulationCoordinator } from './coordinator.js'
import { createRoundDecider, type RoundDeciderInit } from './round-verdict.js'

/** Options of the memory coordinator: the verifier's thresholds and reputation gate. */
export type MemoryCoordinatorInit = RoundDeciderInit

/**
 * The baseline coordinator: every hospital trains in this process, updates go straight to the
 * verifier and the strategy. No chain, no network, no blob store. The full-protocol coordinator
 * decides rounds through the same {@link createRoundDecider}, so both compute the same model.
 */
export function memoryCoordinator(init: MemoryCoordinatorInit = {}): SimulationCoordinator {
  let holdout: Dataset | undefined
  const decider = createRoundDecider(init)
  return {
    name: 'memory',
    async runRound(context: RoundContext): Promise<RoundOutcome> {
      const { network, global, hospitals } = context
      const ms = { train: 0, commit: 0, share: 0, verify: 0, aggregate: 0, finalize: 0 }
      const updates: ClientUpdate[] = []
      const epsilon: Record<string, number> = {}
      for (const hospital of hospitals) {
        context.signal?.throwIfAborted()
        const update = hospital.localUpdate(network, global)
        ms.train += update.trainMs
        updates.push({ id: hospital.id, delta: update.delta, examples: update.examples })
        if (update.epsilon !== undefined) epsilon[hospital.id] = update.epsilon
      }
      // The verifier's holdout: the hospitals' validation splits, each standardized locally.
      holdout ??= concatDatasets(hospitals.map((h) => h.validation))
      const verdict = decider.decide(context, updates, holdout)
      ms.verify = verdict.verifyMs
      ms.aggregate = verdict.aggregateMs
      const reputation = context.verify ? Object.fromEntries(hospitals.map((h) => [h.id, decider.reputationOf(h.id, context.round)])) : undefined
      return {
        global: verdict.global,
        accepted: verdict.accepted,
        rejected: verdict.rejected,
        epsilon,
        ...(reputation === undefined ? {} : { reputation }),
        gasUsed: 0,
        finalizeTx: null,
        modelCid: null,
        ms,
      }
    },
  }
}
