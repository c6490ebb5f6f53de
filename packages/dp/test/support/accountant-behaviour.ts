import { expect, it } from 'vitest'
import { InvalidArgumentError } from '../../src/index.js'
import type { PrivacyAccountant } from '../../src/index.js'

/**
 * Behaviour every privacy accountant must have, whatever its analysis. Call inside a `describe`.
 * @param create - returns a fresh, empty accountant
 * @param restore - rebuilds an accountant from its `toJSON()` output
 */
export function shouldBehaveLikeAccountant(create: () => PrivacyAccountant, restore: (json: unknown) => PrivacyAccountant): void {
  it('reports ε = 0 before any step', () => {
    expect(create().getEpsilon(1e-5)).toBe(0)
  })

  it('never decreases ε as steps are added, and decreases it as δ grows', () => {
    const accountant = create()
    let previous = 0
    for (let i = 0; i < 10; i++) {
      accountant.step({ noiseMultiplier: 0.8 + 0.1 * i, sampleRate: 0.02, steps: 30 })
      const epsilon = accountant.getEpsilon(1e-5)
      expect(epsilon).toBeGreaterThan(previous)
      previous = epsilon
    }
    expect(accountant.getEpsilon(1e-2)).toBeLessThan(accountant.getEpsilon(1e-8))
  })

  it('gives more ε for less noise and for a larger sampling rate', () => {
    const epsilonOf = (noiseMultiplier: number, sampleRate: number): number => {
      const accountant = create()
      accountant.step({ noiseMultiplier, sampleRate, steps: 100 })
      return accountant.getEpsilon(1e-5)
    }
    expect(epsilonOf(0.7, 0.01)).toBeGreaterThan(epsilonOf(1.4, 0.01))
    expect(epsilonOf(1, 0.05)).toBeGreaterThan(epsilonOf(1, 0.01))
  })

  it('does not depend on how identical steps are grouped', () => {
    const one = create()
    const many = create()
    one.step({ noiseMultiplier: 1.2, sampleRate: 0.01, steps: 120 })
    for (let i = 0; i < 4; i++) many.step({ noiseMultiplier: 1.2, sampleRate: 0.01, steps: 30 })
    expect(Math.abs(one.getEpsilon(1e-5) - many.getEpsilon(1e-5))).toBeLessThan(1e-12)
  })

  it('restores from JSON to the same ε', () => {
    const accountant = create()
    accountant.step({ noiseMultiplier: 1.1, sampleRate: 0.01, steps: 40 })
    accountant.step({ noiseMultiplier: 0.9, sampleRate: 0.03, steps: 7 })
    const restored = restore(JSON.parse(JSON.stringify(accountant)))
    expect(restored.getEpsilon(1e-6)).toBe(accountant.getEpsilon(1e-6))
    expect(restored.mechanism).toBe(accountant.mechanism)
  })

  it('rejects a negative σ, q outside (0, 1] and δ outside (0, 1), naming the argument', () => {
    const accountant = create()
    expect(() => accountant.step({ noiseMultiplier: -1, sampleRate: 0.1 })).toThrow(InvalidArgumentError)
    expect(() => accountant.step({ noiseMultiplier: 1, sampleRate: 1.01 })).toThrow(/sampleRate/)
    expect(() => accountant.getEpsilon(0)).toThrow(/delta/)
  })
}
