import { indicesOf } from '@fedchain/aggregator-contract'
import type { AggregationStrategy } from '../aggregation/types.js'
import type { X25519KeyPair } from '../crypto/index.js'
import { sha256Hex } from '../protocol/participant.js'
import type { BlobStoreSet } from './blob-copies.js'
import type { ChainHistory } from './chain-history.js'
import { decodeHistory } from './decode-events.js'
import { TaskNotFoundError } from './errors.js'
import { fetchEvidence } from './evidence.js'
import type { AuditMismatch } from './mismatch.js'
import { templateCodec, type ModelCodec } from './model-codec.js'
import { openRoundUpdates } from './open-updates.js'
import { createAggregateReplayer, type AggregateReplayer } from './replay-aggregate.js'
import { checkOutcome, checkQuorum } from './round-checks.js'
import { quorumVerdict, taskIds, taskTimeline, type RoundTimeline } from './task-timeline.js'

/** Per-round result. */
export interface AuditRoundReport {
  readonly round: number
  readonly status: RoundTimeline['status']
  readonly committed: number
  readonly shared: number
  /** Shared updates the auditor fetched, decrypted and matched to their hash. */
  readonly opened: number
  /** Accepted hospitals (addresses, ascending registry index). */
  readonly accepted: readonly string[]
  readonly modelSha256: string | null
  /** sha256 of the recomputed aggregate; null when it could not be recomputed. */
  readonly recomputedSha256: string | null
  readonly mismatches: number
}

/** The audit's outcome; `ok` is true when no mismatch was found. */
export interface AuditReport {
  readonly ok: boolean
  readonly source: string
  readonly chainId: number
  readonly aggregator: string
  readonly taskId: string
  readonly strategy: string
  /** How many checks of each kind ran. */
  readonly checked: Readonly<Record<'commitments' | 'updates' | 'aggregates' | 'models' | 'quorums', number>>
  readonly rounds: readonly AuditRoundReport[]
  readonly mismatches: readonly AuditMismatch[]
}

