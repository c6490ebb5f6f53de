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
  type LiveRoundState,
  type OpenRoundResult,
  type ShareParameters,
  type SubmitVerdictParameters,
} from './aggregator-client.js'
export { MissingEventError, type RewardsCreditedEvent, type RoundFinalizedEvent, type RoundOpenedEvent, type UpdateSharedEvent } from './events.js'
export {
  createProtocolParticipant,
  epsilonToWad,
  sha256Hex,
  type OpenedUpdate,
  type ProtocolParticipant,
  type ProtocolParticipantInit,
  type UnopenedUpdate,
} from './participant.js'
