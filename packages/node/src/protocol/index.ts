/**
 * @packageDocumentation
 * One hospital's side of the round protocol over the aggregator contract: a typed contract client
 * and the crash-safe participant (commit → share → open others' updates on the committee).
 */
export {
  createAggregatorClient,
  type AggregatorClient,
  type AggregatorClientInit,
  type FinalizeResult,
  type HospitalRecord,
  type OpenRoundResult,
  type ShareParameters,
  type SubmitVerdictParameters,
} from './aggregator-client.js'
export { MissingEventError } from './events.js'
export type { RewardsCreditedEvent, RoundFinalizedEvent, RoundOpenedEvent, UpdateSharedEvent } from '@fedchain/aggregator-contract'
export {
  createProtocolParticipant,
  epsilonToWad,
  sha256Hex,
  type OpenedUpdate,
  type ProtocolParticipant,
  type ProtocolParticipantInit,
  type UnopenedUpdate,
} from './participant.js'
