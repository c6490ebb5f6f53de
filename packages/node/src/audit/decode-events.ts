import { aggregatorContractAbi } from '@fedchain/aggregator-contract'
import { getAddress, Interface } from 'ethers'
import type { RecordedLog, RecordedTransaction } from '../simulate/run-record.js'
import type { ChainHistory } from './chain-history.js'

/** Where an event sits on chain. */
export interface EventPosition {
  readonly blockNumber: number
  readonly logIndex: number
  readonly transactionHash: string
}

/** Reputation parameters as the contract emits them (WAD). */
export interface ReputationParamsEvent {
  readonly decay: bigint
  readonly weightAccepted: bigint
  readonly weightRejected: bigint
  readonly weightAbsent: bigint
  readonly weightDisagreement: bigint
  readonly priorWeight: bigint
  readonly baseRate: bigint
}

/** The aggregator events an audit replays, decoded with the contract's ABI. Addresses are checksummed. */
export type AggregatorEvent = EventPosition &
  (
    | { readonly name: 'HospitalAdmitted'; readonly account: string; readonly index: number }
    | ({ readonly name: 'ReputationParamsUpdated' } & ReputationParamsEvent)
    | { readonly name: 'TaskCreated'; readonly taskId: bigint; readonly owner: string; readonly modelSpecCid: string; readonly modelSpecSha256: string; readonly escrow: bigint }
    | {
        readonly name: 'RoundOpened'
        readonly taskId: bigint
        readonly round: number
        readonly baseModelSha256: string
        readonly committee: bigint
        readonly quorum: number
      }
    | { readonly name: 'UpdateCommitted'; readonly taskId: bigint; readonly round: number; readonly hospital: string; readonly commitment: string }
    | {
        readonly name: 'UpdateShared'
        readonly taskId: bigint
        readonly round: number
        readonly hospital: string
        readonly updateHash: string
        readonly sampleCount: bigint
        /** Cumulative ε reported by the hospital, WAD. */
        readonly epsilonSpent: bigint
        readonly updateCid: string
        /** The commitment's salt, from the input of the `share` (or `shareBatch`) transaction; undefined when that transaction is not in the history. */
        readonly salt: string | undefined
      }
    | {
        readonly name: 'VerdictSubmitted'
        readonly taskId: bigint
        readonly round: number
        readonly member: string
        readonly acceptedBitmap: bigint
        readonly modelSha256: string
        readonly modelCid: string
        readonly qualityScores: string
      }
    | { readonly name: 'QuorumReached'; readonly taskId: bigint; readonly round: number; readonly acceptedBitmap: bigint; readonly modelSha256: string }
    | {
        readonly name: 'RoundFinalized'
        readonly taskId: bigint
        readonly round: number
        readonly modelSha256: string
        readonly accepted: bigint
        readonly rejected: bigint
        readonly absent: bigint
        readonly agreeing: bigint
        readonly dissenting: bigint
        readonly reputationRound: bigint
      }
    | { readonly name: 'RewardsCredited'; readonly taskId: bigint; readonly round: number; readonly participantsPaid: bigint; readonly feePerMember: bigint; readonly unpaid: bigint }
    | { readonly name: 'RoundAborted'; readonly taskId: bigint; readonly round: number }
    | { readonly name: 'TaskCompleted'; readonly taskId: bigint; readonly modelSha256: string }
    | { readonly name: 'RewardClaimed'; readonly hospital: string; readonly amount: bigint }
    | { readonly name: 'StakeSlashed'; readonly account: string; readonly taskId: bigint; readonly round: number; readonly amount: bigint }
  )

/** Names of the events {@link decodeHistory} returns. */
export type AggregatorEventName = AggregatorEvent['name']

/**
 * `shareBatch` (relayed shares, each signed by its hospital), for contract builds whose exported ABI
 * predates it; the selector and the struct layout are the contract's.
 */
const SHARE_BATCH_FRAGMENT =
  'function shareBatch(uint256 taskId, uint32 round, (address hospital, bytes32 updateHash, uint64 sampleCount, bytes32 salt, uint256 epsilonSpent, string updateCid, bytes32 r, bytes32 vs)[] entries)'

const hasShareBatch = (aggregatorContractAbi as readonly { type?: string; name?: string }[]).some((f) => f.type === 'function' && f.name === 'shareBatch')

/** The aggregator's ABI as an ethers Interface (events and functions). */
export const aggregatorInterface = new Interface(hasShareBatch ? aggregatorContractAbi : [...aggregatorContractAbi, SHARE_BATCH_FRAGMENT])

/** A log the ABI does not describe: wrong contract, or a contract of another version. */
export interface UndecodedLog {
  readonly log: RecordedLog
  readonly reason: string
}

/**
 * The salt `hospital` opened its commitment with, from the input of the transaction that emitted its
 * UpdateShared: a `share(taskId, round, updateHash, sampleCount, salt, ε, cid)` it sent itself, or
 * its entry of a relayed `shareBatch`. Undefined for any other call.
 */
export function shareSalt(transaction: RecordedTransaction, hospital: string = transaction.from): string | undefined {
  try {
    const call = aggregatorInterface.parseTransaction({ data: transaction.input })
    if (call?.name === 'share') return call.args[4] as string
    if (call?.name === 'shareBatch') {
      const entries = call.args[2] as readonly { hospital: string; salt: string }[]
      return entries.find((e) => e.hospital.toLowerCase() === hospital.toLowerCase())?.salt
    }
    return undefined
  } catch {
    return undefined
  }
}

