import type { AggregationStrategy } from '../aggregation/types.js'
import type { Network } from '../learning/model/network.js'
import type { SimulatedHospital } from './hospital.js'
import type { PhaseTimings, RoundFault } from './summary.js'

/** Everything a coordinator needs to run one round. */
export interface RoundContext {
  readonly round: number
  readonly rounds: number
  readonly network: Network
  /** The global model entering the round; never modified. */
  readonly global: Float32Array
  /** Hospitals in id order. */
  readonly hospitals: readonly SimulatedHospital[]
  readonly strategy: AggregationStrategy
  /** Whether updates are verified before aggregation. */
  readonly verify: boolean
  readonly signal?: AbortSignal
}

/** What a round produced; the simulation evaluates `global` and writes the summary. */
export interface RoundOutcome {
  readonly global: Float32Array
  readonly accepted: readonly string[]
  readonly rejected: readonly { readonly id: string; readonly reason: string }[]
  /** ε spent so far per hospital; empty without DP. */
  readonly epsilon: Readonly<Record<string, number>>
  /** Reputation score (0…1) per hospital after this round, when the coordinator keeps one. */
  readonly reputation?: Readonly<Record<string, number>>
  /** Tokens credited per hospital in this round (wei of the 18-decimal FED token, decimal string). */
  readonly rewards?: Readonly<Record<string, string>>
  /** The round's verification committee (hospital ids), when there is one. */
  readonly committee?: readonly string[]
  /** Nodes killed and restarted during this round (fault injection). */
  readonly faults?: readonly RoundFault[]
  readonly gasUsed: number
  readonly finalizeTx: string | null
  readonly modelCid: string | null
  readonly ms: PhaseTimings
}

/**
 * Runs the rounds of a simulation. The in-memory coordinator calls the hospitals directly; the
 * full-protocol coordinator (chain + libp2p + blob store) implements the same interface, so both
 * produce the same `summary.json`.
 */
export interface SimulationCoordinator {
  readonly name: string
  start?(context: { readonly network: Network; readonly hospitals: readonly SimulatedHospital[]; readonly global: Float32Array }): Promise<void>
  runRound(context: RoundContext): Promise<RoundOutcome>
  stop?(): Promise<void>
}
