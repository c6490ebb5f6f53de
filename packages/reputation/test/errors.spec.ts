import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, ReputationError, reputationParameters, splitReward } from '../src/index.js'

function caught(fn: () => unknown): InvalidArgumentError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error
    throw error
  }
  throw new Error('expected an InvalidArgumentError')
}

describe('errors', () => {
  it('carry a code, the argument and a hint', () => {
    const error = caught(() => reputationParameters({ priorWeight: 0 }))
    expect(error).toBeInstanceOf(ReputationError)
    expect(error.code).toBe('REPUTATION_INVALID_ARGUMENT')
    expect(error.argument).toBe('params.priorWeight')
    expect(error.details).toEqual({ argument: 'params.priorWeight' })
    expect(error.shortMessage).toMatchInlineSnapshot(`"params.priorWeight: must be in [1, 2^256 − 1], got 0"`)
    expect(error.hint).toMatchInlineSnapshot(`"The prior weight W must be > 0, otherwise the opinion of a hospital without evidence is 0/0."`)
  })

  it('name the offending participant of a split', () => {
    const error = caught(() =>
      splitReward({ pool: 1n, committeeFeeBps: 0, committeeMembers: 1, participants: [{ id: 'a', score: 0n, qualityBps: 10_001 }] }),
    )
    expect(error.message).toMatchInlineSnapshot(`"participants[0].qualityBps: must be an integer in [0, 10000], got 10001"`)
  })
})
