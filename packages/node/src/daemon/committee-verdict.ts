import { bitmapOf, encodeQualityScores } from '@fedchain/aggregator-contract'
import { fedAvg } from '../aggregation/fedavg.js'
import type { ClientUpdate } from '../aggregation/types.js'
import { establishedIds, MIN_REPUTATION } from '../aggregation/reputation-gate.js'
import { verifyUpdates } from '../aggregation/verification.js'
import type { Dataset } from '../learning/data/dataset.js'
import type { Network } from '../learning/model/network.js'
import { deserializeParams, serializeParams } from '../learning/model/serialize.js'
import { updateLoss } from '../learning/train/evaluate.js'
import type { OpenedUpdate, UnopenedUpdate } from '../protocol/participant.js'

/** What a committee member submits for a round. */
export interface CommitteeVerdict {
  readonly modelBytes: Uint8Array
  readonly acceptedBitmap: bigint
  readonly qualityScores: string
  /** Accepted hospital addresses (lower case), ascending registry index. */
  readonly accepted: readonly string[]
  readonly rejected: readonly { readonly hospital: string; readonly reason: string }[]
}

/** Parameters of {@link decideCommitteeVerdict}. */
export interface DecideCommitteeVerdictParameters {
  readonly round: number
  readonly network: Network
  /** The round's base model (checked against the chain by the caller). */
  readonly global: Float32Array
  readonly opened: readonly OpenedUpdate[]
  readonly unopened: readonly UnopenedUpdate[]
  /** Registry index of each hospital address (lower case). */
  readonly indexOf: ReadonlyMap<string, number>
  /** On-chain reputation score in [0, 1] of each hospital address (lower case). */
  readonly reputationOf: ReadonlyMap<string, number>
  /**
   * The task's shared validation set, standardized by `loadValidationSet`: with it, updates must
   * also pass the holdout-loss check of `verifyUpdates` (marginal loss of global + Δ on these
   * rows). Omitted: norm and cosine checks only.
   */
  readonly validation?: Dataset
}

/**
 * A committee member's verdict, computed only from inputs every member shares: the updates that
 * opened their on-chain commitments, the on-chain reputations and, when the task names one, the
 * validation set its manifest pins. Updates of hospitals under the reputation threshold are
 * rejected; the rest pass the norm and cosine checks of `verifyUpdates`, measured against the
 * hospitals whose on-chain reputation is at least a newcomer's, and with a validation set the
 * holdout-loss check on it (never on a member's own rows: those differ between members, and
 * members must agree bit for bit); FedAvg (float64, fixed order by address) aggregates the
 * accepted ones. Identical inputs give identical bytes, so honest members submit the same
 * (bitmap, sha256) and reach the quorum.
 */
export function decideCommitteeVerdict(p: DecideCommitteeVerdictParameters): CommitteeVerdict {
  const rejected: { hospital: string; reason: string }[] = p.unopened.map((u) => ({ hospital: u.hospital.toLowerCase(), reason: `unopened: ${u.reason}` }))
  const candidates: ClientUpdate[] = []
  for (const u of p.opened) {
    const id = u.hospital.toLowerCase()
    const reputation = p.reputationOf.get(id) ?? 1
    if (reputation < MIN_REPUTATION) {
      rejected.push({ hospital: id, reason: 'low-reputation' })
      continue
    }
    try {
      candidates.push({ id, delta: deserializeParams(u.bytes, p.network).params, examples: Number(u.sampleCount), reputation })
    } catch (error) {
      rejected.push({ hospital: id, reason: `malformed: ${(error as Error).message}` })
    }
  }
  const referenceIds = establishedIds(candidates)
  const validation = p.validation
  const verdicts = verifyUpdates({
    updates: candidates,
    policy: {
      ...(referenceIds === undefined ? {} : { referenceIds }),
      // The loss is a pure function of (network, global, Δ, validation rows) on one tfjs backend,
      // so members on the same backend agree bit for bit. Members on different backends (cpu,
      // wasm, tfjs-node) may differ in the last float bits and so disagree on an update right at
      // the threshold: the quorum then fails and the round aborts and re-runs, nothing unsafe.
      ...(validation === undefined ? {} : { validation: { lossOf: updateLoss(p.network, p.global, validation) } }),
    },
  })
  const ok = new Set(verdicts.filter((v) => v.accepted).map((v) => v.id))
  for (const v of verdicts) if (!v.accepted) rejected.push({ hospital: v.id, reason: v.reason })
  const accepted = candidates.filter((u) => ok.has(u.id))
  const result = accepted.length === 0 ? { global: Float32Array.from(p.global), selected: [] as string[] } : fedAvg().aggregate({ round: p.round, global: p.global, updates: accepted })
  const indexOf = (id: string) => p.indexOf.get(id) ?? Number.MAX_SAFE_INTEGER
  const selected = [...result.selected].sort((a, b) => indexOf(a) - indexOf(b))
  const score = new Map(verdicts.map((v) => [v.id, v.score]))
  return {
    modelBytes: serializeParams(p.network, result.global),
    acceptedBitmap: bitmapOf(selected.map(indexOf)),
    qualityScores: encodeQualityScores(selected.map((id) => Math.round(Math.min(1, Math.max(0, score.get(id) ?? 0)) * 10_000))),
    accepted: selected,
    rejected: rejected.sort((a, b) => indexOf(a.hospital) - indexOf(b.hospital)),
  }
}
