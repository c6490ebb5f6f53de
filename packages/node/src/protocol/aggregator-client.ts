import { connectAggregator, decodeHospitalProfile, encodeHospitalProfile, type SignedCommit, type SignedShare, type TaskConfig } from '@fedchain/aggregator-contract'
import type { Contract, ContractTransactionResponse, Signer, TransactionReceipt } from 'ethers'
import { sendAndWait } from '../chain/send.js'
import type { RetryOptions } from '../chain/retry.js'
import {
  eventArgs,
  toRewardsCredited,
  toRoundFinalized,
  toRoundOpened,
  toUpdateShared,
  type RewardsCreditedEvent,
  type RoundFinalizedEvent,
  type RoundOpenedEvent,
  type UpdateSharedEvent,
} from './events.js'

/** A hospital's on-chain registry entry. */
export interface HospitalRecord {
  readonly address: string
  readonly status: number
  readonly index: number
  readonly peerId: string
  /** Raw X25519 public key, 32 bytes. */
  readonly encryptionKey: Uint8Array
  readonly multiaddrs: readonly string[]
  readonly stake: bigint
}

/** The live bitmaps of a task's open (or last) round. */
export interface LiveRoundState {
  readonly committed: bigint
  readonly shared: bigint
  readonly committee: bigint
  readonly submitted: bigint
  readonly quorumReached: boolean
}

export interface OpenRoundResult {
  readonly receipt: TransactionReceipt
  readonly event: RoundOpenedEvent
}

export interface FinalizeResult {
  readonly receipt: TransactionReceipt
  readonly event: RoundFinalizedEvent
  readonly rewards: RewardsCreditedEvent
}

export interface ShareParameters {
  readonly taskId: bigint
  readonly round: number
  readonly updateHash: string
  readonly sampleCount: bigint
  readonly salt: string
  readonly epsilonSpentWad: bigint
  readonly updateCid: string
}

export interface SubmitVerdictParameters {
  readonly taskId: bigint
  readonly round: number
  readonly acceptedBitmap: bigint
  readonly modelSha256: string
  readonly modelCid: string
  /** Packed uint16 basis points per accepted participant (see encodeQualityScores). */
  readonly qualityScores: string
}

/**
 * Typed access to the aggregator contract for one account: every transaction waits for its receipt,
 * retries transient RPC failures and throws reverts decoded into named custom errors.
 */
export interface AggregatorClient {
  readonly contract: Contract
  readonly address: string
  createTask(config: TaskConfig): Promise<{ receipt: TransactionReceipt; taskId: bigint }>
  applyForMembership(peerId: string, encryptionKey: Uint8Array, multiaddrs: readonly string[], stake: bigint): Promise<TransactionReceipt>
  admitHospital(applicant: string): Promise<TransactionReceipt>
  /** Publishes new discovery data (e.g. the listen addresses after a restart). */
  updateProfile(peerId: string, encryptionKey: Uint8Array, multiaddrs: readonly string[]): Promise<TransactionReceipt>
  openRound(taskId: bigint): Promise<OpenRoundResult>
  commit(taskId: bigint, round: number, commitment: string): Promise<TransactionReceipt>
  share(parameters: ShareParameters): Promise<TransactionReceipt>
  /** Relays hospitals' signed commitments in one transaction (any account may send it). */
  commitBatch(taskId: bigint, round: number, entries: readonly SignedCommit[]): Promise<TransactionReceipt>
  /** Relays hospitals' signed openings in one transaction. */
  shareBatch(taskId: bigint, round: number, entries: readonly SignedShare[]): Promise<TransactionReceipt>
  submitVerdict(parameters: SubmitVerdictParameters): Promise<TransactionReceipt>
  finalize(taskId: bigint, round: number): Promise<FinalizeResult>
  abortRound(taskId: bigint, round: number): Promise<TransactionReceipt>
  hospital(address: string): Promise<HospitalRecord>
  hospitalAt(index: number): Promise<string>
  roundState(taskId: bigint): Promise<LiveRoundState>
  currentModel(taskId: bigint): Promise<{ sha256: string; cid: string }>
  reputationScore(index: number): Promise<bigint>
  claimable(address: string): Promise<bigint>
  sharedUpdates(taskId: bigint, round: number, fromBlock?: number): Promise<UpdateSharedEvent[]>
}

export interface AggregatorClientInit {
  /** Address of the deployed aggregator. */
  readonly address: string
  /** The account that signs this client's transactions. */
  readonly signer: Signer
  readonly retry?: RetryOptions
}

/** Gas the quorum-completing verdict may need beyond a concurrent estimate (model hash + CID slots). */
const QUORUM_STORAGE_GAS = 150_000n

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}

function bytesToHex32(bytes: Uint8Array): string {
  if (bytes.length !== 32) throw new RangeError(`expected 32 bytes, got ${bytes.length}`)
  return `0x${Buffer.from(bytes).toString('hex')}`
}

