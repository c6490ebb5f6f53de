import type { Provider } from 'ethers'
import { abortableSleep } from './membership.js'

/** Shortest pause between two steps of the loop, ms: blocks arriving in a burst wake it once. */
export const MIN_STEP_GAP_MS = 50

/** Wakes a polling loop early when the chain has a new block. */
export interface BlockWakeup {
  /**
   * Resolves after `ms`, or as soon as a block arrives (at least {@link MIN_STEP_GAP_MS} after the
   * call), or right away after that gap when a block arrived since the last wait.
   * @throws {DaemonStoppedError} when `signal` aborts
   */
  wait(ms: number, signal: AbortSignal): Promise<void>
  /** Stops listening for blocks. */
  stop(): Promise<void>
}

/**
 * The chain's state only changes with a new block, so a node waiting for the next phase of a round
 * need not wait out its whole poll interval: the interval stays as the fallback, and each block
 * (seen through the provider's own block polling) ends the wait early. A block that arrived while
 * the loop was busy is remembered, so the state it brought is read on the next step at once.
 */
export async function watchBlocks(provider: Provider): Promise<BlockWakeup> {
  let arrived = false
  let wake: (() => void) | undefined
  const onBlock = () => {
    arrived = true
    wake?.()
  }
  await provider.on('block', onBlock)
  return {
    async wait(ms, signal) {
      await abortableSleep(Math.min(ms, MIN_STEP_GAP_MS), signal)
      if (arrived || ms <= MIN_STEP_GAP_MS) {
        arrived = false
        return
      }
      const block = new Promise<void>((resolve) => (wake = resolve))
      try {
        await Promise.race([abortableSleep(ms - MIN_STEP_GAP_MS, signal), block])
      } finally {
        wake = undefined
        arrived = false
      }
    },
    async stop() {
      await provider.off('block', onBlock)
    },
  }
}
