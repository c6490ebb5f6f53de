import { bitmapOf, computeCommitment, indicesOf, quorumOf } from '@fedchain/aggregator-contract'
import type { AggregationStrategy, ClientUpdate } from '../aggregation/types.js'
import { decryptUpdate, type X25519KeyPair } from '../crypto/index.js'
import { sha256Hex } from '../protocol/participant.js'
import type { BlobLookup, BlobStoreSet } from './blob-copies.js'
import type { ChainHistory } from './chain-history.js'
import { decodeHistory } from './decode-events.js'
import { templateCodec, type ModelCodec } from './model-codec.js'
import { createAggregateReplayer, type AggregateReplayer } from './replay-aggregate.js'
import { quorumVerdict, taskIds, taskTimeline, type RoundTimeline, type TaskTimeline } from './task-timeline.js'
import { TaskNotFoundError } from './errors.js'

/** What an audit check compares. */
export type AuditCheck =
  | 'event-decoding'
  | 'model-spec'
  | 'base-model'
  | 'commitment'
  | 'update-blob'
  | 'update-decrypt'
  | 'update-hash'
  | 'blob-copy'
  | 'quorum'
  | 'outcome'
  | 'aggregate'
  | 'model-blob'
  | 'task-completed'

/** One disagreement between the chain and what the audit recomputed or fetched. */
export interface AuditMismatch {
  /** The contract's round id; null for task-level checks. */
  readonly round: number | null
  /** Who or what is at fault: a hospital or committee member address, a blob store, `task`, `chain`. */
  readonly party: string
  readonly check: AuditCheck
  readonly expected: string
  readonly found: string
  /** One sentence for the human report. */
  readonly message: string
}

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

  /** Reports corrupt copies and returns the bytes of a valid one. */
  const fetchBlob = async (cid: string, round: number | null, what: string): Promise<BlobLookup> => {
    const lookup = await stores.lookup(cid)
    for (const copy of lookup.copies) {
      if (copy.status === 'corrupt') {
        report({ round, party: copy.store, check: 'blob-copy', expected: cid, found: copy.actualCid ?? 'unknown', message: `the copy of ${what} ${cid} in ${copy.store} does not match its CID (tampered or corrupted)` })
      }
    }
    return lookup
  }

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
    const opened: ClientUpdate[] = []
    const openedBy = new Set<string>()
    for (const share of round.shares) {
      const who = share.hospital
      const commit = round.commits.find((c) => same(c.hospital, who))
      checked.commitments++
      if (commit === undefined) {
        report({ round: r, party: who, check: 'commitment', expected: 'an UpdateCommitted event', found: 'none', message: `${who} shared an update in round ${r} without committing to it` })
      } else if (share.salt === undefined) {
        const recorded = history.transactions.has(share.transactionHash.toLowerCase())
        report({
          round: r,
          party: who,
          check: 'commitment',
          expected: 'a share or shareBatch transaction holding the salt',
          found: recorded ? `transaction ${share.transactionHash} is another call` : `no transaction ${share.transactionHash} in the history`,
          message: `the commitment of ${who} in round ${r} cannot be opened: the salt is not in its share transaction`,
        })
      } else {
        const recomputed = computeCommitment({ updateHash: share.updateHash, sampleCount: share.sampleCount, salt: share.salt, hospital: who, taskId, round: BigInt(r) })
        if (!same(recomputed, commit.commitment)) {
          report({ round: r, party: who, check: 'commitment', expected: commit.commitment, found: recomputed, message: `the update ${who} shared in round ${r} does not open its commitment` })
        }
      }

      checked.updates++
      const blob = await fetchBlob(share.updateCid, r, `the update of ${who}`)
      if (blob.bytes === undefined) {
        report({ round: r, party: who, check: 'update-blob', expected: `blob ${share.updateCid}`, found: blob.invalidCid ?? 'no valid copy in any blob store', message: `the update ${who} shared in round ${r} is in no blob store` })
        continue
      }
      let plaintext: Uint8Array
      try {
        plaintext = decryptUpdate({ envelope: blob.bytes, recipient: auditorKey, expected: { taskId: taskId.toString(), round: BigInt(r), sender: who } })
      } catch (error) {
        const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message
        report({ round: r, party: who, check: 'update-decrypt', expected: 'an envelope the auditor key opens', found: reason, message: `the update ${who} shared in round ${r} does not decrypt for the auditor` })
        continue
      }
      const digest = sha256Hex(plaintext)
      if (!same(digest, share.updateHash)) {
        report({ round: r, party: who, check: 'update-hash', expected: share.updateHash, found: digest, message: `the update ${who} shared in round ${r} does not hash to its on-chain updateHash` })
        continue
      }
      if (codec === undefined) continue
      try {
        opened.push({ id: idOf(who), delta: codec.decode(plaintext), examples: Number(share.sampleCount) })
        openedBy.add(who.toLowerCase())
      } catch (error) {
        report({ round: r, party: who, check: 'update-hash', expected: 'an update of the task model', found: (error as Error).message, message: `the update ${who} shared in round ${r} is not an update of this task's model` })
      }
    }

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

