import type { Contract } from 'ethers'
import { decodeHospitalProfile, type HospitalProfile } from './protocol.js'
import type { HospitalStatus } from './types.js'

/** A hospital's registry record, decoded. */
export interface HospitalRecord {
  readonly status: HospitalStatus
  /** Registry index: its bit in every round bitmap (meaningful once admitted). */
  readonly index: number
  readonly stake: bigint
  /** Unix seconds from which an exiting hospital may withdraw (0 when no exit was requested). */
  readonly exitAvailableAt: bigint
  /** Discovery data, or `undefined` when the stored bytes are not a valid profile. */
  readonly profile: HospitalProfile | undefined
}

/** A hospital's stored reputation and the score the next reward split uses. */
export interface ReputationRecord {
  readonly positive: bigint
  readonly negative: bigint
  readonly lastRound: bigint
  readonly score: bigint
}

/** Number of hospitals ever admitted; registry indices run from 0 below it. */
export async function readHospitalCount(aggregator: Contract): Promise<number> {
  return Number(await aggregator.getFunction('hospitalCount')())
}

/** Address of the hospital with registry index `index`. */
export async function readHospitalAt(aggregator: Contract, index: number): Promise<string> {
  return (await aggregator.getFunction('hospitalAt')(index)) as string
}

/** Bitmap (by registry index) of the active hospitals. */
export async function readActiveHospitals(aggregator: Contract): Promise<bigint> {
  return (await aggregator.getFunction('activeHospitals')()) as bigint
}

/**
 * Registry record of `account`. A profile that does not decode reads as none, so that one member's
 * malformed bytes cannot break a node's walk over the whole registry.
 */
export async function readHospital(aggregator: Contract, account: string): Promise<HospitalRecord> {
  const [status, index, record] = (await aggregator.getFunction('hospital')(account)) as [
    bigint,
    bigint,
    { stake: bigint; exitAvailableAt: bigint; profile: string },
  ]
  let profile: HospitalProfile | undefined
  try {
    profile = record.profile === '0x' ? undefined : decodeHospitalProfile(record.profile)
  } catch {
    profile = undefined
  }
  return {
    status: Number(status) as HospitalStatus,
    index: Number(index),
    stake: record.stake,
    exitAvailableAt: record.exitAvailableAt,
    profile,
  }
}

/** Stored reputation of registry index `index`. */
export async function readReputation(aggregator: Contract, index: number): Promise<ReputationRecord> {
  const [positive, negative, lastRound, score] = (await aggregator.getFunction('reputationOf')(index)) as bigint[]
  return { positive: positive!, negative: negative!, lastRound: lastRound!, score: score! }
}

/** Rewards credited to `account` and not yet claimed, token units. */
export async function readClaimable(aggregator: Contract, account: string): Promise<bigint> {
  return (await aggregator.getFunction('claimable')(account)) as bigint
}