function decodeOne(log: RecordedLog, transactions: ReadonlyMap<string, RecordedTransaction>): AggregatorEvent | undefined {
  const parsed = aggregatorInterface.parseLog({ topics: [...log.topics], data: log.data })
  if (parsed === null) throw new Error('no event of the aggregator ABI has this signature')
  const a = parsed.args.toObject() as Record<string, unknown>
  const at: EventPosition = { blockNumber: log.blockNumber, logIndex: log.logIndex, transactionHash: log.transactionHash }
  const round = Number(a['round'])
  const taskId = a['taskId'] as bigint
  switch (parsed.name) {
    case 'HospitalAdmitted':
      return { ...at, name: 'HospitalAdmitted', account: getAddress(a['account'] as string), index: Number(a['index']) }
    case 'ReputationParamsUpdated':
      return {
        ...at,
        name: 'ReputationParamsUpdated',
        decay: a['decay'] as bigint,
        weightAccepted: a['weightAccepted'] as bigint,
        weightRejected: a['weightRejected'] as bigint,
        weightAbsent: a['weightAbsent'] as bigint,
        weightDisagreement: a['weightDisagreement'] as bigint,
        priorWeight: a['priorWeight'] as bigint,
        baseRate: a['baseRate'] as bigint,
      }
    case 'TaskCreated':
      return { ...at, name: 'TaskCreated', taskId, owner: getAddress(a['owner'] as string), modelSpecCid: a['modelSpecCid'] as string, modelSpecSha256: a['modelSpecSha256'] as string, escrow: a['escrow'] as bigint }
    case 'RoundOpened':
      return { ...at, name: 'RoundOpened', taskId, round, baseModelSha256: a['baseModelSha256'] as string, committee: a['committee'] as bigint, quorum: Number(a['quorum']) }
    case 'UpdateCommitted':
      return { ...at, name: 'UpdateCommitted', taskId, round, hospital: getAddress(a['hospital'] as string), commitment: a['commitment'] as string }
    case 'UpdateShared': {
      const tx = transactions.get(log.transactionHash.toLowerCase())
      return {
        ...at,
        name: 'UpdateShared',
        taskId,
        round,
        hospital: getAddress(a['hospital'] as string),
        updateHash: a['updateHash'] as string,
        sampleCount: a['sampleCount'] as bigint,
        epsilonSpent: a['epsilonSpent'] as bigint,
        updateCid: a['updateCid'] as string,
        salt: tx === undefined ? undefined : shareSalt(tx, a['hospital'] as string),
      }
    }
    case 'VerdictSubmitted':
      return {
        ...at,
        name: 'VerdictSubmitted',
        taskId,
        round,
        member: getAddress(a['member'] as string),
        acceptedBitmap: a['acceptedBitmap'] as bigint,
        modelSha256: a['modelSha256'] as string,
        modelCid: a['modelCid'] as string,
        qualityScores: a['qualityScores'] as string,
      }
    case 'QuorumReached':
      return { ...at, name: 'QuorumReached', taskId, round, acceptedBitmap: a['acceptedBitmap'] as bigint, modelSha256: a['modelSha256'] as string }
    case 'RoundFinalized':
      return {
        ...at,
        name: 'RoundFinalized',
        taskId,
        round,
        modelSha256: a['modelSha256'] as string,
        accepted: a['accepted'] as bigint,
        rejected: a['rejected'] as bigint,
        absent: a['absent'] as bigint,
        agreeing: a['agreeing'] as bigint,
        dissenting: a['dissenting'] as bigint,
        reputationRound: a['reputationRound'] as bigint,
      }
    case 'RewardsCredited':
      return { ...at, name: 'RewardsCredited', taskId, round, participantsPaid: a['participantsPaid'] as bigint, feePerMember: a['feePerMember'] as bigint, unpaid: a['unpaid'] as bigint }
    case 'RoundAborted':
      return { ...at, name: 'RoundAborted', taskId, round }
    case 'TaskCompleted':
      return { ...at, name: 'TaskCompleted', taskId, modelSha256: a['modelSha256'] as string }
    case 'RewardClaimed':
      return { ...at, name: 'RewardClaimed', hospital: getAddress(a['hospital'] as string), amount: a['amount'] as bigint }
    case 'StakeSlashed':
      return { ...at, name: 'StakeSlashed', account: getAddress(a['account'] as string), taskId, round, amount: a['amount'] as bigint }
    default:
      // Registry, stake and governance events do not enter the audit.
      return undefined
  }
}

/**
 * Decodes a chain history into typed events, in chain order. Logs the ABI does not describe are
 * returned apart, so a report can name them instead of silently skipping them.
 */
export function decodeHistory(history: ChainHistory): { events: AggregatorEvent[]; undecoded: UndecodedLog[] } {
  const events: AggregatorEvent[] = []
  const undecoded: UndecodedLog[] = []
  for (const log of history.logs) {
    try {
      const event = decodeOne(log, history.transactions)
      if (event !== undefined) events.push(event)
    } catch (error) {
      undecoded.push({ log, reason: (error as Error).message })
    }
  }
  return { events, undecoded }
}