/** ⌈2k/3⌉ committee members submitted the finalized (bitmap, hash); agreeing/dissenting match the submissions. */
function checkQuorum(round: RoundTimeline, task: TaskTimeline, report: (m: AuditMismatch) => void): void {
  const finalized = round.finalized
  if (finalized === undefined) return
  const r = round.round
  const committee = round.opened.committee
  const required = quorumOf(indicesOf(committee).length)
  if (round.opened.quorum !== required) {
    report({ round: r, party: 'chain', check: 'quorum', expected: `quorum ${required} for a committee of ${indicesOf(committee).length}`, found: `quorum ${round.opened.quorum}`, message: `round ${r} opened with a quorum other than ⌈2k/3⌉` })
  }
  const indexOf = (a: string) => task.hospitals.indexOf.get(a.toLowerCase())
  for (const v of round.verdicts) {
    const index = indexOf(v.member)
    if (index === undefined || ((committee >> BigInt(index)) & 1n) === 0n) {
      report({ round: r, party: v.member, check: 'quorum', expected: 'a committee member', found: 'not in the round committee', message: `${v.member} submitted a verdict in round ${r} without being on its committee` })
    }
  }
  const agreeing = round.verdicts.filter((v) => v.acceptedBitmap === finalized.accepted && same(v.modelSha256, finalized.modelSha256))
  if (agreeing.length < required) {
    report({ round: r, party: 'committee', check: 'quorum', expected: `${required} identical submissions`, found: `${agreeing.length}`, message: `round ${r} was finalized with ${agreeing.length} of the ${required} identical submissions a quorum needs` })
  }
  const agreeingBits = bitmapOf(agreeing.map((v) => indexOf(v.member)).filter((i): i is number => i !== undefined))
  const submittedBits = bitmapOf(round.verdicts.map((v) => indexOf(v.member)).filter((i): i is number => i !== undefined))
  if (agreeingBits !== finalized.agreeing || (submittedBits & ~agreeingBits) !== finalized.dissenting) {
    report({ round: r, party: 'chain', check: 'quorum', expected: `agreeing 0x${agreeingBits.toString(16)}, dissenting 0x${(submittedBits & ~agreeingBits).toString(16)}`, found: `agreeing 0x${finalized.agreeing.toString(16)}, dissenting 0x${finalized.dissenting.toString(16)}`, message: `round ${r}: RoundFinalized's agreeing/dissenting bitmaps differ from the submissions` })
  }
}

/** RoundFinalized's accepted/rejected/absent bitmaps follow from the commits and shares. */
function checkOutcome(round: RoundTimeline, task: TaskTimeline, report: (m: AuditMismatch) => void): void {
  const finalized = round.finalized
  if (finalized === undefined) return
  const bits = (addresses: readonly string[]) => bitmapOf(addresses.map((a) => task.hospitals.indexOf.get(a.toLowerCase())).filter((i): i is number => i !== undefined))
  const committed = bits(round.commits.map((c) => c.hospital))
  const shared = bits(round.shares.map((s) => s.hospital))
  const hex = (b: bigint) => `0x${b.toString(16)}`
  if ((finalized.accepted & ~shared) !== 0n) {
    report({ round: round.round, party: 'committee', check: 'outcome', expected: `accepted ⊆ shared ${hex(shared)}`, found: hex(finalized.accepted), message: `round ${round.round} accepted updates that were never shared` })
  }
  if (finalized.rejected !== (shared & ~finalized.accepted) || finalized.absent !== (committed & ~shared)) {
    report({
      round: round.round,
      party: 'chain',
      check: 'outcome',
      expected: `rejected ${hex(shared & ~finalized.accepted)}, absent ${hex(committed & ~shared)}`,
      found: `rejected ${hex(finalized.rejected)}, absent ${hex(finalized.absent)}`,
      message: `round ${round.round}: RoundFinalized's rejected/absent bitmaps differ from the commits and shares`,
    })
  }
}
