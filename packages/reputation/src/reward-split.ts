/**
 * Reward split of one round, in the integer arithmetic of FIXED_POINT.md ("Reward split of one
 * round"): the contract performs the same operations in the same order, so every share matches
 * to the token unit.
 */
import { BPS_DENOMINATOR, MAX_QUALITY_BPS, UINT256_MAX, WAD } from './constants.js'
import { InvalidArgumentError } from './errors.js'

/** One accepted participant of the round. */
export interface RewardParticipant {
  /** Caller's identifier, returned unchanged with the share (e.g. the hospital index). */
  readonly id: string
  /** Reputation score (WAD, in [0, 1e18]) read before this round's reputation update. */
  readonly score: bigint
  /** Quality of the finalized submission in basis points, an integer in [0, 10000]. */
  readonly qualityBps: number
}

/** Input of {@link splitReward}. */
export interface SplitRewardParameters {
  /** Reward pool of the round, in token units (uint256). */
  readonly pool: bigint
  /** Fraction of the pool paid to the committee, in basis points, an integer in [0, 10000]. */
  readonly committeeFeeBps: number
  /** Number m ≥ 1 of committee members who agreed with the quorum. */
  readonly committeeMembers: number
  /**
   * Accepted participants in ascending hospital index (the contract's registry index, i.e. the
   * order of the bits in the accepted bitmap). The rounding dust goes to the first one.
   */
  readonly participants: readonly RewardParticipant[]
}

/** The payout of one participant. */
export interface ParticipantShare {
  readonly id: string
  /** `score · quality / 10000` (WAD). */
  readonly weight: bigint
  /** Tokens credited, dust included for the first participant. */
  readonly share: bigint
}

/** Output of {@link splitReward}. Conservation: `Σ share + committeePaid + refundable = pool`. */
export interface SplitRewardReturnType {
  /** One entry per participant, in input order. */
  readonly shares: readonly ParticipantShare[]
  /** Tokens credited to each agreeing committee member. */
  readonly feePerMember: bigint
  /** `feePerMember · m` (≤ the nominal fee: its own rounding dust goes to the participants). */
  readonly committeePaid: bigint
  /** `pool − committeePaid`. */
  readonly participantPool: bigint
  /** `Σ weight`. */
  readonly totalWeight: bigint
  /** Rounding remainder added to the first participant's share (0 when nobody was accepted). */
  readonly dust: bigint
  /** Left to the task owner: `participantPool` when nobody was accepted, else 0. */
  readonly refundable: bigint
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(name, `must be an integer in [${min}, ${max}], got ${String(value)}`)
  }
}

/**
 * Splits a round's pool between the agreeing committee members and the accepted participants,
 * proportionally to `score × quality`, exactly as the contract does.
 *
 * @throws {@link InvalidArgumentError} when an input is outside the contract's domain (negative or
 *   > uint256 pool, fee outside [0, 10000] bps, m < 1, score outside [0, 1e18], quality outside
 *   [0, 10000]).
 * @example
 * ```ts
 * splitReward({
 *   pool: 1000n, committeeFeeBps: 1000, committeeMembers: 3,
 *   participants: [{ id: '0', score: WAD, qualityBps: 10000 }, { id: '4', score: WAD / 2n, qualityBps: 10000 }],
 * })
 * // feePerMember 33n, committeePaid 99n, shares 601n (600 + dust 1) and 300n
 * ```
 */
export function splitReward(params: SplitRewardParameters): SplitRewardReturnType {
  const { pool, committeeFeeBps, committeeMembers, participants } = params
  if (typeof pool !== 'bigint' || pool < 0n || pool > UINT256_MAX) {
    throw new InvalidArgumentError('pool', `must be a bigint in [0, 2^256 − 1], got ${String(pool)}`)
  }
  requireInteger('committeeFeeBps', committeeFeeBps, 0, Number(BPS_DENOMINATOR))
  requireInteger('committeeMembers', committeeMembers, 1, Number.MAX_SAFE_INTEGER)
  const feeBps = BigInt(committeeFeeBps)
  if (pool * feeBps > UINT256_MAX) {
    throw new InvalidArgumentError('pool', 'pool × committeeFeeBps overflows uint256', 'The contract would revert; use a smaller pool.')
  }
  participants.forEach((p, i) => {
    if (typeof p.score !== 'bigint' || p.score < 0n || p.score > WAD) {
      throw new InvalidArgumentError(`participants[${i}].score`, `must be a WAD bigint in [0, 1e18], got ${String(p.score)}`)
    }
    requireInteger(`participants[${i}].qualityBps`, p.qualityBps, 0, MAX_QUALITY_BPS)
  })

  const m = BigInt(committeeMembers)
  const feePerMember = (pool * feeBps) / BPS_DENOMINATOR / m
  const committeePaid = feePerMember * m
  const participantPool = pool - committeePaid

  if (participants.length === 0) {
    return { shares: [], feePerMember, committeePaid, participantPool, totalWeight: 0n, dust: 0n, refundable: participantPool }
  }

  const weights = participants.map((p) => (p.score * BigInt(p.qualityBps)) / BPS_DENOMINATOR)
  const totalWeight = weights.reduce((a, b) => a + b, 0n)
  const count = BigInt(participants.length)
  // Exact floor(a·b/c); the contract uses a full-precision mulDiv so this never overflows there.
  const amounts = weights.map((w) => (totalWeight > 0n ? (participantPool * w) / totalWeight : participantPool / count))
  const dust = participantPool - amounts.reduce((a, b) => a + b, 0n)
  const shares = participants.map((p, i) => ({
    id: p.id,
    weight: weights[i] ?? 0n,
    share: (amounts[i] ?? 0n) + (i === 0 ? dust : 0n),
  }))
  return { shares, feePerMember, committeePaid, participantPool, totalWeight, dust, refundable: 0n }
}
