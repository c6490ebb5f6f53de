import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, UINT256_MAX, WAD, createSeededRandom, splitReward, type RewardParticipant } from '../src/index.js'

describe('splitReward', () => {
  it('computes the documented example', () => {
    const out = splitReward({
      pool: 1000n,
      committeeFeeBps: 1000,
      committeeMembers: 3,
      participants: [
        { id: '0', score: WAD, qualityBps: 10_000 },
        { id: '4', score: WAD / 2n, qualityBps: 10_000 },
      ],
    })
    expect(out.feePerMember).toBe(33n)
    expect(out.committeePaid).toBe(99n)
    expect(out.participantPool).toBe(901n)
    expect(out.dust).toBe(1n)
    expect(out.shares.map((s) => s.share)).toEqual([601n, 300n])
    expect(out.refundable).toBe(0n)
  })

  it('splits equally when every weight is zero', () => {
    const out = splitReward({
      pool: 10n,
      committeeFeeBps: 0,
      committeeMembers: 1,
      participants: [
        { id: '1', score: 0n, qualityBps: 5000 },
        { id: '2', score: WAD, qualityBps: 0 },
        { id: '3', score: 0n, qualityBps: 0 },
      ],
    })
    expect(out.shares.map((s) => s.share)).toEqual([4n, 3n, 3n])
  })

  it('leaves the participant pool refundable when nobody was accepted', () => {
    const out = splitReward({ pool: 1001n, committeeFeeBps: 5000, committeeMembers: 2, participants: [] })
    expect(out).toMatchObject({ feePerMember: 250n, committeePaid: 500n, refundable: 501n, shares: [] })
  })

  it('conserves the pool exactly under random inputs', () => {
    const rng = createSeededRandom(11)
    for (let i = 0; i < 2000; i++) {
      const pool = rng.nextBigInt(rng.nextInt(243))
      const participants: RewardParticipant[] = Array.from({ length: rng.nextInt(30) }, (_, j) => ({
        id: String(j),
        score: rng.nextInt(5) === 0 ? 0n : rng.nextBigInt(64) % (WAD + 1n),
        qualityBps: rng.nextInt(10_001),
      }))
      const out = splitReward({ pool, committeeFeeBps: rng.nextInt(10_001), committeeMembers: 1 + rng.nextInt(50), participants })
      const paid = out.shares.reduce((a, s) => a + s.share, 0n)
      expect(paid + out.committeePaid + out.refundable).toBe(pool)
      if (participants.length > 0) expect(paid + out.committeePaid).toBe(pool)
      // Dust is smaller than the number of participants: each floor loses < 1 unit.
      expect(out.dust).toBeLessThan(BigInt(Math.max(participants.length, 1)))
      for (const s of out.shares) expect(s.share).toBeGreaterThanOrEqual(0n)
    }
  })

  it('is proportional to score × quality', () => {
    const out = splitReward({
      pool: 10n ** 30n,
      committeeFeeBps: 0,
      committeeMembers: 1,
      participants: [
        { id: 'a', score: WAD, qualityBps: 5000 },
        { id: 'b', score: WAD / 2n, qualityBps: 10_000 },
        { id: 'c', score: WAD / 4n, qualityBps: 8000 },
      ],
    })
    expect(out.shares.map((s) => s.share)).toEqual([(10n ** 30n * 5n) / 12n + out.dust, (10n ** 30n * 5n) / 12n, (10n ** 30n * 2n) / 12n])
  })

  it('rejects inputs the contract would refuse', () => {
    const ok = { pool: 1n, committeeFeeBps: 0, committeeMembers: 1, participants: [] }
    expect(() => splitReward({ ...ok, pool: -1n })).toThrow(/pool: must be a bigint/)
    expect(() => splitReward({ ...ok, pool: UINT256_MAX + 1n })).toThrow(InvalidArgumentError)
    expect(() => splitReward({ ...ok, pool: UINT256_MAX, committeeFeeBps: 2 })).toThrow(/pool × committeeFeeBps overflows/)
    expect(() => splitReward({ ...ok, committeeFeeBps: 10_001 })).toThrow(/committeeFeeBps: must be an integer in \[0, 10000\]/)
    expect(() => splitReward({ ...ok, committeeMembers: 0 })).toThrow(/committeeMembers/)
    expect(() => splitReward({ ...ok, participants: [{ id: 'x', score: WAD + 1n, qualityBps: 1 }] })).toThrow(/participants\[0\].score/)
    expect(() => splitReward({ ...ok, participants: [{ id: 'x', score: 1n, qualityBps: 1.5 }] })).toThrow(/participants\[0\].qualityBps/)
  })
})
