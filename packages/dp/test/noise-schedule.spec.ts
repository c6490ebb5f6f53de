import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, NoiseSchedule, noiseMultiplierFor, RdpAccountant, ScheduleInfeasibleError } from '../src/index.js'
import type { NoiseScheduleInit } from '../src/index.js'

const base: NoiseScheduleInit = { targetEpsilon: 3, delta: 1e-5, rounds: 20, stepsPerRound: 25, sampleRate: 0.01 }

/** ε of a list of per-round σ, from a fresh accountant. */
function epsilonOf(plan: readonly number[], init: NoiseScheduleInit = base): number {
  const accountant = new RdpAccountant()
  for (const noiseMultiplier of plan) accountant.step({ noiseMultiplier, sampleRate: init.sampleRate, steps: init.stepsPerRound })
  return accountant.getEpsilon(init.delta)
}

function run(schedule: NoiseSchedule, losses: (round: number) => number | undefined = () => undefined): void {
  for (let round = 0; round < schedule.rounds; round++) {
    schedule.nextNoiseMultiplier()
    const validationLoss = losses(round)
    schedule.completeRound(validationLoss === undefined ? {} : { validationLoss })
  }
}

describe('NoiseSchedule', () => {
  it('constant: one σ for every round, landing exactly on the budget', () => {
    const schedule = new NoiseSchedule(base)
    const plan = schedule.plan
    expect(plan).toHaveLength(20)
    expect(new Set(plan).size).toBe(1)
    const epsilon = epsilonOf(plan)
    expect(epsilon).toBeLessThanOrEqual(3)
    expect(epsilon).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
    expect(schedule.plannedEpsilon).toBe(epsilon)
    // Consistent with the inverse for the whole run (which stops within 0.01 of the target).
    const sigma = noiseMultiplierFor({ targetEpsilon: 3, delta: 1e-5, sampleRate: 0.01, steps: 500 })
    expect(sigma).toBeGreaterThanOrEqual(plan[0] as number)
    expect(sigma / (plan[0] as number)).toBeLessThan(1.01)
  })

  it('decaying: σ decreases round over round to the requested ratio and the budget lands exactly', () => {
    for (const shape of ['exponential', 'time'] as const) {
      const schedule = new NoiseSchedule({ ...base, policy: { kind: 'decaying', shape, finalRatio: 0.4 } })
      const plan = schedule.plan
      for (let t = 1; t < plan.length; t++) expect(plan[t]).toBeLessThan(plan[t - 1] as number)
      expect((plan.at(-1) as number) / (plan[0] as number)).toBeCloseTo(0.4, 10)
      const epsilon = epsilonOf(plan)
      expect(epsilon).toBeLessThanOrEqual(3)
      expect(epsilon).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
      run(schedule)
      expect(schedule.epsilonSpent).toBe(epsilon)
    }
  })

  it('loss-aware: holds a reserve, lowers the noise on plateaus, never exceeds the total', () => {
    const schedule = new NoiseSchedule({ ...base, policy: { kind: 'loss-aware', reserveFraction: 0.3, patience: 2 } })
    const initial = schedule.plan[0] as number
    expect(schedule.reserveFraction).toBeCloseTo(0.3, 12)
    expect(schedule.plannedEpsilon).toBeLessThanOrEqual(0.7 * 3)
    expect(schedule.plannedEpsilon).toBeGreaterThanOrEqual(0.7 * 3 * (1 - 1e-6))
    // Improving up to round 8, then flat: with patience 2 the first plateau is seen after round 10,
    // so round 11 is the first with less noise.
    run(schedule, (round) => (round <= 8 ? 1 - round * 0.05 : 0.6))
    const used = schedule.plan
    expect(used.slice(0, 11).every((sigma) => sigma === initial)).toBe(true)
    expect(used[11]).toBeLessThan(initial)
    for (let t = 1; t < used.length; t++) expect(used[t]).toBeLessThanOrEqual(used[t - 1] as number)
    expect(schedule.reserveFraction).toBe(0)
    expect(schedule.epsilonSpent).toBeLessThanOrEqual(3)
    expect(schedule.epsilonSpent).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
  })

  it('loss-aware: keeps σ while the loss improves, and spends the reserve on the last round', () => {
    const schedule = new NoiseSchedule({ ...base, policy: { kind: 'loss-aware' } })
    const initial = schedule.plan[0] as number
    run(schedule, (round) => 1 / (round + 1))
    const used = schedule.plan
    expect(used.slice(0, -1).every((sigma) => sigma === initial)).toBe(true)
    expect(used.at(-1)).toBeLessThan(initial)
    expect(schedule.epsilonSpent).toBeLessThanOrEqual(3)
    expect(schedule.epsilonSpent).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
  })

  it('re-plans after a round that deviated from the plan, still landing on the budget', () => {
    const schedule = new NoiseSchedule(base)
    const planned = schedule.nextNoiseMultiplier()
    schedule.completeRound({ noiseMultiplier: planned * 0.9 }) // noisier spending than planned
    const remaining = schedule.plan.slice(1)
    expect(remaining[0]).toBeGreaterThan(planned)
    for (let round = 1; round < 20; round++) schedule.completeRound(round === 5 ? { steps: 10 } : {})
    expect(schedule.epsilonSpent).toBeLessThanOrEqual(3)
    expect(schedule.epsilonSpent).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
    expect(() => schedule.nextNoiseMultiplier()).toThrow(ScheduleInfeasibleError)
  })

  it('refuses to record a round that would overshoot the target', () => {
    const schedule = new NoiseSchedule(base)
    expect(() => schedule.completeRound({ noiseMultiplier: 0.1 })).toThrow(ScheduleInfeasibleError)
    expect(schedule.round).toBe(0)
    expect(schedule.epsilonSpent).toBe(0)
  })

  it('reports an unreachable target', () => {
    expect(() => new NoiseSchedule({ ...base, targetEpsilon: 1e-4, sampleRate: 1 })).toThrow(ScheduleInfeasibleError)
  })

  it('handles a single round', () => {
    const schedule = new NoiseSchedule({ ...base, rounds: 1, policy: { kind: 'loss-aware' } })
    expect(schedule.plan).toHaveLength(1)
    expect(epsilonOf(schedule.plan)).toBeGreaterThanOrEqual(3 * (1 - 1e-6))
  })

  it('rejects bad input with an error naming the argument', () => {
    expect(() => new NoiseSchedule({ ...base, rounds: 0 })).toThrow(/rounds/)
    expect(() => new NoiseSchedule({ ...base, sampleRate: 2 })).toThrow(/sampleRate/)
    expect(() => new NoiseSchedule({ ...base, delta: 0 })).toThrow(InvalidArgumentError)
    expect(() => new NoiseSchedule({ ...base, policy: { kind: 'decaying', finalRatio: 2 } })).toThrow(/policy.finalRatio/)
    expect(() => new NoiseSchedule({ ...base, policy: { kind: 'loss-aware', reserveFraction: 1 } })).toThrow(/policy.reserveFraction/)
    const schedule = new NoiseSchedule(base)
    expect(() => schedule.completeRound({ validationLoss: Number.NaN })).toThrow(/validationLoss/)
    expect(() => schedule.completeRound({ noiseMultiplier: -1 })).toThrow(/noiseMultiplier/)
  })
})
