import type { AggregationStrategy } from '../aggregation/types.js'
import type { Network } from '../learning/model/network.js'
import type { SimulatedHospital } from './hospital.js'
import type { RoundRecord } from './summary.js'

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
export interface RoundOutcome extends RoundRecord {
  readonly global: Float32Array
  readonly accepted: readonly string[]
  readonly rejected: readonly { readonly id: string; readonly reason: string }[]
  readonly modelCid: string | null
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

/** A node killed during a round (`--kill`; see the coordinators' `kills`). */
export interface NodeKill {
  /** A hospital id or its 0-based position. */
  readonly node: string | number
  readonly round: number
  /** Stay down until the round is over instead of restarting mid-round. @default false */
  readonly down?: boolean
}
