import type { Contract, Log, TransactionReceipt } from 'ethers'
import { FedchainError } from '../errors.js'

/** `RoundOpened`: the round's committee (bitmap of registry indices), quorum and deadlines. */
export interface RoundOpenedEvent {
  readonly taskId: bigint
  readonly round: number
  readonly baseModelSha256: string
  readonly committee: bigint
  readonly quorum: number
  readonly commitDeadline: bigint
  readonly shareDeadline: bigint
  readonly verifyDeadline: bigint
}

/** `UpdateShared`: a hospital opened its commitment and published its encrypted update. */
export interface UpdateSharedEvent {
  readonly hospital: string
  readonly updateHash: string
  readonly sampleCount: bigint
  /** Cumulative ε the hospital reports for this task, WAD. */
  readonly epsilonSpent: bigint
  readonly updateCid: string
}

/** `RoundFinalized`: the new model and everyone's outcome as bitmaps. */
export interface RoundFinalizedEvent {
  readonly modelSha256: string
  readonly accepted: bigint
  readonly rejected: bigint
  readonly absent: bigint
  readonly agreeing: bigint
  readonly dissenting: bigint
}

/** `RewardsCredited`: what the round paid. */
export interface RewardsCreditedEvent {
  readonly participantsPaid: bigint
  readonly feePerMember: bigint
  readonly unpaid: bigint
}

/** A receipt lacked the event its transaction always emits: wrong contract address or ABI. */
export class MissingEventError extends FedchainError {
  constructor(eventName: string, txHash: string) {
    super('PROTOCOL_MISSING_EVENT', `transaction ${txHash} emitted no ${eventName} event`, {
      details: { eventName, txHash },
      hint: 'check that the configured contract address is a fedchain aggregator of this version',
    })
  }
}

/** The arguments of the first `eventName` log of `receipt` emitted by `contract`. */
export function eventArgs(contract: Contract, receipt: TransactionReceipt, eventName: string): Record<string, unknown> {
  const args = findEventArgs(contract, receipt.logs, eventName)
  if (args === undefined) throw new MissingEventError(eventName, receipt.hash)
  return args
}

function findEventArgs(contract: Contract, logs: readonly Log[], eventName: string): Record<string, unknown> | undefined {
  const target = contract.target.toString().toLowerCase()
  for (const log of logs) {
    if (log.address.toLowerCase() !== target) continue
    const parsed = contract.interface.parseLog(log)
    if (parsed?.name === eventName) return parsed.args.toObject() as Record<string, unknown>
  }
  return undefined
}

export function toRoundOpened(args: Record<string, unknown>): RoundOpenedEvent {
  return {
    taskId: args['taskId'] as bigint,
    round: Number(args['round']),
    baseModelSha256: args['baseModelSha256'] as string,
    committee: args['committee'] as bigint,
    quorum: Number(args['quorum']),
    commitDeadline: args['commitDeadline'] as bigint,
    shareDeadline: args['shareDeadline'] as bigint,
    verifyDeadline: args['verifyDeadline'] as bigint,
  }
}

export function toUpdateShared(args: Record<string, unknown>): UpdateSharedEvent {
  return {
    hospital: args['hospital'] as string,
    updateHash: args['updateHash'] as string,
    sampleCount: args['sampleCount'] as bigint,
    epsilonSpent: args['epsilonSpent'] as bigint,
    updateCid: args['updateCid'] as string,
  }
}

export function toRoundFinalized(args: Record<string, unknown>): RoundFinalizedEvent {
  return {
    modelSha256: args['modelSha256'] as string,
    accepted: args['accepted'] as bigint,
    rejected: args['rejected'] as bigint,
    absent: args['absent'] as bigint,
    agreeing: args['agreeing'] as bigint,
    dissenting: args['dissenting'] as bigint,
  }
}

export function toRewardsCredited(args: Record<string, unknown>): RewardsCreditedEvent {
  return {
    participantsPaid: args['participantsPaid'] as bigint,
    feePerMember: args['feePerMember'] as bigint,
    unpaid: args['unpaid'] as bigint,
  }
}
