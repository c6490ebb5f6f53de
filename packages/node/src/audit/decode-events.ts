import { aggregatorInterface, decodeAggregatorLog, type AggregatorEvent, type EventPosition, type UpdateSharedEvent } from '@fedchain/aggregator-contract'
import type { RecordedLog, RecordedTransaction } from '../simulate/run-record.js'
import type { ChainHistory } from './chain-history.js'

/** UpdateShared with what an audit needs to check the opened commitment and the logs lack. */
export interface AuditedShareEvent extends UpdateSharedEvent {
  /** The commitment's salt, from the input of the `share` (or `shareBatch`) transaction; undefined when that transaction is not in the history. */
  readonly salt: string | undefined
}

/** The aggregator events an audit replays, each with where it sits on chain. */
export type AuditEvent = EventPosition & (Exclude<AggregatorEvent, UpdateSharedEvent> | AuditedShareEvent)

/** Names of the events {@link decodeHistory} returns. */
export type AuditEventName = AuditEvent['name']

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

function audited(event: AggregatorEvent, log: RecordedLog, transactions: ReadonlyMap<string, RecordedTransaction>): AuditEvent {
  const at: EventPosition = { blockNumber: log.blockNumber, logIndex: log.logIndex, transactionHash: log.transactionHash }
  if (event.name !== 'UpdateShared') return { ...at, ...event }
  const tx = transactions.get(log.transactionHash.toLowerCase())
  return { ...at, ...event, salt: tx === undefined ? undefined : shareSalt(tx, event.hospital) }
}

/**
 * Decodes a chain history into typed events, in chain order. Logs the ABI does not describe are
 * returned apart, so a report can name them instead of silently skipping them.
 */
export function decodeHistory(history: ChainHistory): { events: AuditEvent[]; undecoded: UndecodedLog[] } {
  const events: AuditEvent[] = []
  const undecoded: UndecodedLog[] = []
  for (const log of history.logs) {
    try {
      const event = decodeAggregatorLog(log)
      if (event !== undefined) events.push(audited(event, log, history.transactions))
    } catch (error) {
      undecoded.push({ log, reason: (error as Error).message })
    }
  }
  return { events, undecoded }
}
