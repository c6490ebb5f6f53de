import { describe, expect, it } from 'vitest'
import { shouldBehaveLikeAccountant } from './support/accountant-behaviour.js'
import { AccountantStateError, computeRdp, createAccountant, DEFAULT_RDP_ORDERS, InvalidArgumentError, privacySpent, RdpAccountant, rdpEpsilon } from '../src/index.js'

describe('RdpAccountant', () => {
  describe('behaves like an accountant (default orders)', () => {
    shouldBehaveLikeAccountant(() => new RdpAccountant(), (json) => RdpAccountant.fromJSON(json))
  })
  describe('behaves like an accountant (custom orders, from the registry)', () => {
    shouldBehaveLikeAccountant(() => createAccountant('rdp', { orders: [1.5, 2, 3, 5, 8, 16, 32, 64] }), (json) => RdpAccountant.fromJSON(json))
  })

  it('reports 0 before any step, like Opacus', () => {
    expect(new RdpAccountant().getEpsilon(1e-5)).toBe(0)
  })

  it('agrees with rdpEpsilon for homogeneous steps, one at a time or in bulk', () => {
    const one = new RdpAccountant()
    for (let i = 0; i < 2250; i++) one.step({ noiseMultiplier: 1.5, sampleRate: 0.04 })
    const bulk = new RdpAccountant()
    bulk.step({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 })
    const expected = rdpEpsilon({ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250, delta: 1e-5 }).epsilon
    expect(Math.abs(one.getEpsilon(1e-5) - expected) / expected).toBeLessThan(1e-12)
    expect(bulk.getEpsilon(1e-5)).toBe(expected)
    expect(one.history).toEqual([{ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 }])
    expect(one.totalSteps).toBe(2250)
  })

  it('composes heterogeneous steps by summing RDP', () => {
    const accountant = new RdpAccountant()
    const plan = [
      { noiseMultiplier: 1.2, sampleRate: 0.01, steps: 300 },
      { noiseMultiplier: 0.9, sampleRate: 0.02, steps: 100 },
      { noiseMultiplier: 1.2, sampleRate: 0.01, steps: 50 },
    ]
    for (const step of plan) accountant.step(step)
    const rdp = new Float64Array(DEFAULT_RDP_ORDERS.length)
    for (const step of plan) computeRdp(step).forEach((r, k) => (rdp[k] = (rdp[k] as number) + r))
    expect(accountant.getPrivacySpent(1e-5)).toEqual(privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp, delta: 1e-5 }))
    expect(accountant.history).toHaveLength(3)
  })

  it('grows ε with every step and shrinks it as δ grows', () => {
    const accountant = new RdpAccountant()
    let previous = 0
    for (let round = 0; round < 20; round++) {
      accountant.step({ noiseMultiplier: 1 + round / 10, sampleRate: 0.05, steps: 10 })
      const epsilon = accountant.getEpsilon(1e-5)
      expect(epsilon).toBeGreaterThan(previous)
      previous = epsilon
    }
    expect(accountant.getEpsilon(1e-3)).toBeLessThan(accountant.getEpsilon(1e-5))
  })

  it('previews a step without recording it', () => {
    const accountant = new RdpAccountant()
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: 10 })
    const preview = accountant.epsilonAfter(1e-5, { noiseMultiplier: 1, sampleRate: 0.1, steps: 5 })
    expect(accountant.totalSteps).toBe(10)
    accountant.step({ noiseMultiplier: 1, sampleRate: 0.1, steps: 5 })
    expect(accountant.getEpsilon(1e-5)).toBe(preview)
  })

  it('round-trips through JSON, custom orders included', () => {
    const accountant = new RdpAccountant({ orders: [1.5, 2, 4, 8, 16, 32] })
    accountant.step({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 100 })
    accountant.step({ noiseMultiplier: 0.8, sampleRate: 0.02, steps: 7 })
    const restored = RdpAccountant.fromJSON(JSON.parse(JSON.stringify(accountant)))
    expect(restored.orders).toEqual(accountant.orders)
    expect(restored.history).toEqual(accountant.history)
    expect(restored.getEpsilon(1e-6)).toBe(accountant.getEpsilon(1e-6))
    expect(new RdpAccountant().toJSON()).toEqual({ mechanism: 'rdp', version: 1, history: [] })
  })

  it('refuses a corrupted serialized state with a typed error', () => {
    const bad: unknown[] = [
      null,
      { mechanism: 'gdp', version: 1, history: [] },
      { mechanism: 'rdp', version: 2, history: [] },
      { mechanism: 'rdp', version: 1, history: [{ noiseMultiplier: 1, sampleRate: 2, steps: 1 }] },
      { mechanism: 'rdp', version: 1, history: [{ noiseMultiplier: '1', sampleRate: 0.1, steps: 1 }] },
    ]
    for (const value of bad) {
      expect(() => RdpAccountant.fromJSON(value)).toThrow(AccountantStateError)
    }
  })

  it('rejects bad steps with an error naming the argument', () => {
    const accountant = new RdpAccountant()
    expect(() => accountant.step({ noiseMultiplier: -0.5, sampleRate: 0.1 })).toThrow(/noiseMultiplier/)
    expect(() => accountant.step({ noiseMultiplier: 1, sampleRate: 0 })).toThrow(InvalidArgumentError)
    expect(() => accountant.getEpsilon(2)).toThrow(/delta/)
    expect(accountant.history).toEqual([])
  })

  it('is created by name from the explicit registry', () => {
    const accountant = createAccountant('rdp')
    expect(accountant).toBeInstanceOf(RdpAccountant)
    expect(accountant.mechanism).toBe('rdp')
    expect(() => createAccountant('prv' as 'rdp')).toThrow(/mechanism/)
  })
})
