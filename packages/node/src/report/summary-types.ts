/**
 * The shape of a run's `summary.json` (DESIGN.md §5) as the report reads it.
 *
 * The summary is a stable interface written by `fedchain simulate` and by a live node. Everything
 * beyond the §5 core is optional because not every coordinator produces it: the in-memory
 * coordinator has no chain (no gas, no finalize transaction, no on-chain reputation or rewards) and
 * may not report accepted/rejected sets. The renderer leaves out what is absent instead of failing.
 */

/** Milliseconds spent in each round phase; phases a coordinator does not have are left out. */
export interface PhaseTimingsMs {
  train?: number
  commit?: number
  share?: number
  verify?: number
  aggregate?: number
  finalize?: number
}

/** Names of the round phases in protocol order, as the report stacks them. */
export type PhaseName = keyof PhaseTimingsMs

/** On-chain token amount: a decimal integer string in wei (JSON has no bigint) or a plain number. */
export type TokenAmount = string | number

/** One round as recorded in the summary. */
export interface RoundSummary {
  /** Round number, 1-based. */
  round: number
  /** Global model accuracy on the evaluation set after this round; absent or null when aborted. */
  accuracy?: number | null
  /** Global model loss on the evaluation set after this round. */
  loss?: number | null
  /** Outcome; rounds without it are taken as finalized. */
  status?: 'finalized' | 'aborted'
  /** Hospital addresses whose update was accepted into the aggregate. */
  accepted?: string[]
  /** Hospital addresses whose update was rejected by the committee. */
  rejected?: string[]
  /** Cumulative ε spent per hospital address after this round. */
  epsilon?: Record<string, number>
  /** Reputation score per hospital address after this round (0…1). */
  reputation?: Record<string, number>
  /** Rewards credited per hospital address in this round. */
  rewards?: Record<string, TokenAmount>
  /** Gas used by all of this round's transactions. */
  gasUsed?: number
  /** Hash of the transaction that finalized the round. */
  finalizeTx?: string
  /** Time spent per phase. */
  ms?: PhaseTimingsMs
}

/** A hospital taking part in the run, for labels; the summary may omit the list. */
export interface HospitalInfo {
  /** Chain address, the key used everywhere else in the summary. */
  address: string
  /** Human-readable name, e.g. `hospital-3`. */
  name?: string
  /** True when the simulation made this node an attacker. */
  malicious?: boolean
}

/** Reference figures the federated model is judged against. */
export interface BaselineSummary {
  /** Accuracy of the same model trained on the pooled data. */
  centralizedAccuracy?: number
  /** Loss of the same model trained on the pooled data. */
  centralizedLoss?: number
}

/** Figures of the final global model. */
export interface FinalSummary {
  accuracy?: number
  auc?: number
  loss?: number
  /** Largest ε spent by any hospital. */
  epsilonMax?: number
  delta?: number
  /** CID of the final global model in the blob store. */
  modelCid?: string
}

/** Gas totals over the run. */
export interface GasSummary {
  total?: number
  perParticipantRound?: number
}

/** Wall-clock totals over the run. */
export interface TimingSummary {
  trainMs?: number
  coordinationMs?: number
  wallMs?: number
}

/** What the injected attackers did and how many of their updates were caught. */
export interface AttackSummary {
  /** Addresses of the attacking nodes. */
  maliciousNodes?: string[]
  /** Attack name as given to `--malicious`, e.g. `signflip`. */
  kind?: string
  rejectedMalicious?: number
  submittedMalicious?: number
  rejectedHonest?: number
}

/** The whole `summary.json`. */
export interface RunSummary {
  /** The configuration as run; rendered as a key/value table. */
  config?: Record<string, unknown>
  baseline?: BaselineSummary
  rounds: RoundSummary[]
  final?: FinalSummary
  gas?: GasSummary
  timing?: TimingSummary
  attack?: AttackSummary
  /** Participating hospitals, for names and attacker marks. */
  hospitals?: HospitalInfo[]
  /** Total rewards per hospital address over the run; summed from the rounds when absent. */
  rewards?: Record<string, TokenAmount>
  /** Final reputation per hospital address; taken from the last round that has it when absent. */
  reputation?: Record<string, number>
}
