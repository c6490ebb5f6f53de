/**
 * Builds the JSON test vectors shared with the contract (`vectors/*.json`): hand-picked edge cases
 * plus seeded random cases, computed by this package. `scripts/generate-vectors.ts` writes them and
 * a test checks the committed files equal a fresh computation, so TypeScript, the files and the
 * contract cannot drift apart. All bigints are decimal strings.
 */
import { UINT256_MAX, UINT64_MAX, WAD } from './constants.js'
import { DEFAULT_REPUTATION_PARAMETERS, type ReputationParameters } from './parameters.js'
import { createSeededRandom, type SeededRandom } from './random.js'
import { splitReward, type RewardParticipant } from './reward-split.js'
import {
  REPUTATION_EVENTS,
  applyEvent,
  initialReputationState,
  opinion,
  type ReputationEvent,
} from './subjective-logic.js'

/** Version of the vector file format; bumped on any incompatible change. */
export const VECTOR_FORMAT_VERSION = 1

type Decimal = string

/** One reputation sequence of `vectors/reputation.json`. */
export interface ReputationVector {
  readonly name: string
  readonly params: Record<keyof ReputationParameters, Decimal>
  readonly steps: readonly { readonly round: Decimal; readonly event: ReputationEvent }[]
  readonly expected: {
    readonly positive: Decimal
    readonly negative: Decimal
    readonly lastRound: Decimal
    readonly belief: Decimal
    readonly disbelief: Decimal
    readonly uncertainty: Decimal
    readonly score: Decimal
  }
}

/** Content of `vectors/reputation.json`. */
export interface ReputationVectorFile {
  readonly version: number
  readonly description: string
  readonly sequences: readonly ReputationVector[]
}

/** One case of `vectors/reward-split.json`. */
export interface RewardSplitVector {
  readonly name: string
  readonly input: {
    readonly pool: Decimal
    readonly committeeFeeBps: Decimal
    readonly committeeMembers: Decimal
    readonly participants: readonly { readonly id: Decimal; readonly score: Decimal; readonly qualityBps: Decimal }[]
  }
  readonly expected: {
    readonly feePerMember: Decimal
    readonly committeePaid: Decimal
    readonly participantPool: Decimal
    readonly totalWeight: Decimal
    readonly dust: Decimal
    readonly refundable: Decimal
    readonly shares: readonly { readonly id: Decimal; readonly weight: Decimal; readonly share: Decimal }[]
  }
}

/** Content of `vectors/reward-split.json`. */
export interface RewardSplitVectorFile {
  readonly version: number
  readonly description: string
  readonly cases: readonly RewardSplitVector[]
}

interface Step {
  readonly round: bigint
  readonly event: ReputationEvent
}

function reputationVector(name: string, params: ReputationParameters, steps: readonly Step[]): ReputationVector {
  let state = initialReputationState()
  for (const step of steps) state = applyEvent(state, step.event, step.round, params)
  const o = opinion(state, params)
  return {
    name,
    params: {
      decay: params.decay.toString(),
      weightAccepted: params.weightAccepted.toString(),
      weightRejected: params.weightRejected.toString(),
      weightAbsent: params.weightAbsent.toString(),
      weightDisagreement: params.weightDisagreement.toString(),
      priorWeight: params.priorWeight.toString(),
      baseRate: params.baseRate.toString(),
    },
    steps: steps.map((s) => ({ round: s.round.toString(), event: s.event })),
    expected: {
      positive: state.positive.toString(),
      negative: state.negative.toString(),
      lastRound: state.lastRound.toString(),
      belief: o.belief.toString(),
      disbelief: o.disbelief.toString(),
      uncertainty: o.uncertainty.toString(),
      score: o.score.toString(),
    },
  }
}

function randomWad(rng: SeededRandom, maxWhole: bigint): bigint {
  return rng.nextBigInt(96) % (maxWhole * WAD + 1n)
}

function randomParams(rng: SeededRandom): ReputationParameters {
  return {
    // λ in [0.5, 1.0], sometimes exactly 1.0 (no decay).
    decay: rng.nextInt(8) === 0 ? WAD : WAD / 2n + (rng.nextBigInt(64) % (WAD / 2n + 1n)),
    weightAccepted: randomWad(rng, 5n),
    weightRejected: randomWad(rng, 5n),
    weightAbsent: randomWad(rng, 5n),
    weightDisagreement: randomWad(rng, 5n),
    priorWeight: 1n + randomWad(rng, 10n),
    baseRate: rng.nextBigInt(64) % (WAD + 1n),
  }
}

function randomSteps(rng: SeededRandom, count: number): Step[] {
  const steps: Step[] = []
  let round = BigInt(rng.nextInt(10))
  for (let i = 0; i < count; i++) {
    const jump = rng.nextInt(20) === 0 ? BigInt(50 + rng.nextInt(2000)) : BigInt(rng.nextInt(4))
    round += jump
    steps.push({ round, event: REPUTATION_EVENTS[rng.nextInt(REPUTATION_EVENTS.length)] ?? 'accepted' })
  }
  return steps
}

