import { describe, expect, it } from 'vitest'
import { AdaptiveClipper, DpError, InvalidArgumentError, NoiseSchedule, PrivacyBudgetExceededError, rdpEpsilon, RdpAccountant } from '../src/index.js'

/** The error thrown by `fn` (fails the test when nothing is thrown). */
function thrown(fn: () => unknown): DpError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DpError)
    return error as DpError
  }
  throw new Error('expected a throw')
}

describe('error messages', () => {
  it('name the argument, the problem and the fix', () => {
    const error = thrown(() => rdpEpsilon({ noiseMultiplier: 1, sampleRate: 0, steps: 1, delta: 1e-5 }))
    expect(error).toBeInstanceOf(InvalidArgumentError)
    expect({ code: error.code, shortMessage: error.shortMessage, hint: error.hint, details: error.details }).toMatchInlineSnapshot(`
      {
        "code": "DP_INVALID_ARGUMENT",
        "details": {
          "argument": "sampleRate",
        },
        "hint": "use the expected batch size divided by the dataset size",
        "shortMessage": "sampleRate: must be in (0, 1], got 0",
      }
    `)
    expect(thrown(() => rdpEpsilon({ noiseMultiplier: 1, sampleRate: 0.1, steps: 1, delta: 2 })).message).toMatchInlineSnapshot(`
      "delta: must be in (0, 1), got 2
      a common choice is δ < 1/(dataset size)"
    `)
    expect(thrown(() => new AdaptiveClipper({ initialClip: 1, countNoiseStd: 0.1 }).gradientNoiseMultiplier(1)).message).toMatchInlineSnapshot(`
      "countNoiseStd: σ_b = 0.1 must exceed z/2 = 0.5 for the count's privacy cost to fit in noise multiplier 1
      use σ_b = m/20 with m the number of norms per update, or a smaller z"
    `)
    expect(thrown(() => RdpAccountant.fromJSON({ mechanism: 'rdp', version: 1, history: [{ noiseMultiplier: -1, sampleRate: 0.1, steps: 1 }] })).message).toMatchInlineSnapshot(`
      "invalid accountant state: noiseMultiplier: must be a finite number ≥ 0, got -1
      pass the value produced by RdpAccountant.prototype.toJSON"
    `)
    expect(thrown(() => new NoiseSchedule({ targetEpsilon: 1e-4, delta: 1e-5, rounds: 10, stepsPerRound: 10, sampleRate: 1 })).shortMessage).toMatchInlineSnapshot(`"noise schedule: no noise multiplier up to 1000000 keeps ε within 0.0001 over the remaining 10 rounds"`)
  })

  it('carry the budget figures on a refusal', () => {
    const error = new PrivacyBudgetExceededError({ taskId: 'task-9', epsilonSpent: 2.95, epsilonRequested: 3.12, epsilonBudget: 3, delta: 1e-5 })
    expect(error.message).toMatchInlineSnapshot(`
      "task task-9: this step would raise ε from 2.9500 to 3.1200, over the budget ε = 3.0000 (δ = 0.00001)
      stop training this task, or take the step with a larger noise multiplier or fewer steps"
    `)
    expect(error.details).toEqual({ taskId: 'task-9', epsilonSpent: 2.95, epsilonRequested: 3.12, epsilonBudget: 3, delta: 1e-5 })
  })
})
