/**
 * The shape of a run's `summary.json` (DESIGN.md §5) as the report reads it.
 *
 * The summary is a stable interface written by `fedchain simulate` and by a live node. This is the
 * reader's view of it: every field beyond `rounds[].round` is optional or nullable, because not
 * every coordinator produces it (the in-memory coordinator has no chain: no gas, no finalize
 * transaction, no on-chain reputation or rewards) and a summary may come from an older writer.
 * A summary as `fedchain simulate` types it is assignable to {@link RunSummary}. The renderer
 * leaves out what is absent instead of failing.
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
  /** Global model ROC AUC after this round. */
  auc?: number | null
  /** Outcome; rounds without it are taken as finalized. */
  status?: 'finalized' | 'aborted'
  /** Hospital addresses whose update was accepted into the aggregate. */
  accepted?: readonly string[]
  /** Hospital addresses whose update was rejected by the committee. */
  rejected?: readonly string[]
  /** Why each rejected update was rejected, by hospital address. */
  rejections?: Record<string, string>
  /** Cumulative ε spent per hospital address after this round. */
  epsilon?: Record<string, number>
  /** Reputation score per hospital address after this round (0…1). */
  reputation?: Record<string, number>
  /** Rewards credited per hospital address in this round. */
  rewards?: Record<string, TokenAmount>
  /** Gas used by all of this round's transactions. */
  gasUsed?: number
  /** Hash of the transaction that finalized the round; null without a chain. */
  finalizeTx?: string | null
  /** Time spent per phase. */
  ms?: PhaseTimingsMs
}

/** A hospital (node) taking part in the run, for labels; the summary may omit the list. */
export interface NodeInfo {
  /** Participant id (the chain address), the key used everywhere else in the summary. */
  id: string
  /** 0-based position in the consortium; labels read `hospital-<index + 1>` when there is no name. */
  index?: number
  /** Human-readable name. */
  name?: string
  /** True when the simulation made this node an attacker. */
  malicious?: boolean
}

/** Reference figures the federated model is judged against. */
export interface BaselineSummary {
  /** Accuracy of the same model trained on the pooled data. */
  centralizedAccuracy?: number | null
  /** Loss of the same model trained on the pooled data. */
  centralizedLoss?: number | null
  /** ROC AUC of the same model trained on the pooled data. */
  centralizedAuc?: number | null
}

/** Figures of the final global model. */
export interface FinalSummary {
  accuracy?: number | null
  auc?: number | null
  loss?: number | null
  /** Largest ε spent by any hospital; null without DP. */
  epsilonMax?: number | null
  delta?: number | null
  /** CID of the final global model in the blob store; null without one. */
  modelCid?: string | null
  /** sha256 (hex) of the serialized final model. */
  modelSha256?: string | null
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
  baselineMs?: number
  wallMs?: number
}

/** What the injected attackers did and how many of their updates were caught. */
export interface AttackSummary {
  /** Attack name as given to `--malicious`, e.g. `signflip`; null in a clean run. */
  attack?: string | null
  /** Addresses of the attacking nodes. */
  maliciousNodes?: readonly string[]
  rejectedMalicious?: number
  submittedMalicious?: number
  submittedHonest?: number
  rejectedHonest?: number
}

/** The whole `summary.json`. */
export interface RunSummary {
  /** The configuration as run; rendered as a key/value table. */
  config?: Readonly<Record<string, unknown>>
  baseline?: BaselineSummary
  rounds: readonly RoundSummary[]
  final?: FinalSummary
  gas?: GasSummary
  timing?: TimingSummary
  attack?: AttackSummary
  /** Participating hospitals, for names and attacker marks. */
  nodes?: readonly NodeInfo[]
  /** Total rewards per hospital address over the run; summed from the rounds when absent. */
  rewards?: Record<string, TokenAmount>
  /** Final reputation per hospital address; taken from the last round that has it when absent. */
  reputation?: Record<string, number>
}