const REPUTATION_DESCRIPTION =
  'Reputation sequences for @fedchain/reputation and AggregatorContract (see packages/reputation/FIXED_POINT.md ' +
  'and README.md "Test vectors"). Each sequence starts from { positive: 0, negative: 0, lastRound: 0 } with the ' +
  'given params, applies each step (decay to step.round, then add the event weight) in order, and expects the final ' +
  'state and the opinion of that state (no further decay). Rounds are non-decreasing. All integers are decimal strings.'

/** Computes the content of `vectors/reputation.json`. */
export function createReputationVectors(seed = 20_240_501): ReputationVectorFile {
  const d = DEFAULT_REPUTATION_PARAMETERS
  const rng = createSeededRandom(seed)
  const at = (round: bigint | number, event: ReputationEvent): Step => ({ round: BigInt(round), event })
  const sequences: ReputationVector[] = [
    reputationVector('new hospital: zero evidence, score = baseRate', d, []),
    reputationVector('one accepted update', d, [at(1, 'accepted')]),
    reputationVector('one event of each kind in consecutive rounds', d, [
      at(0, 'accepted'),
      at(1, 'rejected'),
      at(2, 'absent'),
      at(3, 'disagreement'),
    ]),
    reputationVector('several events in the same round (no decay between them)', d, [
      at(5, 'accepted'),
      at(5, 'disagreement'),
      at(5, 'accepted'),
    ]),
    reputationVector('decay over n = 1000 rounds with λ = 0.9 (old evidence vanishes)', d, [
      at(0, 'accepted'),
      at(0, 'rejected'),
      at(1000, 'accepted'),
    ]),
    reputationVector(
      'decay over n = 1000 rounds with λ = 0.999',
      { ...d, decay: 999n * 10n ** 15n },
      [at(0, 'accepted'), at(0, 'accepted'), at(1000, 'absent')],
    ),
    reputationVector(
      'gap of 2^64 − 1 rounds (largest uint64 round)',
      { ...d, decay: WAD - 1n },
      [at(0, 'accepted'), at(UINT64_MAX, 'rejected')],
    ),
    reputationVector('λ = 1.0: no decay, evidence accumulates', { ...d, decay: WAD }, [
      at(0, 'accepted'),
      at(10, 'accepted'),
      at(100, 'rejected'),
      at(1000, 'accepted'),
    ]),
    reputationVector('λ = 1e-18: everything vanishes after one round', { ...d, decay: 1n }, [
      at(0, 'accepted'),
      at(0, 'rejected'),
      at(1, 'absent'),
    ]),
    reputationVector(
      'all event weights zero: state stays empty, score = baseRate',
      { ...d, weightAccepted: 0n, weightRejected: 0n, weightAbsent: 0n, weightDisagreement: 0n },
      [at(1, 'accepted'), at(2, 'rejected'), at(3, 'absent'), at(4, 'disagreement')],
    ),
    reputationVector('baseRate = 0', { ...d, baseRate: 0n }, [at(1, 'accepted'), at(2, 'rejected')]),
    reputationVector('baseRate = 1.0', { ...d, baseRate: WAD }, [at(1, 'accepted'), at(2, 'rejected')]),
    reputationVector('priorWeight = 1 (smallest)', { ...d, priorWeight: 1n }, [at(1, 'accepted'), at(2, 'absent')]),
    reputationVector('only rejections: score falls toward 0', d, [
      at(1, 'rejected'),
      at(2, 'rejected'),
      at(3, 'rejected'),
      at(4, 'rejected'),
      at(5, 'rejected'),
    ]),
    reputationVector(
      'long honest history (200 accepted rounds)',
      d,
      Array.from({ length: 200 }, (_, i) => at(i + 1, 'accepted')),
    ),
  ]
  for (let i = 0; i < 40; i++) {
    const params = i < 10 ? d : randomParams(rng)
    sequences.push(reputationVector(`random ${i}`, params, randomSteps(rng, 1 + rng.nextInt(60))))
  }
  return { version: VECTOR_FORMAT_VERSION, description: REPUTATION_DESCRIPTION, sequences }
}

function splitVector(
  name: string,
  pool: bigint,
  committeeFeeBps: number,
  committeeMembers: number,
  participants: readonly RewardParticipant[],
): RewardSplitVector {
  const out = splitReward({ pool, committeeFeeBps, committeeMembers, participants })
  return {
    name,
    input: {
      pool: pool.toString(),
      committeeFeeBps: committeeFeeBps.toString(),
      committeeMembers: committeeMembers.toString(),
      participants: participants.map((p) => ({ id: p.id, score: p.score.toString(), qualityBps: p.qualityBps.toString() })),
    },
    expected: {
      feePerMember: out.feePerMember.toString(),
      committeePaid: out.committeePaid.toString(),
      participantPool: out.participantPool.toString(),
      totalWeight: out.totalWeight.toString(),
      dust: out.dust.toString(),
      refundable: out.refundable.toString(),
      shares: out.shares.map((s) => ({ id: s.id, weight: s.weight.toString(), share: s.share.toString() })),
    },
  }
}