/** Inputs of {@link auditTask}. */
export interface AuditTaskParameters {
  readonly history: ChainHistory
  /** @default the history's task, else the last task created */
  readonly taskId?: bigint
  readonly stores: BlobStoreSet
  /** The auditor's X25519 key: every update envelope is encrypted to it too. */
  readonly auditorKey: X25519KeyPair
  /** A fresh instance of the strategy the task aggregates with. */
  readonly strategy: AggregationStrategy
  /** @default the layout of the task's initial model blob */
  readonly codec?: ModelCodec
  /** Lower-case address → participant id the committee aggregated under. @default the lower-case address */
  readonly participantIds?: ReadonlyMap<string, string>
  /** Whether the committee verified updates (replays its reputation for the `reputation` strategy). @default false */
  readonly verify?: boolean
  /** The verifier's reputation gate. @default 0.3 */
  readonly minReputation?: number
  /**
   * The finalize transactions a run's summary.json reports. The chain record must hold exactly
   * these RoundFinalized events: a record cut short, or one of another run, audits clean otherwise.
   */
  readonly claimedFinalizations?: readonly { readonly round: number; readonly finalizeTx: string }[]
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/**
 * Replays a task's chain history and checks everything the chain commits to: each round opens
 * from the last finalized model, every shared update opens its commitment, is in a blob store,
 * decrypts for the auditor and hashes to its on-chain hash; every finalized model is the strategy's
 * aggregate of exactly the accepted updates, was agreed by a ⌈2k/3⌉ quorum, and its blob hashes to
 * the on-chain hash. Every mismatch is reported with its round, the party and both values; nothing
 * is thrown for a mismatch.
 * @throws {TaskNotFoundError} when the task is not in the history
 */
export async function auditTask(parameters: AuditTaskParameters): Promise<AuditReport> {
  const { history, stores, auditorKey } = parameters
  const { events, undecoded } = decodeHistory(history)
  const ids = taskIds(events)
  const taskId = parameters.taskId ?? history.taskId ?? ids.at(-1)
  if (taskId === undefined) throw new TaskNotFoundError('a task', [])
  const task = taskTimeline(events, taskId)
  const mismatches: AuditMismatch[] = []
  const checked = { commitments: 0, updates: 0, aggregates: 0, models: 0, quorums: 0 }
  const report = (m: AuditMismatch) => mismatches.push(m)
  const idOf = (address: string) => parameters.participantIds?.get(address.toLowerCase()) ?? address.toLowerCase()

  for (const { log, reason } of undecoded) {
    report({ round: null, party: 'chain', check: 'event-decoding', expected: 'an aggregator event', found: `log ${log.logIndex} of tx ${log.transactionHash}`, message: `a log of the aggregator could not be decoded (${reason})` })
  }

  const fetchBlob = (cid: string, round: number | null, what: string) => fetchEvidence({ stores, cid, round, what, report })

  // The initial model: the task's model spec blob.
  const spec = await fetchBlob(task.created.modelSpecCid, null, 'the initial model')
  let codec = parameters.codec
  let current: { sha256: string; params: Float32Array | undefined } = { sha256: task.created.modelSpecSha256, params: undefined }
  if (spec.bytes === undefined) {
    report({ round: null, party: 'task', check: 'model-spec', expected: `blob ${task.created.modelSpecCid}`, found: spec.invalidCid ?? 'no valid copy in any blob store', message: `the initial model ${task.created.modelSpecCid} is in no blob store; aggregates cannot be recomputed` })
  } else if (!same(sha256Hex(spec.bytes), task.created.modelSpecSha256)) {
    report({ round: null, party: 'task', check: 'model-spec', expected: task.created.modelSpecSha256, found: sha256Hex(spec.bytes), message: 'the initial model blob does not hash to the TaskCreated modelSpecSha256' })
  } else {
    try {
      codec ??= templateCodec(spec.bytes)
      current = { sha256: task.created.modelSpecSha256, params: codec.decode(spec.bytes) }
    } catch (error) {
      report({ round: null, party: 'task', check: 'model-spec', expected: 'a model parameter blob', found: (error as Error).message, message: 'the initial model blob is not a model of this task' })
    }
  }
  const replayer: AggregateReplayer | undefined =
    current.params === undefined
      ? undefined
      : createAggregateReplayer({ strategy: parameters.strategy, initial: current.params, verify: parameters.verify ?? false, ...(parameters.minReputation === undefined ? {} : { minReputation: parameters.minReputation }) })

  const rounds: AuditRoundReport[] = []
  for (const round of task.rounds) {
    const before = mismatches.length
    const r = round.round
    if (!same(round.opened.baseModelSha256, current.sha256)) {
      report({ round: r, party: 'chain', check: 'base-model', expected: current.sha256, found: round.opened.baseModelSha256, message: `round ${r} opened from a model other than the last finalized one` })
    }

    // Commitments and updates.
    const { opened, openedBy } = await openRoundUpdates({ round, taskId, history, auditorKey, codec, idOf, fetchBlob, report })
    checked.commitments += round.shares.length
    checked.updates += round.shares.length

    const finalized = round.finalized
    let recomputedSha256: string | null = null
    if (finalized !== undefined) {
      checkQuorum(round, task, report)
      checked.quorums++
      checkOutcome(round, task, report)

      // Recompute the aggregate of exactly the accepted set.
      checked.aggregates++
      const acceptedAddresses = indicesOf(finalized.accepted).map((i) => task.hospitals.addressAt.get(i) ?? `index ${i}`)
      const unavailable = acceptedAddresses.filter((a) => !openedBy.has(a.toLowerCase()))
      let recomputed: Float32Array | undefined
      if (replayer === undefined || current.params === undefined || codec === undefined) {
        report({ round: r, party: 'task', check: 'aggregate', expected: finalized.modelSha256, found: 'not recomputable', message: `round ${r}: the aggregate cannot be recomputed without the model it opened from` })
      } else if (unavailable.length > 0) {
        report({ round: r, party: unavailable.join(', '), check: 'aggregate', expected: finalized.modelSha256, found: 'not recomputable', message: `round ${r}: accepted updates of ${unavailable.join(', ')} are unavailable, so the aggregate cannot be recomputed` })
      } else {
        const accepted = new Set(acceptedAddresses.map(idOf))
        recomputed = replayer.aggregate({ attempt: round.attempt, global: current.params, opened, accepted }).global
        recomputedSha256 = sha256Hex(codec.encode(recomputed))
        if (!same(recomputedSha256, finalized.modelSha256)) {
          report({ round: r, party: 'committee', check: 'aggregate', expected: recomputedSha256, found: finalized.modelSha256, message: `round ${r}: the finalized model is not the ${parameters.strategy.name} aggregate of the accepted updates` })
        }
      }

      // The finalized model's blob.
      checked.models++
      const verdict = quorumVerdict(round)
      let modelParams: Float32Array | undefined
      if (verdict === undefined) {
        report({ round: r, party: 'chain', check: 'model-blob', expected: 'the quorum submission (its model CID)', found: 'none', message: `round ${r} was finalized without a QuorumReached submission` })
      } else {
        const blob = await fetchBlob(verdict.modelCid, r, 'the model')
        if (blob.bytes === undefined) {
          report({ round: r, party: verdict.member, check: 'model-blob', expected: `blob ${verdict.modelCid}`, found: blob.invalidCid ?? 'no valid copy in any blob store', message: `round ${r}: the finalized model ${verdict.modelCid} is in no blob store` })
        } else if (!same(sha256Hex(blob.bytes), finalized.modelSha256)) {
          report({ round: r, party: verdict.member, check: 'model-blob', expected: finalized.modelSha256, found: sha256Hex(blob.bytes), message: `round ${r}: the model blob ${verdict.modelCid} does not hash to the finalized modelSha256` })
        } else if (codec !== undefined) {
          try {
            modelParams = codec.decode(blob.bytes)
          } catch (error) {
            report({ round: r, party: verdict.member, check: 'model-blob', expected: 'a model of this task', found: (error as Error).message, message: `round ${r}: the finalized model blob is not a model of this task` })
          }
        }
      }
      // Later rounds train from the chain's model: continue from it, so one bad round is reported once.
      current = { sha256: finalized.modelSha256, params: modelParams ?? recomputed }
    } else if (replayer !== undefined && current.params !== undefined && round.verdicts.length > 0) {
      // A round aborted after verdicts still advanced the committee's strategy state.
      const counts = new Map<bigint, number>()
      for (const v of round.verdicts) counts.set(v.acceptedBitmap, (counts.get(v.acceptedBitmap) ?? 0) + 1)
      const bitmap = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0n
      const accepted = indicesOf(bitmap).map((i) => task.hospitals.addressAt.get(i) ?? '')
      if (accepted.every((a) => openedBy.has(a.toLowerCase()))) replayer.aggregate({ attempt: round.attempt, global: current.params, opened, accepted: new Set(accepted.map(idOf)) })
    }
    rounds.push({
      round: r,
      status: round.status,
      committed: round.commits.length,
      shared: round.shares.length,
      opened: opened.length,
      accepted: finalized === undefined ? [] : indicesOf(finalized.accepted).map((i) => task.hospitals.addressAt.get(i) ?? `index ${i}`),
      modelSha256: finalized?.modelSha256 ?? null,
      recomputedSha256,
      mismatches: mismatches.length - before,
    })
  }

  if (parameters.claimedFinalizations !== undefined) checkClaimedFinalizations(task.rounds, parameters.claimedFinalizations, report)

  if (task.completed !== undefined && !same(task.completed.modelSha256, current.sha256)) {
    report({ round: null, party: 'chain', check: 'task-completed', expected: current.sha256, found: task.completed.modelSha256, message: 'TaskCompleted names a model other than the last finalized one' })
  }

  return {
    ok: mismatches.length === 0,
    source: history.source,
    chainId: history.chainId,
    aggregator: history.aggregator,
    taskId: taskId.toString(),
    strategy: parameters.strategy.name,
    checked,
    rounds,
    mismatches,
  }
}

/** Every finalization the run's summary reports is in the chain record, and the record has no other. */
function checkClaimedFinalizations(rounds: readonly RoundTimeline[], claimed: NonNullable<AuditTaskParameters['claimedFinalizations']>, report: (m: AuditMismatch) => void): void {
  const onChain = new Map(rounds.flatMap((r) => (r.finalized === undefined ? [] : [[r.finalized.transactionHash.toLowerCase(), r.round] as const])))
  const listed = new Set(claimed.map((c) => c.finalizeTx.toLowerCase()))
  for (const { round, finalizeTx } of claimed) {
    if (onChain.has(finalizeTx.toLowerCase())) continue
    report({
      round: null,
      party: 'chain',
      check: 'run-summary',
      expected: `RoundFinalized in ${finalizeTx}`,
      found: 'no such event in the chain record',
      message: `summary.json reports round ${round} finalized in ${finalizeTx}, but the chain record does not: the record is incomplete or belongs to another run`,
    })
  }
  for (const [tx, round] of onChain) {
    if (listed.has(tx)) continue
    report({ round, party: 'chain', check: 'run-summary', expected: 'a round listed in summary.json', found: `RoundFinalized in ${tx}`, message: `the chain record finalizes round ${round}, which summary.json does not report` })
  }
}
