import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, createSeededRandom, exactShapley, gtgShapley, leaveOneOut, type SubsetUtility } from '../../src/index.js'

const additive = (w: readonly number[]): SubsetUtility => (members) => members.reduce((a, i) => a + (w[i] ?? 0), 0)

// Glove game: player 0 holds a left glove, players 1 and 2 right gloves; a pair is worth 1.
// Hand-computed Shapley values: φ0 = 2/3, φ1 = φ2 = 1/6 (player 0 completes a pair in 4 of the 6
// orders; player 1 only when it comes after 0 and before 2, i.e. in 1 order).
const glove: SubsetUtility = (m) => (m.includes(0) && (m.includes(1) || m.includes(2)) ? 1 : 0)

// Symmetric players: the value depends only on the coalition size (diminishing returns).
const bySize: SubsetUtility = async (m) => Promise.resolve(Math.sqrt(m.length))

describe('exactShapley', () => {
  it('gives each player its own value under an additive utility', async () => {
    const w = [0.3, -0.1, 2, 0, 1.25]
    const { values, evaluations } = await exactShapley({ players: 5, utility: additive(w) })
    values.forEach((v, i) => expect(v).toBeCloseTo(w[i] ?? 0, 12))
    expect(evaluations).toBe(32)
  })

  it('matches the hand-computed glove game', async () => {
    const { values } = await exactShapley({ players: 3, utility: glove })
    expect(values[0]).toBeCloseTo(2 / 3, 12)
    expect(values[1]).toBeCloseTo(1 / 6, 12)
    expect(values[2]).toBeCloseTo(1 / 6, 12)
  })

  it('gives symmetric players equal values that sum to U(N) − U(∅)', async () => {
    const { values } = await exactShapley({ players: 4, utility: bySize })
    for (const v of values) expect(v).toBeCloseTo(2 / 4, 12)
  })

  it('refuses more players than it can enumerate', async () => {
    await expect(exactShapley({ players: 17, utility: bySize })).rejects.toThrow(/use gtgShapley/i)
  })
})

describe('leaveOneOut', () => {
  it('is U(N) − U(N∖{i}) (glove game: redundant right gloves get 0)', async () => {
    const { values, evaluations } = await leaveOneOut({ players: 3, utility: glove })
    expect(values).toEqual([1, 0, 0])
    expect(evaluations).toBe(4)
  })

  it('equals own values under an additive utility', async () => {
    const { values } = await leaveOneOut({ players: 3, utility: additive([1, 2, 3]) })
    expect(values).toEqual([1, 2, 3])
  })

  it('rejects a non-finite utility, naming the coalition', async () => {
    await expect(leaveOneOut({ players: 2, utility: (m) => (m.length === 1 ? Number.NaN : 1) })).rejects.toThrow(/utility: returned NaN for coalition \[1\]/)
  })
})

describe('gtgShapley', () => {
  it('is exact after one permutation for an additive utility (no truncation)', async () => {
    const w = [0.5, 1.5, -0.25, 3, 0.75, 0.1]
    const out = await gtgShapley({ players: 6, utility: additive(w), withinRoundTolerance: 0, seed: 3 })
    out.values.forEach((v, i) => expect(v).toBeCloseTo(w[i] ?? 0, 12))
    expect(out.truncatedRound).toBe(false)
    expect(out.converged).toBe(true)
  })

  it('gives symmetric players (nearly) equal values that sum to the round gain', async () => {
    const out = await gtgShapley({ players: 5, utility: bySize, withinRoundTolerance: 0, maxEvaluations: 32, convergenceTolerance: 0, maxPermutations: 400, seed: 1 })
    const sum = out.values.reduce((a, b) => a + b, 0)
    expect(sum).toBeCloseTo(Math.sqrt(5), 9)
    for (const v of out.values) expect(v).toBeCloseTo(Math.sqrt(5) / 5, 1)
    expect(out.permutations).toBe(400)
  })

  it('approaches exact Shapley on a non-additive game', async () => {
    const rng = createSeededRandom(5)
    const w = Array.from({ length: 8 }, () => rng.next())
    // Diminishing returns on the total plus a pairwise synergy between players 0 and 1.
    const utility: SubsetUtility = (m) => Math.log1p(m.reduce((a, i) => a + (w[i] ?? 0), 0)) + (m.includes(0) && m.includes(1) ? 0.3 : 0)
    const exact = await exactShapley({ players: 8, utility })
    const approx = await gtgShapley({ players: 8, utility, maxEvaluations: 256, convergenceTolerance: 0.001, seed: 9 })
    const scale = Math.max(...exact.values.map(Math.abs))
    approx.values.forEach((v, i) => expect(Math.abs(v - (exact.values[i] ?? 0))).toBeLessThan(0.1 * scale))
  })

  it('truncates a round whose total gain is below ε_b', async () => {
    let calls = 0
    const out = await gtgShapley({ players: 4, utility: () => ++calls * 1e-12, betweenRoundTolerance: 1e-6 })
    expect(out).toMatchObject({ values: [0, 0, 0, 0], evaluations: 2, permutations: 0, truncatedRound: true })
  })

  it('skips evaluations once a prefix is within ε_i of U(N)', async () => {
    // Player 0 alone achieves the full utility; the others add nothing.
    const utility: SubsetUtility = (m) => (m.includes(0) ? 1 : 0)
    const truncated = await gtgShapley({ players: 6, utility, withinRoundTolerance: 0.01, maxPermutations: 1, seed: 2 })
    // Permutation 0 starts with player 0: U(∅), U(N) and U({0}); every later prefix is truncated.
    expect(truncated.evaluations).toBe(3)
    expect(truncated.values).toEqual([1, 0, 0, 0, 0, 0])
    const full = await gtgShapley({ players: 6, utility, withinRoundTolerance: 0, maxPermutations: 1, seed: 2 })
    expect(full.evaluations).toBe(7)
  })

  it('never exceeds its budget and discards partial permutations', async () => {
    let calls = 0
    const utility: SubsetUtility = (m) => {
      calls++
      return Math.sqrt(m.length) + (m.includes(2) ? 0.5 : 0)
    }
    const out = await gtgShapley({ players: 10, utility, maxEvaluations: 25, withinRoundTolerance: 0, convergenceTolerance: 0, seed: 4 })
    expect(calls).toBeLessThanOrEqual(25)
    expect(out.evaluations).toBe(calls)
    expect(out.converged).toBe(false)
    // Every averaged permutation was complete, so efficiency holds exactly.
    expect(out.values.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.sqrt(10) + 0.5, 9)
  })

  it('is reproducible for a seed', async () => {
    const utility: SubsetUtility = (m) => Math.sqrt(m.reduce((a, i) => a + i + 1, 0))
    const a = await gtgShapley({ players: 7, utility, seed: 42, maxEvaluations: 60 })
    const b = await gtgShapley({ players: 7, utility, seed: 42, maxEvaluations: 60 })
    expect(a).toEqual(b)
  })

  it('validates its options', async () => {
    await expect(gtgShapley({ players: 0, utility: bySize })).rejects.toThrow(InvalidArgumentError)
    await expect(gtgShapley({ players: 2, utility: bySize, maxEvaluations: 1 })).rejects.toThrow(/maxEvaluations/)
    await expect(gtgShapley({ players: 2, utility: bySize, withinRoundTolerance: -1 })).rejects.toThrow(/withinRoundTolerance/)
  })
})