/** Builds an {@link AggregatorClient} for `init.signer`'s account. */
export async function createAggregatorClient(init: AggregatorClientInit): Promise<AggregatorClient> {
  const contract = connectAggregator(init.address, init.signer)
  const account = await init.signer.getAddress()
  const call = (name: string) => contract.getFunction(name)

  const send = (action: string, method: string, args: readonly unknown[], headroom?: (estimate: bigint) => bigint): Promise<TransactionReceipt> =>
    sendAndWait({
      action,
      send: async () => {
        const fn = call(method)
        if (headroom === undefined) return (await fn(...args)) as ContractTransactionResponse
        return (await fn(...args, { gasLimit: headroom(await fn.estimateGas(...args)) })) as ContractTransactionResponse
      },
      ...(init.retry === undefined ? {} : { retry: init.retry }),
    })

  return {
    contract,
    address: account,

    async createTask(config) {
      const receipt = await send('create task', 'createTask', [config])
      return { receipt, taskId: eventArgs(contract, receipt, 'TaskCreated')['taskId'] as bigint }
    },

    applyForMembership: (peerId, encryptionKey, multiaddrs, stake) =>
      send('apply for membership', 'applyForMembership', [encodeHospitalProfile({ peerId, encryptionKey: bytesToHex32(encryptionKey), multiaddrs }), stake]),

    admitHospital: (applicant) => send(`admit ${applicant}`, 'admitHospital', [applicant]),

    updateProfile: (peerId, encryptionKey, multiaddrs) =>
      send('update the registry profile', 'updateProfile', [encodeHospitalProfile({ peerId, encryptionKey: bytesToHex32(encryptionKey), multiaddrs })]),

    async openRound(taskId) {
      const receipt = await send(`open a round of task ${taskId}`, 'openRound', [taskId])
      return { receipt, event: toRoundOpened(eventArgs(contract, receipt, 'RoundOpened')) }
    },

    commit: (taskId, round, commitment) => send(`commit to round ${round} of task ${taskId}`, 'commit', [taskId, round, commitment]),

    share: (p) =>
      send(`share the update of round ${p.round} of task ${p.taskId}`, 'share', [p.taskId, p.round, p.updateHash, p.sampleCount, p.salt, p.epsilonSpentWad, p.updateCid]),

    // The verdict that completes the quorum also stores the model and the quality scores, so an
    // estimate taken while other members' verdicts are in flight can fall short: leave headroom
    // for that path (unused gas is not charged).
    commitBatch: (taskId, round, entries) =>
      send(`relay ${entries.length} commitments to round ${round} of task ${taskId}`, 'commitBatch', [taskId, round, entries.map((e) => ({ ...e }))]),

    shareBatch: (taskId, round, entries) =>
      send(`relay ${entries.length} shares of round ${round} of task ${taskId}`, 'shareBatch', [taskId, round, entries.map((e) => ({ ...e }))]),

    submitVerdict: (p) =>
      send(
        `submit the verdict of round ${p.round} of task ${p.taskId}`,
        'submitVerdict',
        [p.taskId, p.round, p.acceptedBitmap, p.modelSha256, p.modelCid, p.qualityScores],
        (estimate) => estimate * 2n + QUORUM_STORAGE_GAS + BigInt(p.qualityScores.length) * 400n,
      ),

    async finalize(taskId, round) {
      const receipt = await send(`finalize round ${round} of task ${taskId}`, 'finalize', [taskId, round])
      return {
        receipt,
        event: toRoundFinalized(eventArgs(contract, receipt, 'RoundFinalized')),
        rewards: toRewardsCredited(eventArgs(contract, receipt, 'RewardsCredited')),
      }
    },

    abortRound: (taskId, round) => send(`abort round ${round} of task ${taskId}`, 'abortRound', [taskId, round]),

    async hospital(address) {
      const [status, index, record] = (await call('hospital')(address)) as [bigint, bigint, { stake: bigint; profile: string }]
      const profile = record.profile === '0x' ? { peerId: '', encryptionKey: `0x${'00'.repeat(32)}`, multiaddrs: [] } : decodeHospitalProfile(record.profile)
      return {
        address,
        status: Number(status),
        index: Number(index),
        peerId: profile.peerId,
        encryptionKey: hexToBytes(profile.encryptionKey),
        multiaddrs: [...profile.multiaddrs],
        stake: record.stake,
      }
    },

    hospitalAt: async (index) => (await call('hospitalAt')(index)) as string,

    async roundState(taskId) {
      const [committed, shared, committee, submitted, quorumKey] = (await call('roundState')(taskId)) as [bigint, bigint, bigint, bigint, string]
      return { committed, shared, committee, submitted, quorumReached: BigInt(quorumKey) !== 0n }
    },

    async currentModel(taskId) {
      const model = (await call('currentModel')(taskId)) as { sha256: string; cid: string }
      return { sha256: model.sha256, cid: model.cid }
    },

    reputationScore: async (index) => ((await call('reputationOf')(index)) as [bigint, bigint, bigint, bigint])[3],

    claimable: async (address) => (await call('claimable')(address)) as bigint,

    async sharedUpdates(taskId, round, fromBlock = 0) {
      const filter = contract.filters['UpdateShared']?.(taskId, round)
      if (filter === undefined) return []
      const logs = await contract.queryFilter(filter, fromBlock)
      return logs.map((log) => toUpdateShared((contract.interface.parseLog(log)?.args.toObject() ?? {}) as Record<string, unknown>))
    },
  }
}
