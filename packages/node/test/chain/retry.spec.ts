import { describe, expect, it } from 'vitest'
import { withRetry } from '../../src/chain/retry.js'

describe('withRetry', () => {
  it('retries until the operation succeeds, doubling the delay', async () => {
    const delays: number[] = []
    const result = await withRetry(
      async (attempt) => {
        if (attempt < 3) throw new Error(`attempt ${attempt}`)
        return attempt
      },
      { baseDelayMs: 1, onRetry: (_e, _a, delayMs) => delays.push(delayMs) },
    )
    expect(result).toBe(3)
    expect(delays).toEqual([1, 2])
  })

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error(`failure ${calls}`)
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('failure 3')
    expect(calls).toBe(3)
  })

  it('does not retry an error marked permanent', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('revert')
        },
        { baseDelayMs: 1, isRetryable: () => false },
      ),
    ).rejects.toThrow('revert')
    expect(calls).toBe(1)
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    const pending = withRetry(
      async () => {
        throw new Error('down')
      },
      { baseDelayMs: 10_000, signal: controller.signal },
    )
    controller.abort(new Error('stopped'))
    await expect(pending).rejects.toThrow('stopped')
  })
})
