/**
 * The `summary.json` a simulation writes (DESIGN.md §5). A stable interface: fields are only
 * added, never renamed. Fields a coordinator cannot fill are `null` (e.g. transactions in memory).
 */

/** Milliseconds per protocol phase within one round; phases a coordinator lacks are 0. */
export interface PhaseTimings {
  readonly train: number
  readonly commit: number
  readonly share: number
  readonly verify: number
  readonly aggregate: number
  readonly finalize: number
}

export interface RoundSummary extends RoundRecord {
  readonly round: number
  /** Global model on the pooled hospitals' test splits, after this round. */
  readonly accuracy: number
  readonly loss: number
  readonly auc: number
  /** Participant ids whose updates entered the aggregate. */
  readonly accepted: readonly string[]
  readonly rejected: readonly string[]
  /** Why each rejected update was rejected. */
  readonly rejections: Readonly<Record<string, string>>
}

/** What both a coordinator's outcome and the summary say about a round besides the model. */
export interface RoundRecord {
  /** ε spent so far per participant (empty without DP). */
  readonly epsilon: Readonly<Record<string, number>>
  /** Reputation score (0…1) per participant after this round, when the coordinator keeps one. */
  readonly reputation?: Readonly<Record<string, number>>
  /** Tokens credited per hospital in this round (wei of the 18-decimal FED token, decimal string). */
  readonly rewards?: Readonly<Record<string, string>>
  /** The round's verification committee (hospital ids), when there is one. */
  readonly committee?: readonly string[]
  /** Nodes killed and restarted during this round (fault injection). */
  readonly faults?: readonly RoundFault[]
  readonly gasUsed: number
  readonly finalizeTx: string | null
  readonly ms: PhaseTimings
}

/** A node killed mid-round and restarted from its data dir. */
export interface RoundFault {
  readonly node: string
  /** The last step the node completed before it was killed. */
  readonly killedAfter: 'commit'
  /** Whether the restarted node finished the round (shared its committed update). */
  readonly resumed: boolean
}

/** One simulated hospital. */
export interface NodeSummary {
  readonly id: string
  readonly index: number
  readonly trainExamples: number
  readonly testExamples: number
  /** Row count per class in the local training split. */
  readonly classCounts: readonly number[]
  readonly malicious: boolean
}

export interface SimulationSummary {
  /** The run's configuration as executed (defaults filled in). */
  readonly config: Readonly<Record<string, unknown>>
  readonly nodes: readonly NodeSummary[]
  readonly baseline: {
    /** Same model and epoch budget trained on the pooled training data, same test rows. */
    readonly centralizedAccuracy: number
    readonly centralizedLoss: number
    readonly centralizedAuc: number
  }
  readonly rounds: readonly RoundSummary[]
  readonly final: {
    readonly accuracy: number
    readonly loss: number
    readonly auc: number
    /** Largest ε spent by any hospital; null without DP. */
    readonly epsilonMax: number | null
    readonly delta: number | null
    /** Content id of the final model in the blob store; null without one. */
    readonly modelCid: string | null
    /** sha256 (hex) of the serialized final model. */
    readonly modelSha256: string
  }
  readonly gas: { readonly total: number; readonly perParticipantRound: number }
  readonly timing: {
    /** Local training, summed over hospitals and rounds. */
    readonly trainMs: number
    /** Everything in the rounds that is not local training (verification, aggregation, protocol). */
    readonly coordinationMs: number
    readonly baselineMs: number
    readonly wallMs: number
  }
  readonly attack: {
    readonly attack: string | null
    readonly maliciousNodes: readonly string[]
    /** Malicious updates submitted and rejected, over all rounds. */
    readonly submittedMalicious: number
    readonly rejectedMalicious: number
    readonly submittedHonest: number
    readonly rejectedHonest: number
  }
}
