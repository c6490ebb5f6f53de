import { describe, expect, it } from 'vitest'
import { createStrategy, STRATEGY_NAMES, type AggregationStrategy } from '../../src/aggregation/index.js'

/** What every strategy must do, whatever its rule. */
function shouldBehaveLikeStrategy(make: () => AggregationStrategy): void {
  const global = Float32Array.from([0.5, -1, 2])

  it('returns the global model unchanged when no update arrives', () => {
    const strategy = make()
    strategy.initialize?.(global)
    const result = strategy.aggregate({ round: 1, global, updates: [] })
    expect(Array.from(result.global)).toEqual(Array.from(global))
    expect(result.selected).toEqual([])
    expect(result.global).not.toBe(global)
  })

  it('never modifies its inputs', () => {
    const strategy = make()
    strategy.initialize?.(global)
    const updates = ['c', 'a', 'b', 'e', 'd'].map((id, i) => ({ id, delta: Float32Array.from([i, -i, 0.5 * i]), examples: 10 + i }))
    const copies = updates.map((u) => Array.from(u.delta))
    const before = Array.from(global)
    const result = strategy.aggregate({ round: 1, global, updates })
    expect(Array.from(global)).toEqual(before)
    updates.forEach((u, i) => expect(Array.from(u.delta)).toEqual(copies[i]))
    expect(result.global).toHaveLength(3)
    expect([...result.selected]).toEqual([...result.selected].sort())
  })

  it('moves along a direction every participant agrees on', () => {
    const strategy = make()
    strategy.initialize?.(global)
    const updates = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, delta: Float32Array.from([1, 1, 1]), examples: 5 }))
    const result = strategy.aggregate({ round: 1, global, updates })
    result.global.forEach((v, i) => expect(v).toBeGreaterThan(global[i] as number))
  })
}

describe.each(STRATEGY_NAMES)('strategy %s', (name) => {
  shouldBehaveLikeStrategy(() => createStrategy({ name, participants: 5 }))
})
