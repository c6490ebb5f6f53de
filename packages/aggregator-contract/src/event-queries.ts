import type { Contract, Log } from 'ethers'
import { aggregatorInterface, decodeAggregatorLog } from './event-decoder.js'
import type { AggregatorEventName, AggregatorEventOf, EventPosition, RoundAbortedEvent, RoundFinalizedEvent, RoundOpenedEvent, UpdateSharedEvent } from './events.js'

/** How a round ended on chain: its RoundFinalized or RoundAborted event and the transaction that emitted it. */
export type RoundOutcome =
  | { readonly outcome: 'finalized'; readonly txHash: string; readonly event: RoundFinalizedEvent }
  | { readonly outcome: 'aborted'; readonly txHash: string; readonly event: RoundAbortedEvent }

/**
 * The first `name` event that the aggregator at address `aggregator` emitted in a transaction. Logs
 * of other contracts in the same receipt (the token's transfers) are skipped.
 * @returns The event, or `undefined` when the transaction emitted none (a wrong address, or a contract of another version).
 */
export function findReceiptEvent<N extends AggregatorEventName>(
  receipt: { readonly logs: readonly Log[] },
  aggregator: string,
  name: N,
): AggregatorEventOf<N> | undefined {
  const topic = aggregatorInterface.getEvent(name)?.topicHash
  const target = aggregator.toLowerCase()
  const log = receipt.logs.find((l) => l.address.toLowerCase() === target && l.topics[0] === topic)
  return log === undefined ? undefined : (decodeAggregatorLog(log) as AggregatorEventOf<N>)
}

/** The events that carry `(taskId, round)` as their first two indexed arguments, so the node filters them on chain. */
type RoundEventName = 'RoundOpened' | 'UpdateShared' | 'RoundFinalized' | 'RoundAborted'

/** The `name` events of one round since `fromBlock`, in chain order. */
async function roundEvents<N extends RoundEventName>(
  aggregator: Contract,
  name: N,
  taskId: bigint,
  round: number,
  fromBlock: number,
): Promise<(AggregatorEventOf<N> & EventPosition)[]> {
  const logs = await aggregator.queryFilter(aggregator.getEvent(name)(taskId, round), fromBlock)
  return logs.map((log) => ({
    ...(decodeAggregatorLog(log) as AggregatorEventOf<N>),
    blockNumber: log.blockNumber,
    logIndex: log.index,
    transactionHash: log.transactionHash,
  }))
}

/**
 * The RoundOpened event of `round` (deadlines, committee), or undefined when the round was never opened.
 * @param fromBlock First block searched; the default scans from genesis, a block at or before the round's opening spares that.
 */
export async function findRoundOpened(aggregator: Contract, taskId: bigint, round: number, fromBlock = 0): Promise<(RoundOpenedEvent & EventPosition) | undefined> {
  return (await roundEvents(aggregator, 'RoundOpened', taskId, round, fromBlock)).at(-1)
}

/**
 * The updates hospitals shared in `round`, in chain order: what the committee fetches and opens.
 * @param fromBlock As for {@link findRoundOpened}: the block the round opened in spares a scan from genesis.
 */
export function findSharedUpdates(aggregator: Contract, taskId: bigint, round: number, fromBlock = 0): Promise<(UpdateSharedEvent & EventPosition)[]> {
  return roundEvents(aggregator, 'UpdateShared', taskId, round, fromBlock)
}

/**
 * How `round` ended on chain; undefined while it is open.
 * @param fromBlock As for {@link findRoundOpened}: the block the round opened in spares a scan from genesis.
 */
export async function findRoundOutcome(aggregator: Contract, taskId: bigint, round: number, fromBlock = 0): Promise<RoundOutcome | undefined> {
  const finalized = (await roundEvents(aggregator, 'RoundFinalized', taskId, round, fromBlock)).at(-1)
  if (finalized !== undefined) return { outcome: 'finalized', txHash: finalized.transactionHash, event: finalized }
  const aborted = (await roundEvents(aggregator, 'RoundAborted', taskId, round, fromBlock)).at(-1)
  if (aborted !== undefined) return { outcome: 'aborted', txHash: aborted.transactionHash, event: aborted }
  return undefined
}
