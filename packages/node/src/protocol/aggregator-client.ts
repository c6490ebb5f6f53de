import {
  connectAggregator,
  encodeHospitalProfile,
  findSharedUpdates,
  readClaimable,
  readCurrentModel,
  readHospital,
  readHospitalAt,
  readReputation,
  readRoundState,
  type EventPosition,
  type HospitalRecord as RegistryRecord,
  type RewardsCreditedEvent,
  type RoundFinalizedEvent,
  type RoundOpenedEvent,
  type RoundState,
  type SignedCommit,
  type SignedShare,
  type TaskConfig,
  type UpdateSharedEvent,
} from '@fedchain/aggregator-contract'
import { getBytes, ZeroHash, type Contract, type ContractTransactionResponse, type Signer, type TransactionReceipt } from 'ethers'
import { sendAndWait } from '../chain/send.js'
import type { RetryOptions } from '../chain/retry.js'
import { emittedEvent } from './events.js'

/**
 * A hospital's on-chain registry entry with its discovery data flattened, as the node dials and
 * encrypts to it. A hospital without a valid stored profile has an empty peer id, no multiaddrs and
 * an all-zero key.
 */
export interface HospitalRecord extends Omit<RegistryRecord, 'profile'> {
  readonly address: string
  readonly peerId: string
  /** Raw X25519 public key, 32 bytes. */
  readonly encryptionKey: Uint8Array
  readonly multiaddrs: readonly string[]
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
  roundState(taskId: bigint): Promise<RoundState>
  currentModel(taskId: bigint): Promise<{ sha256: string; cid: string }>
  reputationScore(index: number): Promise<bigint>
  claimable(address: string): Promise<bigint>
  sharedUpdates(taskId: bigint, round: number, fromBlock?: number): Promise<(UpdateSharedEvent & EventPosition)[]>
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

function bytesToHex32(bytes: Uint8Array): string {
  if (bytes.length !== 32) throw new RangeError(`expected 32 bytes, got ${bytes.length}`)
  return `0x${Buffer.from(bytes).toString('hex')}`
}

/** Builds an {@link AggregatorClient} for `init.signer`'s account. */
export async function createAggregatorClient(init: AggregatorClientInit): Promise<AggregatorClient> {
  const contract = connectAggregator(init.address, init.signer)
  const account = await init.signer.getAddress()

  const send = (action: string, method: string, args: readonly unknown[], headroom?: (estimate: bigint) => bigint): Promise<TransactionReceipt> =>
    sendAndWait({
      action,
      send: async () => {
        const fn = contract.getFunction(method)
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
      return { receipt, taskId: emittedEvent(receipt, init.address, 'TaskCreated').taskId }
    },

    applyForMembership: (peerId, encryptionKey, multiaddrs, stake) =>
      send('apply for membership', 'applyForMembership', [encodeHospitalProfile({ peerId, encryptionKey: bytesToHex32(encryptionKey), multiaddrs }), stake]),

    admitHospital: (applicant) => send(`admit ${applicant}`, 'admitHospital', [applicant]),

    updateProfile: (peerId, encryptionKey, multiaddrs) =>
      send('update the registry profile', 'updateProfile', [encodeHospitalProfile({ peerId, encryptionKey: bytesToHex32(encryptionKey), multiaddrs })]),

    async openRound(taskId) {
      const receipt = await send(`open a round of task ${taskId}`, 'openRound', [taskId])
      return { receipt, event: emittedEvent(receipt, init.address, 'RoundOpened') }
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
        event: emittedEvent(receipt, init.address, 'RoundFinalized'),
        rewards: emittedEvent(receipt, init.address, 'RewardsCredited'),
      }
    },

    abortRound: (taskId, round) => send(`abort round ${round} of task ${taskId}`, 'abortRound', [taskId, round]),

    async hospital(address) {
      const { profile, ...record } = await readHospital(contract, address)
      return {
        ...record,
        address,
        peerId: profile?.peerId ?? '',
        encryptionKey: getBytes(profile?.encryptionKey ?? ZeroHash),
        multiaddrs: profile?.multiaddrs ?? [],
      }
    },

    hospitalAt: (index) => readHospitalAt(contract, index),
    roundState: (taskId) => readRoundState(contract, taskId),
    currentModel: (taskId) => readCurrentModel(contract, taskId),
    reputationScore: async (index) => (await readReputation(contract, index)).score,
    claimable: (address) => readClaimable(contract, address),
    sharedUpdates: (taskId, round, fromBlock) => findSharedUpdates(contract, taskId, round, fromBlock),
  }
}
