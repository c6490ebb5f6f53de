import type { Contract } from 'ethers'
import { toRoundOpened, type RoundOpenedEvent } from '../protocol/events.js'

/** Task lifecycle as the contract encodes it. */
export const TASK_STATUS = ['none', 'ready', 'round-open', 'completed', 'closed'] as const
export type TaskStatus = (typeof TASK_STATUS)[number]

/** Hospital registry status as the contract encodes it. */
export const HOSPITAL_STATUS = ['none', 'pending', 'active', 'suspended', 'exiting', 'exited'] as const

/** A task's schedule: its current round and phase durations (seconds). */
export interface TaskSchedule {
  readonly round: number
  readonly openedAt: number
  readonly commitDuration: number
  readonly shareDuration: number
  readonly verifyDuration: number
  readonly status: TaskStatus
  readonly minParticipants: number
  readonly finalizedRounds: number
}

/** The parts of a task's terms a node acts on. */
export interface TaskTerms {
  readonly owner: string
  readonly totalRounds: number
  readonly dpEpsilonWad: bigint
  readonly dpDeltaWad: bigint
  readonly dataSchemaHash: string
}

/** A RoundOpened event with the block it was mined in. */
export interface OpenedRound extends RoundOpenedEvent {
  readonly blockNumber: number
}

export async function readTaskSchedule(contract: Contract, taskId: bigint): Promise<TaskSchedule> {
  const s = (await contract.getFunction('taskSchedule')(taskId)) as Record<string, bigint>
  return {
    round: Number(s['round']),
    openedAt: Number(s['openedAt']),
    commitDuration: Number(s['commitDuration']),
    shareDuration: Number(s['shareDuration']),
    verifyDuration: Number(s['verifyDuration']),
    status: TASK_STATUS[Number(s['status'])] ?? 'none',
    minParticipants: Number(s['minParticipants']),
    finalizedRounds: Number(s['finalizedRounds']),
  }
}

export async function readTaskTerms(contract: Contract, taskId: bigint): Promise<TaskTerms> {
  const t = (await contract.getFunction('taskTerms')(taskId)) as Record<string, unknown>
  return {
    owner: t['owner'] as string,
    totalRounds: Number(t['totalRounds']),
    dpEpsilonWad: t['dpEpsilon'] as bigint,
    dpDeltaWad: t['dpDelta'] as bigint,
    dataSchemaHash: t['dataSchemaHash'] as string,
  }
}

/** The RoundOpened event of `round`, or undefined when the round was never opened. */
export async function findRoundOpened(contract: Contract, taskId: bigint, round: number, fromBlock = 0): Promise<OpenedRound | undefined> {
  const filter = contract.filters['RoundOpened']?.(taskId, round)
  if (filter === undefined) return undefined
  const logs = await contract.queryFilter(filter, fromBlock)
  const log = logs.at(-1)
  if (log === undefined) return undefined
  const parsed = contract.interface.parseLog(log)
  if (parsed === null) return undefined
  return { ...toRoundOpened(parsed.args.toObject() as Record<string, unknown>), blockNumber: log.blockNumber }
}

/** How a round ended on chain, with the transaction that ended it; undefined while it is open. */
export async function findRoundOutcome(contract: Contract, taskId: bigint, round: number, fromBlock = 0): Promise<{ outcome: 'finalized' | 'aborted'; txHash: string; modelSha256?: string } | undefined> {
  const finalized = contract.filters['RoundFinalized']?.(taskId, round)
  if (finalized !== undefined) {
    const log = (await contract.queryFilter(finalized, fromBlock)).at(-1)
    if (log !== undefined) {
      const parsed = contract.interface.parseLog(log)
      return { outcome: 'finalized', txHash: log.transactionHash, modelSha256: parsed?.args.getValue('modelSha256') as string }
    }
  }
  const aborted = contract.filters['RoundAborted']?.(taskId, round)
  if (aborted !== undefined) {
    const log = (await contract.queryFilter(aborted, fromBlock)).at(-1)
    if (log !== undefined) return { outcome: 'aborted', txHash: log.transactionHash }
  }
  return undefined
}

/** Bitmap (by registry index) of the active hospitals. */
export async function readActiveBits(contract: Contract): Promise<bigint> {
  return (await contract.getFunction('activeHospitals')()) as bigint
}

export async function readTaskCount(contract: Contract): Promise<number> {
  return Number(await contract.getFunction('taskCount')())
}

/** Number of set bits. */
export function popcount(bits: bigint): number {
  let n = 0
  for (let b = bits; b > 0n; b >>= 1n) if ((b & 1n) === 1n) n++
  return n
}