function randomParticipants(rng: SeededRandom, count: number): RewardParticipant[] {
  const out: RewardParticipant[] = []
  let index = rng.nextInt(3)
  for (let i = 0; i < count; i++) {
    const kind = rng.nextInt(10)
    const score = kind === 0 ? 0n : kind === 1 ? WAD : rng.nextBigInt(64) % (WAD + 1n)
    const qualityBps = rng.nextInt(10) === 0 ? 0 : rng.nextInt(10) === 0 ? 10_000 : rng.nextInt(10_001)
    out.push({ id: index.toString(), score, qualityBps })
    index += 1 + rng.nextInt(3)
  }
  return out
}

const SPLIT_DESCRIPTION =
  'Reward splits for @fedchain/reputation and AggregatorContract (see packages/reputation/FIXED_POINT.md and ' +
  'README.md "Test vectors"). input.participants are the accepted participants in ascending hospital index (id); ' +
  'expected.shares are in the same order, dust included in the first share. All integers are decimal strings.'

/** Computes the content of `vectors/reward-split.json`. */
export function createRewardSplitVectors(seed = 20_240_502): RewardSplitVectorFile {
  const rng = createSeededRandom(seed)
  const p = (id: number, score: bigint, qualityBps: number): RewardParticipant => ({ id: id.toString(), score, qualityBps })
  const half = WAD / 2n
  const three = [p(0, WAD, 10_000), p(3, half, 8_000), p(7, WAD / 3n, 5_000)]
  const cases: RewardSplitVector[] = [
    splitVector('nobody accepted: participant pool refundable', 1_000_000n, 500, 3, []),
    splitVector('single participant takes the whole participant pool', 1_000_000n, 500, 3, [p(2, half, 7_000)]),
    splitVector('pool not divisible by the weights (dust to the first)', 1_000_003n, 250, 7, [
      p(0, WAD / 3n, 10_000),
      p(1, WAD / 3n, 10_000),
      p(2, WAD / 3n, 10_000),
    ]),
    splitVector('fee remainder not divisible by m goes to participants', 1_000n, 1_000, 3, [p(0, WAD, 10_000), p(4, half, 10_000)]),
    splitVector('pool 0', 0n, 500, 2, three),
    splitVector('pool 1', 1n, 500, 2, three),
    splitVector('fee 0 bps', 10n ** 21n + 7n, 0, 5, three),
    splitVector('fee 10000 bps: participants only get the fee rounding remainder', 10n ** 21n + 7n, 10_000, 6, three),
    splitVector('fee 10000 bps, nobody accepted', 10n ** 21n + 7n, 10_000, 6, []),
    splitVector('more committee members than fee units (feePerMember 0)', 100n, 100, 3, three),
    splitVector('all weights zero (scores 0): equal split', 1_000_001n, 300, 2, [p(1, 0n, 10_000), p(2, 0n, 5_000), p(5, 0n, 0)]),
    splitVector('all weights zero (qualities 0): equal split', 999n, 300, 2, [p(1, WAD, 0), p(2, half, 0)]),
    splitVector('one zero weight among positive ones gets nothing but dust rules apply', 1_000_000_007n, 100, 4, [
      p(0, 0n, 10_000),
      p(1, WAD, 9_999),
      p(2, 1n, 1),
    ]),
    splitVector('tiny weights (score 1 wei, quality 1 bps → weight 0)', 12_345n, 0, 1, [p(0, 1n, 1), p(9, 10_000n, 1)]),
    splitVector('huge pool 2^200 − 1', (1n << 200n) - 1n, 1_234, 13, three),
    splitVector('huge pool 2^200 + 12345, many participants', (1n << 200n) + 12_345n, 777, 9, randomParticipants(rng, 25)),
    splitVector('largest pool 2^256 − 1 with fee 0 (needs mulDiv)', UINT256_MAX, 0, 1, three),
    splitVector('largest pool whose fee product fits uint256', UINT256_MAX / 10_000n, 10_000, 7, three),
    splitVector('one committee member', 10n ** 24n, 500, 1, three),
    splitVector('101 committee members', 10n ** 24n + 1n, 500, 101, three),
  ]
  for (let i = 0; i < 60; i++) {
    const bits = rng.nextInt(211)
    const pool = rng.nextBigInt(bits)
    const fee = rng.nextInt(8) === 0 ? [0, 10_000][rng.nextInt(2)] ?? 0 : rng.nextInt(10_001)
    const members = 1 + rng.nextInt(21)
    cases.push(splitVector(`random ${i}`, pool, fee, members, randomParticipants(rng, rng.nextInt(26))))
  }
  return { version: VECTOR_FORMAT_VERSION, description: SPLIT_DESCRIPTION, cases }
}
