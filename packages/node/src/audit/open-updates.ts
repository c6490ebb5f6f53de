import { computeCommitment } from '@fedchain/aggregator-contract'
import type { ClientUpdate } from '../aggregation/types.js'
import { decryptUpdate, type X25519KeyPair } from '../crypto/index.js'
import { sha256Hex } from '../protocol/participant.js'
import type { BlobLookup } from './blob-copies.js'
import type { ChainHistory } from './chain-history.js'
import type { AuditMismatch } from './mismatch.js'
import type { ModelCodec } from './model-codec.js'
import type { RoundTimeline } from './task-timeline.js'

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** Inputs of {@link openRoundUpdates}. */
export interface OpenRoundUpdatesParameters {
  readonly round: RoundTimeline
  readonly taskId: bigint
  readonly history: ChainHistory
  readonly auditorKey: X25519KeyPair
  /** Undefined when the task's model is unknown: updates are then checked but not decoded. */
  readonly codec: ModelCodec | undefined
  /** Participant id of an address, as the committee aggregated it. */
  readonly idOf: (address: string) => string
  readonly fetchBlob: (cid: string, round: number | null, what: string) => Promise<BlobLookup>
  readonly report: (mismatch: AuditMismatch) => void
}

/**
 * Checks every update shared in a round the way a committee member opens it: the share opens its
 * commitment (recomputed with the salt from the share transaction), the envelope is in a blob
 * store, decrypts for the auditor (bound to task, round and sender) and hashes to the on-chain
 * `updateHash`.
 * @returns the updates that passed, as the committee's ClientUpdates, and their senders (lower case)
 */
export async function openRoundUpdates(p: OpenRoundUpdatesParameters): Promise<{ opened: ClientUpdate[]; openedBy: Set<string> }> {
  const { round, taskId, history, auditorKey, codec, idOf, fetchBlob, report } = p
  const r = round.round
  const opened: ClientUpdate[] = []
  const openedBy = new Set<string>()
  for (const share of round.shares) {
    const who = share.hospital
    const commit = round.commits.find((c) => same(c.hospital, who))
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
  return { opened, openedBy }
}
