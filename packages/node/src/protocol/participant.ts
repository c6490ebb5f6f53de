import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { computeCommitment } from '@fedchain/aggregator-contract'
import type { TransactionReceipt } from 'ethers'
import { decryptUpdate, encryptUpdate, type MessageSigner, type X25519KeyPair } from '../crypto/index.js'
import type { TaskGossip } from '../p2p/index.js'
import type { CommitRecord, RoundStateStore } from '../round/index.js'
import type { BlobStore } from '../storage/index.js'
import { writeBytesAtomic } from '../util/atomic-bytes.js'
import type { AggregatorClient } from './aggregator-client.js'
import type { UpdateSharedEvent } from './events.js'

/** sha256 of `bytes` as 0x-hex, the digest the contract records for updates and models. */
export function sha256Hex(bytes: Uint8Array): string {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`
}

/** ε (a float) in the contract's WAD fixed point, to nine decimals. */
export function epsilonToWad(epsilon: number): bigint {
  return BigInt(Math.round(epsilon * 1e9)) * 10n ** 9n
}

/** A decrypted update that opened its on-chain commitment. */
export interface OpenedUpdate {
  readonly hospital: string
  readonly bytes: Uint8Array
  readonly sampleCount: bigint
  readonly epsilonSpent: bigint
}

/** An update a committee member could not use, and why (it is then rejected). */
export interface UnopenedUpdate {
  readonly hospital: string
  readonly reason: string
}

export interface ProtocolParticipantInit {
  readonly client: AggregatorClient
  /** The node's chain wallet (signs gossip). */
  readonly wallet: MessageSigner & { readonly address: string }
  readonly encryption: X25519KeyPair
  readonly store: BlobStore
  readonly state: RoundStateStore
  readonly dataDir: string
  readonly taskId: bigint
  readonly gossip?: TaskGossip
}

/**
 * One hospital's side of the round protocol: commit, share, and (on the committee) open the others'
 * updates and submit a verdict. Every step is recorded in the round state before it is acted on,
 * so a node restarted at any point neither commits twice nor loses the salt of its commitment.
 */
export interface ProtocolParticipant {
  readonly address: string
  /** Commits to `update` (serialized bytes) for `round`; returns no receipt when already committed. */
  commit(parameters: { round: number; update: Uint8Array; sampleCount: number }): Promise<{ receipt: TransactionReceipt | undefined; record: CommitRecord }>
  /**
   * Encrypts the committed update to `recipients` (raw X25519 public keys: the round's committee,
   * plus the task's auditor when it has one) and opens the commitment on chain.
   */
  share(parameters: { round: number; recipients: readonly Uint8Array[]; epsilonSpent?: number }): Promise<{ receipt: TransactionReceipt | undefined; cid: string }>
  /** Fetches, decrypts and checks every shared update against its opened commitment. */
  openUpdates(parameters: { round: number; shared: readonly UpdateSharedEvent[] }): Promise<{ opened: OpenedUpdate[]; unopened: UnopenedUpdate[] }>
  /** Marks the round finalized or aborted in the node's state. */
  conclude(round: number, outcome: 'finalized' | 'aborted', finalizeTx?: string): Promise<void>
}

export async function createProtocolParticipant(init: ProtocolParticipantInit): Promise<ProtocolParticipant> {
  const { client, state, store, taskId } = init
  const address = init.wallet.address
  const { index } = await client.hospital(address)
  const bit = 1n << BigInt(index)
  const updatePath = (round: number) => join(init.dataDir, 'tasks', taskId.toString(), 'updates', `round-${round}.bin`)

  async function committedOnChain(): Promise<boolean> {
    return ((await client.roundState(taskId)).committed & bit) !== 0n
  }

  return {
    address,

    async commit({ round, update, sampleCount }) {
      const saved = await state.load()
      if (saved?.round === round && saved.commit !== undefined) {
        // Restarted after recording the commitment: send it only if the chain never saw it.
        if (await committedOnChain()) return { receipt: undefined, record: saved.commit }
        const receipt = await client.commit(taskId, round, saved.commit.commitment)
        await state.record(round, { commit: { ...saved.commit, txHash: receipt.hash } })
        return { receipt, record: saved.commit }
      }
      if (saved?.round !== round || saved.phase !== 'training') await state.advance(round, 'training')
      const path = updatePath(round)
      await writeBytesAtomic(path, update)
      const updateHash = sha256Hex(update)
      const salt = `0x${randomBytes(32).toString('hex')}`
      const commitment = computeCommitment({ updateHash, sampleCount: BigInt(sampleCount), salt, hospital: address, taskId, round: BigInt(round) })
      const record: CommitRecord = { updateHash, sampleCount, salt, commitment, updatePath: path }
      await state.advance(round, 'committed', { commit: record })
      const receipt = await client.commit(taskId, round, commitment)
      await state.record(round, { commit: { ...record, txHash: receipt.hash } })
      return { receipt, record }
    },

    async share({ round, recipients, epsilonSpent }) {
      const saved = await state.load()
      if (saved?.round !== round || saved.commit === undefined) {
        throw new RangeError(`round ${round}: nothing committed to share`)
      }
      if (saved.phase !== 'committed' && saved.sharedCid !== undefined) return { receipt: undefined, cid: saved.sharedCid }
      const { commit } = saved
      let cid = saved.sharedCid
      if (cid === undefined) {
        const update = new Uint8Array(await readFile(commit.updatePath))
        const context = { taskId: taskId.toString(), round: BigInt(round), sender: address }
        cid = await store.put(encryptUpdate({ payload: update, recipients, context }))
        await state.record(round, { sharedCid: cid })
      }
      // A CID recorded before this call means a previous attempt may have reached the chain:
      // only then is the chain asked, so the normal path costs no extra round trip.
      const alreadyShared = saved.sharedCid !== undefined && ((await client.roundState(taskId)).shared & bit) !== 0n
      const receipt = alreadyShared
        ? undefined
        : await client.share({
            taskId,
            round,
            updateHash: commit.updateHash,
            sampleCount: BigInt(commit.sampleCount),
            salt: commit.salt,
            epsilonSpentWad: epsilonSpent === undefined ? 0n : epsilonToWad(epsilonSpent),
            updateCid: cid,
          })
      await state.advance(round, 'shared')
      // Best effort and not awaited: the chain event is authoritative, gossip only lets peers
      // fetch sooner.
      init.gossip
        ?.publish({ v: 1, kind: 'update-shared', task: taskId.toString(), round: BigInt(round), sender: address, cid, commitment: commit.commitment }, init.wallet)
        .catch(() => undefined)
      return { receipt, cid }
    },

    async openUpdates({ round, shared }) {
      const opened: OpenedUpdate[] = []
      const unopened: UnopenedUpdate[] = []
      // Fetches run concurrently; results keep the order of `shared` (the chain's event order).
      const results = await Promise.all(
        shared.map(async (event): Promise<OpenedUpdate | UnopenedUpdate> => {
          try {
            const envelope = await store.get(event.updateCid)
            const bytes = decryptUpdate({ envelope, recipient: init.encryption, expected: { taskId: taskId.toString(), round: BigInt(round), sender: event.hospital } })
            const digest = sha256Hex(bytes)
            if (digest !== event.updateHash.toLowerCase()) {
              return { hospital: event.hospital, reason: `decrypted update hashes to ${digest}, not the committed ${event.updateHash}` }
            }
            return { hospital: event.hospital, bytes, sampleCount: event.sampleCount, epsilonSpent: event.epsilonSpent }
          } catch (error) {
            return { hospital: event.hospital, reason: (error as { shortMessage?: string }).shortMessage ?? (error as Error).message }
          }
        }),
      )
      for (const result of results) {
        if ('bytes' in result) opened.push(result)
        else unopened.push(result)
      }
      return { opened, unopened }
    },

    async conclude(round, outcome, finalizeTx) {
      const saved = await state.load()
      if (saved === undefined || saved.round !== round || saved.phase === outcome) return
      if (outcome === 'finalized' && saved.phase !== 'shared' && saved.phase !== 'submitted') return
      await state.advance(round, outcome, finalizeTx === undefined ? {} : { finalizeTx })
    },
  }
}
