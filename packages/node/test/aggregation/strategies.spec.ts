import { describe, expect, it } from 'vitest'
import {
  coordinateMedianStrategy,
  createStrategy,
  fedAdam,
  fedAvg,
  fedAvgM,
  fedYogi,
  krum,
  multiKrum,
  reputationWeightedMean,
  STRATEGY_NAMES,
  trimmedMean,
  type AggregationStrategy,
  type ClientUpdate,
} from '../../src/aggregation/index.js'
import { SeededRandom } from '../../src/learning/random.js'

const f32 = (...v: number[]) => Float32Array.from(v)
const zero = f32(0, 0)

function run(strategy: AggregationStrategy, updates: ClientUpdate[], global = zero) {
  strategy.initialize?.(global)
  return strategy.aggregate({ round: 1, global, updates })
}

describe('aggregation strategies on hand-computed cases', () => {
  it('FedAvg weights by example count', () => {
    const r = run(fedAvg(), [
      { id: 'a', delta: f32(1, 0), examples: 1 },
      { id: 'b', delta: f32(4, 3), examples: 3 },
    ], f32(10, 10))
    expect(Array.from(r.global)).toEqual([10 + 13 / 4, 10 + 9 / 4])
    expect(r.selected).toEqual(['a', 'b'])
  })

  it('FedAvgM accumulates server momentum', () => {
    const s = fedAvgM({ momentum: 0.5, serverLearningRate: 1 })
    s.initialize?.(zero)
    const u = [{ id: 'a', delta: f32(2, 0), examples: 1 }]
    const g1 = s.aggregate({ round: 1, global: zero, updates: u }).global
    expect(Array.from(g1)).toEqual([2, 0]) // v = 2
    const g2 = s.aggregate({ round: 2, global: g1, updates: u }).global
    expect(Array.from(g2)).toEqual([2 + 3, 0]) // v = 0.5·2 + 2
  })

  it('FedAdam takes a normalised step of size ≈ η(1−β₁)/√(1−β₂) on the first round', () => {
    const r = run(fedAdam({ serverLearningRate: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-9 }), [{ id: 'a', delta: f32(4, -0.01), examples: 1 }])
    // m = 0.1Δ, v = 0.01Δ² → step = η·0.1Δ/(0.1|Δ|) = η·sign(Δ)
    expect(r.global[0]).toBeCloseTo(0.1, 6)
    expect(r.global[1]).toBeCloseTo(-0.1, 4)
  })

  it('FedYogi moves v additively towards Δ²', () => {
    const r = run(fedYogi({ serverLearningRate: 1, beta1: 0, beta2: 0.5, tau: 0.5 }), [{ id: 'a', delta: f32(1, 0), examples: 1 }])
    // v₀ = τ² = 0.25 < Δ² = 1 → v = 0.25 + 0.5·1 = 0.75; step = 1/(√0.75 + 0.5)
    expect(r.global[0]).toBeCloseTo(1 / (Math.sqrt(0.75) + 0.5), 6)
    expect(r.global[1]).toBe(0)
  })

  it('coordinate median and trimmed mean ignore one outlier', () => {
    const updates = [
      { id: 'a', delta: f32(1, 10), examples: 1 },
      { id: 'b', delta: f32(2, 20), examples: 1 },
      { id: 'c', delta: f32(3, 30), examples: 1 },
      { id: 'd', delta: f32(4, 40), examples: 1 },
      { id: 'e', delta: f32(1000, -1000), examples: 1 },
    ]
    expect(Array.from(run(coordinateMedianStrategy(), updates).global)).toEqual([3, 20])
    // β = 0.2 trims one value from each end per coordinate: x {2,3,4}, y {10,20,30}
    expect(Array.from(run(trimmedMean({ trimFraction: 0.2 }), updates).global)).toEqual([3, 20])
    expect(Array.from(run(coordinateMedianStrategy(), updates.slice(0, 4)).global)).toEqual([2.5, 25])
  })

  it('Krum picks the most central update and Multi-Krum averages the best n − f', () => {
    const updates = [
      { id: 'a', delta: f32(0, 0), examples: 1 },
      { id: 'b', delta: f32(1, 0), examples: 1 },
      { id: 'c', delta: f32(0, 1), examples: 1 },
      { id: 'd', delta: f32(1, 1), examples: 1 },
      { id: 'x', delta: f32(50, 50), examples: 1 },
    ]
    // f = 1 → 2 nearest neighbours; a,b,c,d all score 2, x is far: Krum takes 'a' (tie → first id)
    expect(run(krum({ byzantine: 1 }), updates).selected).toEqual(['a'])
    const mk = run(multiKrum({ byzantine: 1 }), updates)
    expect(mk.selected).toEqual(['a', 'b', 'c', 'd'])
    expect(Array.from(mk.global)).toEqual([0.5, 0.5])
  })

  it('reputation weighting multiplies the FedAvg weights', () => {
    const r = run(reputationWeightedMean(), [
      { id: 'a', delta: f32(1, 1), examples: 10, reputation: 1 },
      { id: 'b', delta: f32(5, 5), examples: 10, reputation: 0.25 },
      { id: 'c', delta: f32(9, 9), examples: 10, reputation: 0 },
    ])
    expect(Array.from(r.global)).toEqual([Math.fround(22.5 / 12.5), Math.fround(22.5 / 12.5)])
  })

  it('rejects malformed input with a typed error', () => {
    expect(() => run(fedAvg(), [{ id: 'a', delta: f32(1), examples: 1 }])).toThrow(/has 1 values, the model has 2/)
    expect(() =>
      run(fedAvg(), [
        { id: 'a', delta: zero, examples: 1 },
        { id: 'a', delta: zero, examples: 1 },
      ]),
    ).toThrow(/two updates/)
    expect(() => createStrategy({ name: 'nope', participants: 5 })).toThrow(/unknown strategy/)
  })
})

describe('aggregation determinism', () => {
  const random = new SeededRandom(3)
  const updates: ClientUpdate[] = Array.from({ length: 9 }, (_, i) => ({
    id: `0x${(i * 7919).toString(16).padStart(4, '0')}`,
    delta: Float32Array.from({ length: 257 }, () => random.normal() * 10 ** random.int(6)),
    examples: 1 + random.int(500),
    reputation: random.next(),
  }))
  const global = Float32Array.from({ length: 257 }, () => random.normal())

  it.each(STRATEGY_NAMES)('%s is bit-identical across runs and input orders', (name) => {
    const outputs = [updates, [...updates].reverse(), new SeededRandom(9).shuffle([...updates])].map((order) => {
      const strategy = createStrategy({ name, participants: updates.length })
      strategy.initialize?.(global)
      const first = strategy.aggregate({ round: 1, global, updates: order })
      // Run a second round so stateful strategies' state is compared too.
      return strategy.aggregate({ round: 2, global: first.global, updates: order })
    })
    const bytes = outputs.map((o) => Buffer.from(o.global.buffer).toString('hex'))
    expect(new Set(bytes).size).toBe(1)
    expect(new Set(outputs.map((o) => o.selected.join()))).toHaveProperty('size', 1)
  })
})
