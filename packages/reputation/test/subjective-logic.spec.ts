import { describe, expect, it } from 'vitest'
import {
  DEFAULT_REPUTATION_PARAMETERS as params,
  InvalidArgumentError,
  REPUTATION_EVENTS,
  WAD,
  applyEvent,
  createSeededRandom,
  decayTo,
  initialReputationState,
  opinion,
  opinionAt,
  opinionToNumbers,
  powWad,
  reputationParameters,
  validateReputationParameters,
  wadMul,
  type ReputationParameters,
  type ReputationState,
} from '../src/index.js'

describe('new hospital', () => {
  it('has score = baseRate and full uncertainty', () => {
    for (const baseRate of [0n, 1n, WAD / 2n, WAD / 3n, WAD]) {
      const p = { ...params, baseRate }
      const o = opinion(initialReputationState(), p)
      expect(o).toEqual({ belief: 0n, disbelief: 0n, uncertainty: WAD, score: baseRate })
    }
  })
})

describe('decayTo', () => {
  const state: ReputationState = { positive: 3n * WAD, negative: WAD, lastRound: 10n }

  it('multiplies both kinds of evidence by decay^n', () => {
    const out = decayTo(state, 12n, params)
    const factor = powWad(params.decay, 2n)
    expect(out).toEqual({ positive: wadMul(3n * WAD, factor), negative: wadMul(WAD, factor), lastRound: 12n })
    expect(out.positive).toBe((3n * WAD * 81n) / 100n)
  })

  it('never decays twice nor moves lastRound back', () => {
    expect(decayTo(state, 10n, params)).toBe(state)
    expect(decayTo(state, 3n, params)).toBe(state)
    const once = decayTo(state, 20n, params)
    expect(decayTo(once, 20n, params)).toEqual(once)
  })

  it('keeps the evidence ratio, so decay alone moves the score toward baseRate', () => {
    const before = opinion(state, params).score
    const after = opinionAt(state, 50n, params).score
    expect(before).toBeGreaterThan(params.baseRate)
    expect(after).toBeLessThan(before)
    expect(after).toBeGreaterThanOrEqual(params.baseRate)
    expect(opinionAt(state, 10_000n, params).score).toBe(params.baseRate)
  })

  it('does not decay at all when λ = 1.0', () => {
    expect(decayTo(state, 1_000_000n, { ...params, decay: WAD })).toEqual({ ...state, lastRound: 1_000_000n })
  })
})

describe('applyEvent', () => {
  it('adds the configured weight for each event', () => {
    const custom = reputationParameters({ weightAccepted: 3, weightRejected: 5, weightAbsent: 0.25, weightDisagreement: 7 })
    const s0 = initialReputationState(4n)
    expect(applyEvent(s0, 'accepted', 4n, custom)).toEqual({ positive: 3n * WAD, negative: 0n, lastRound: 4n })
    expect(applyEvent(s0, 'rejected', 4n, custom).negative).toBe(5n * WAD)
    expect(applyEvent(s0, 'absent', 4n, custom).negative).toBe(WAD / 4n)
    expect(applyEvent(s0, 'disagreement', 4n, custom).negative).toBe(7n * WAD)
  })

  it('decays before adding', () => {
    const s = applyEvent(applyEvent(initialReputationState(), 'accepted', 0n, params), 'accepted', 1n, params)
    expect(s.positive).toBe(WAD + (9n * WAD) / 10n)
  })

  it('raises the score on acceptance and lowers it on every negative event', () => {
    const base = applyEvent(initialReputationState(), 'accepted', 1n, params)
    const score = opinion(base, params).score
    expect(score).toBe(666666666666666666n)
    for (const event of ['rejected', 'absent', 'disagreement'] as const) {
      expect(opinion(applyEvent(base, event, 1n, params), params).score).toBeLessThan(score)
    }
    expect(opinion(applyEvent(base, 'accepted', 1n, params), params).score).toBeGreaterThan(score)
  })

  it('rejects unknown events and bad rounds', () => {
    const s = initialReputationState()
    expect(() => applyEvent(s, 'late' as never, 1n, params)).toThrow(/event: unknown reputation event "late"/)
    expect(() => applyEvent(s, 'accepted', -1n, params)).toThrow(InvalidArgumentError)
    expect(() => applyEvent(s, 'accepted', 1n << 64n, params)).toThrow(/round: must be a bigint round id/)
  })
})

describe('bounds under random sequences', () => {
  it('keeps b + d + u ≤ 1, score in [0, 1] and ≥ belief', () => {
    const rng = createSeededRandom(7)
    for (let seq = 0; seq < 200; seq++) {
      const p: ReputationParameters = {
        decay: 1n + (rng.nextBigInt(64) % WAD),
        weightAccepted: rng.nextBigInt(70),
        weightRejected: rng.nextBigInt(70),
        weightAbsent: rng.nextBigInt(70),
        weightDisagreement: rng.nextBigInt(70),
        priorWeight: 1n + rng.nextBigInt(70),
        baseRate: rng.nextBigInt(64) % (WAD + 1n),
      }
      validateReputationParameters(p)
      let s = initialReputationState()
      let round = 0n
      for (let i = 0; i < 50; i++) {
        round += BigInt(rng.nextInt(5))
        s = applyEvent(s, REPUTATION_EVENTS[rng.nextInt(4)] ?? 'accepted', round, p)
        const o = opinion(s, p)
        expect(o.belief + o.disbelief + o.uncertainty).toBeLessThanOrEqual(WAD)
        expect(o.belief + o.disbelief + o.uncertainty).toBeGreaterThanOrEqual(WAD - 3n)
        expect(o.score).toBeGreaterThanOrEqual(o.belief)
        expect(o.score).toBeGreaterThanOrEqual(0n)
        expect(o.score).toBeLessThanOrEqual(WAD)
      }
    }
  })
})

describe('parameters', () => {
  it('builds from float overrides exactly and validates', () => {
    expect(reputationParameters({ decay: 0.95 }).decay).toBe(95n * 10n ** 16n)
    expect(() => reputationParameters({ decay: 1.5 })).toThrow(/params.decay: must be in \[1, 1e18\], got 1500000000000000000/)
    expect(() => reputationParameters({ decay: 0 })).toThrow(InvalidArgumentError)
    expect(() => reputationParameters({ priorWeight: 0 })).toThrow(/params.priorWeight/)
    expect(() => reputationParameters({ baseRate: -0.1 })).toThrow(/params.baseRate/)
    expect(() => reputationParameters({ weightAbsent: -1 })).toThrow(/params.weightAbsent/)
    expect(() => reputationParameters({ nope: 1 } as never)).toThrow(/overrides.nope: unknown reputation parameter/)
  })

  it('converts opinions to floats for display', () => {
    const o = opinionToNumbers(opinion(applyEvent(initialReputationState(), 'accepted', 0n, params), params))
    expect(o.belief).toBeCloseTo(1 / 3, 15)
    expect(o.uncertainty).toBeCloseTo(2 / 3, 15)
    expect(o.score).toBeCloseTo(2 / 3, 15)
  })
})
