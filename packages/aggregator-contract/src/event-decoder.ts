import { Interface } from 'ethers'
import { AggregatorError } from './errors.js'
import type { AggregatorEvent, AggregatorEventName } from './events.js'
import { aggregatorContractAbi } from './generated/artifacts.js'

/** The aggregator's ABI as an ethers Interface: decodes its logs and the input of its transactions. */
export const aggregatorInterface = new Interface(aggregatorContractAbi)

/** The events {@link decodeAggregatorLog} returns; a Record so that the union and this list cannot drift apart. */
const DECODED_EVENTS: Readonly<Record<AggregatorEventName, true>> = {
  HospitalAdmitted: true,
  ReputationParamsUpdated: true,
  TaskCreated: true,
  RoundOpened: true,
  UpdateCommitted: true,
  UpdateShared: true,
  VerdictSubmitted: true,
  QuorumReached: true,
  RoundFinalized: true,
  RewardsCredited: true,
  RoundAborted: true,
  TaskCompleted: true,
  RewardClaimed: true,
  StakeSlashed: true,
}

/** Arguments callers count and index with, so they get numbers (rounds, quorums and registry indices are small). */
const NUMBER_ARGUMENTS = ['round', 'quorum', 'index'] as const

/**
 * Decodes one log of the aggregator into its typed event. ethers already gives every argument the
 * type {@link AggregatorEvent} declares (bigint integers, checksummed addresses, hex bytes) except
 * the few small integers converted here.
 * @param log A receipt's, `eth_getLogs`' or a recorded log: only its topics and data are read.
 * @returns The event, or `undefined` for an aggregator event outside {@link AggregatorEvent} (registry bookkeeping, stake, governance).
 * @throws AggregatorError `UNKNOWN_EVENT` when no event of the aggregator's ABI has the log's signature (another contract, or another version of this one)
 * @throws the ethers decoding error when the log's data does not fit its event's signature
 */
export function decodeAggregatorLog(log: { readonly topics: readonly string[]; readonly data: string }): AggregatorEvent | undefined {
  const parsed = aggregatorInterface.parseLog(log)
  if (parsed === null) {
    throw new AggregatorError({ code: 'UNKNOWN_EVENT', shortMessage: 'no event of the aggregator ABI has this signature', details: { topic: log.topics[0] } })
  }
  if (!Object.hasOwn(DECODED_EVENTS, parsed.name)) return undefined
  const event: Record<string, unknown> = { name: parsed.name, ...parsed.args.toObject() }
  for (const key of NUMBER_ARGUMENTS) if (key in event) event[key] = Number(event[key])
  return event as unknown as AggregatorEvent
}
