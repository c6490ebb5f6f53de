/** How a retried operation backs off. */
export interface RetryOptions {
  /** Total attempts, the first included. @default 5 */
  readonly attempts?: number
  /** Delay before the second attempt; doubles each time. @default 200 */
  readonly baseDelayMs?: number
  /** Upper bound for one delay. @default 5000 */
  readonly maxDelayMs?: number
  /** Decides whether an error is worth another attempt. @default every error */
  readonly isRetryable?: (error: unknown) => boolean
  /** Called before each new attempt, e.g. to log. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  readonly signal?: AbortSignal
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `operation` until it succeeds, with exponential backoff between attempts.
 * @throws the last error when every attempt failed or the error is not retryable
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5
  const base = options.baseDelayMs ?? 200
  const max = options.maxDelayMs ?? 5_000
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      const retryable = options.isRetryable?.(error) ?? true
      if (!retryable || attempt >= attempts) throw error
      const delayMs = Math.min(max, base * 2 ** (attempt - 1))
      options.onRetry?.(error, attempt, delayMs)
      await sleep(delayMs, options.signal)
    }
  }
}
