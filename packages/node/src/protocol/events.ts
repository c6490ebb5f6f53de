import { findReceiptEvent, type AggregatorEventName, type AggregatorEventOf } from '@fedchain/aggregator-contract'
import type { TransactionReceipt } from 'ethers'
import { FedchainError } from '../errors.js'

/** A receipt lacked the event its transaction always emits: wrong contract address or ABI. */
export class MissingEventError extends FedchainError {
  constructor(eventName: string, txHash: string) {
    super('PROTOCOL_MISSING_EVENT', `transaction ${txHash} emitted no ${eventName} event`, {
      details: { eventName, txHash },
      hint: 'check that the configured contract address is a fedchain aggregator of this version',
    })
  }
}

/**
 * The `name` event a transaction of the aggregator at `aggregator` always emits (`RoundOpened` for
 * openRound, …), from its receipt.
 * @throws {MissingEventError} when the receipt lacks it
 */
export function emittedEvent<N extends AggregatorEventName>(receipt: TransactionReceipt, aggregator: string, name: N): AggregatorEventOf<N> {
  const event = findReceiptEvent(receipt, aggregator, name)
  if (event === undefined) throw new MissingEventError(name, receipt.hash)
  return event
}
