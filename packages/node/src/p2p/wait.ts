import { WAIT_POLL_MS } from './constants.js'
import { WaitTimeoutError } from './errors.js'

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long, milliseconds. @default 20000 */
  readonly timeoutMs?: number
  /** Poll interval, milliseconds. @default 25 */
  readonly intervalMs?: number
  readonly signal?: AbortSignal
}

/**
 * Polls `condition` until it returns true — for network readiness (peers connected, topic
 * subscribed, mesh formed) where a fixed sleep is either too slow or flaky.
 *
 * @param what described in the timeout error
 * @throws {@link WaitTimeoutError} when the condition still fails after `timeoutMs`
 * @example
 * ```ts
 * await waitFor('3 subscribers', () => gossip.subscribers(task).length >= 3)
 * ```
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000
  const deadline = Date.now() + timeoutMs
  for (;;) {
    options.signal?.throwIfAborted()
    if (await condition()) return
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? WAIT_POLL_MS))
  }
}
