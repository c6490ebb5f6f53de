import { AbiCoder, keccak256 } from 'ethers'
import { BPS, MAX_HOSPITALS } from './constants.js'
import { AggregatorError } from './errors.js'

/** Inputs of a hospital's round commitment. */
export interface CommitmentParameters {
  /** sha256 (or any 32-byte digest) of the update, 0x-prefixed. */
  readonly updateHash: string
  /** Number of local training samples behind the update (uint64). */
  readonly sampleCount: bigint
  /** 32 random bytes, 0x-prefixed; keep them until the share step. */
  readonly salt: string
  /** The hospital's chain address (the commitment is bound to it). */
  readonly hospital: string
  readonly taskId: bigint
  readonly round: bigint
}

/**
 * The commitment the contract expects:
 * keccak256(abi.encode(updateHash, uint64 sampleCount, salt, hospital, taskId, uint32 round)),
 * identical to the contract's `commitmentOf()`.
 */
export function computeCommitment(params: CommitmentParameters): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['bytes32', 'uint64', 'bytes32', 'address', 'uint256', 'uint32'],
      [params.updateHash, params.sampleCount, params.salt, params.hospital, params.taskId, params.round],
    ),
  )
}

/**
 * Bitmap with bit i set for every registry index i in `indices`.
 * @throws AggregatorError `INVALID_INDEX` for an index outside 0..254
 */
export function bitmapOf(indices: Iterable<number>): bigint {
  let bitmap = 0n
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_HOSPITALS) {
      throw new AggregatorError({
        code: 'INVALID_INDEX',
        shortMessage: `registry index ${index} is outside 0..${MAX_HOSPITALS - 1}`,
        details: { index },
      })
    }
    bitmap |= 1n << BigInt(index)
  }
  return bitmap
}

/** Registry indices whose bit is set in `bitmap`, ascending (bit 255, the sentinel, excluded). */
export function indicesOf(bitmap: bigint): number[] {
  const indices: number[] = []
  for (let i = 0; i < MAX_HOSPITALS; i++) if ((bitmap >> BigInt(i)) & 1n) indices.push(i)
  return indices
}

/** Quorum of a committee of `k` members: ⌈2k/3⌉. */
export function quorumOf(k: number): number {
  return Math.ceil((2 * k) / 3)
}

/**
 * Encodes quality scores (basis points, 0..10000) of the accepted participants, given in ascending
 * registry index order, as the contract's compact `bytes`: 2 bytes big-endian each.
 * @throws AggregatorError `INVALID_QUALITY_SCORE` for a score outside 0..10000 or not an integer
 */
export function encodeQualityScores(scores: readonly number[]): string {
  let hex = '0x'
  scores.forEach((score, position) => {
    if (!Number.isInteger(score) || score < 0 || score > Number(BPS)) {
      throw new AggregatorError({
        code: 'INVALID_QUALITY_SCORE',
        shortMessage: `quality score ${score} at position ${position} is not an integer in 0..${BPS}`,
        details: { position, score },
        hint: 'scale scores to basis points (1.0 = 10000) and round them',
      })
    }
    hex += score.toString(16).padStart(4, '0')
  })
  return hex
}

/** Inverse of {@link encodeQualityScores}. */
export function decodeQualityScores(encoded: string): number[] {
  const hex = encoded.startsWith('0x') ? encoded.slice(2) : encoded
  const scores: number[] = []
  for (let i = 0; i + 4 <= hex.length; i += 4) scores.push(Number.parseInt(hex.slice(i, i + 4), 16))
  return scores
}

/** A hospital node's discovery data, as stored on chain in its registry profile. */
export interface HospitalProfile {
  /** libp2p peer id, e.g. `12D3KooW…`. */
  readonly peerId: string
  /** X25519 public key updates are encrypted to, 0x-prefixed 32 bytes. */
  readonly encryptionKey: string
  /** libp2p multiaddrs other nodes dial. */
  readonly multiaddrs: readonly string[]
}

/** Encodes a profile for applyForMembership()/updateProfile(): abi.encode(string, bytes32, string[]). */
export function encodeHospitalProfile(profile: HospitalProfile): string {
  return AbiCoder.defaultAbiCoder().encode(
    ['string', 'bytes32', 'string[]'],
    [profile.peerId, profile.encryptionKey, [...profile.multiaddrs]],
  )
}

/**
 * Decodes a registry profile (from hospital() or the MembershipRequested/ProfileUpdated events).
 * @throws AggregatorError `INVALID_PROFILE` when the bytes are not a profile
 */
export function decodeHospitalProfile(encoded: string): HospitalProfile {
  try {
    const [peerId, encryptionKey, multiaddrs] = AbiCoder.defaultAbiCoder().decode(
      ['string', 'bytes32', 'string[]'],
      encoded,
    ) as unknown as [string, string, string[]]
    return { peerId, encryptionKey, multiaddrs: [...multiaddrs] }
  } catch (cause) {
    throw new AggregatorError({
      code: 'INVALID_PROFILE',
      shortMessage: 'registry profile is not abi.encode(string peerId, bytes32 encryptionKey, string[] multiaddrs)',
      details: { encoded },
      cause,
    })
  }
}
