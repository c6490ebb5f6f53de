import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { computeCommitment, signCommit, signShare, type SignedCommit, type SignedShare, type UpdateSharedEvent } from '@fedchain/aggregator-contract'
import type { Signer, TransactionReceipt } from 'ethers'
import { decryptUpdate, encryptUpdate, type MessageSigner, type X25519KeyPair } from '../crypto/index.js'
import type { TaskGossip } from '../p2p/index.js'
import { canAdvance, type CommitRecord, type PrivacyCharge, type RoundStateStore } from '../round/index.js'
import type { BlobStore } from '../storage/index.js'
import { writeBytesAtomic } from '../util/atomic-bytes.js'
import type { AggregatorClient } from './aggregator-client.js'

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

/** The update a hospital commits to in one round. */
export interface CommitParameters {
  readonly round: number
  readonly update: Uint8Array
  readonly sampleCount: number
  /** With DP: what releasing the update costs, kept with the commitment until it is shared. */
  readonly privacyCharge?: PrivacyCharge
}

export interface ProtocolParticipantInit {
  readonly client: AggregatorClient
  /** The node's chain wallet (signs gossip and relayed entries). */
  readonly wallet: MessageSigner & Signer & { readonly address: string }
  /** Address of the aggregator contract and the chain id (the EIP-712 domain of relayed entries). */
  readonly aggregator?: { readonly address: string; readonly chainId: bigint }
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
  /**
   * Commits to `update` (serialized bytes) for `round`; returns no receipt when already committed.
   * A DP update's `privacyCharge` is recorded with the commitment, in the same atomic write, for
   * the caller to charge when it shares.
   */
  commit(parameters: CommitParameters): Promise<{ receipt: TransactionReceipt | undefined; record: CommitRecord }>
  /**
   * Records the commitment like {@link commit} but, instead of sending it, returns it signed for a
   * relayer's `commitBatch`; no entry when the chain already holds it.
   */
  prepareCommit(parameters: CommitParameters): Promise<{ entry: SignedCommit | undefined; record: CommitRecord }>
  /**
   * Stores the encrypted update like {@link share} and returns the opening signed for a relayer's
   * `shareBatch` (none when already shared); call {@link confirmShared} once it is on chain.
   */
  prepareShare(parameters: { round: number; recipients: readonly Uint8Array[]; epsilonSpent?: number }): Promise<{ entry: SignedShare | undefined; cid: string }>
  /** Records that the round's share is on chain and announces it over gossip. */
  confirmShared(round: number): Promise<void>
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

  function domain(): { readonly address: string; readonly chainId: bigint } {
    if (init.aggregator === undefined) throw new RangeError('relayed entries need the aggregator address and chain id (ProtocolParticipantInit.aggregator)')
    return init.aggregator
  }

  /** Saves the update and its commitment before anything is sent; `pending` unless the chain has it. */
  async function recordCommitment({ round, update, sampleCount, privacyCharge }: CommitParameters): Promise<{ record: CommitRecord; pending: boolean }> {
    const saved = await state.load()
    if (saved?.round === round && saved.commit !== undefined) {
      // Restarted after recording the commitment: it is pending only if the chain never saw it.
      return { record: saved.commit, pending: !(await committedOnChain()) }
    }
    if (saved?.round !== round || saved.phase !== 'training') await state.advance(round, 'training')
    const path = updatePath(round)
    await writeBytesAtomic(path, update)
    const updateHash = sha256Hex(update)
    const salt = `0x${randomBytes(32).toString('hex')}`
    const commitment = computeCommitment({ updateHash, sampleCount: BigInt(sampleCount), salt, hospital: address, taskId, round: BigInt(round) })
    const record: CommitRecord = { updateHash, sampleCount, salt, commitment, updatePath: path, ...(privacyCharge === undefined ? {} : { privacyCharge }) }
    await state.advance(round, 'committed', { commit: record })
    return { record, pending: true }
  }

  /**
   * Encrypts and stores the committed update once (its CID is recorded before anything is sent)
   * and returns the opening; `pending` unless the chain already has this share.
   */
  async function recordShare({ round, recipients, epsilonSpent }: { round: number; recipients: readonly Uint8Array[]; epsilonSpent?: number | undefined }) {
    const saved = await state.load()
    if (saved?.round !== round || saved.commit === undefined) throw new RangeError(`round ${round}: nothing committed to share`)
    const { commit } = saved
    let cid = saved.sharedCid
    const resumed = cid !== undefined
    if (cid === undefined) {
      const update = new Uint8Array(await readFile(commit.updatePath))
      const context = { taskId: taskId.toString(), round: BigInt(round), sender: address }
      cid = await store.put(encryptUpdate({ payload: update, recipients, context }))
      await state.record(round, { sharedCid: cid })
    }
    const fields = {
      updateHash: commit.updateHash,
      sampleCount: BigInt(commit.sampleCount),
      salt: commit.salt,
      epsilonSpentWad: epsilonSpent === undefined ? 0n : epsilonToWad(epsilonSpent),
      updateCid: cid,
    }
    if (saved.phase !== 'committed') return { fields, pending: false }
    // A CID recorded before this call means a previous attempt may have reached the chain:
    // only then is the chain asked, so the normal path costs no extra round trip.
    const pending = !resumed || ((await client.roundState(taskId)).shared & bit) === 0n
    return { fields, pending }
  }

  async function confirmShared(round: number): Promise<void> {
    const saved = await state.load()
    if (saved?.round !== round || saved.commit === undefined || saved.sharedCid === undefined) {
      throw new RangeError(`round ${round}: nothing shared to confirm`)
    }
    if (saved.phase === 'committed') await state.advance(round, 'shared')
    // Best effort and not awaited: the chain event is authoritative, gossip only lets peers
    // fetch sooner.
    init.gossip
      ?.publish({ v: 1, kind: 'update-shared', task: taskId.toString(), round: BigInt(round), sender: address, cid: saved.sharedCid, commitment: saved.commit.commitment }, init.wallet)
      .catch(() => undefined)
  }

  return {
    address,

    async commit(parameters) {
      const { record, pending } = await recordCommitment(parameters)
      if (!pending) return { receipt: undefined, record }
      const receipt = await client.commit(taskId, parameters.round, record.commitment)
      await state.record(parameters.round, { commit: { ...record, txHash: receipt.hash } })
      return { receipt, record }
    },

    async prepareCommit(parameters) {
      const { record, pending } = await recordCommitment(parameters)
      if (!pending) return { entry: undefined, record }
      const entry = await signCommit({ signer: init.wallet, aggregator: domain().address, chainId: domain().chainId, taskId, round: BigInt(parameters.round), commitment: record.commitment })
      return { entry, record }
    },

    async share(parameters) {
      const { fields, pending } = await recordShare(parameters)
      const receipt = pending ? await client.share({ taskId, round: parameters.round, ...fields }) : undefined
      await confirmShared(parameters.round)
      return { receipt, cid: fields.updateCid }
    },

    async prepareShare(parameters) {
      const opening = await recordShare(parameters)
      if (!opening.pending) return { entry: undefined, cid: opening.fields.updateCid }
      const { fields } = opening
      const entry = await signShare({
        signer: init.wallet,
        aggregator: domain().address,
        chainId: domain().chainId,
        taskId,
        round: BigInt(parameters.round),
        updateHash: fields.updateHash,
        sampleCount: fields.sampleCount,
        salt: fields.salt,
        epsilonSpent: fields.epsilonSpentWad,
        updateCid: fields.updateCid,
      })
      return { entry, cid: fields.updateCid }
    },

    confirmShared,

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
      // A round finalized before this node shared took nothing from it: that is not this node's finalized round.
      if (outcome === 'finalized' && !canAdvance(saved.phase, 'finalized')) return
      await state.advance(round, outcome, finalizeTx === undefined ? {} : { finalizeTx })
    },
  }
}
