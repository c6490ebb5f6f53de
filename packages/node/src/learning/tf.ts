import * as tf from '@tensorflow/tfjs-core'
import { selectBackend, type BackendSelection } from './backend.js'

let selection: Promise<BackendSelection> | undefined

/**
 * Selects and initialises the tfjs backend once per process (see {@link selectBackend});
 * every learning entry point awaits this before touching tensors.
 */
export function ensureBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendSelection> {
  selection ??= selectBackend(env).then(async (chosen) => {
    await tf.ready()
    return chosen
  })
  return selection
}

export { tf }

/**
 * Runs `fn` in a tfjs scope, disposing every tensor it creates, and returns its (non-tensor)
 * result. Unlike `tf.tidy(fn)` it does not walk the result looking for tensors to keep, which
 * costs ≈ 0.4 µs per element when the result holds a large typed array.
 */
export function scoped<T>(fn: () => T): T {
  let result: T | undefined
  let done = false
  tf.tidy(() => {
    result = fn()
    done = true
  })
  if (!done) throw new Error('unreachable: tf.tidy did not run its function')
  return result as T
}
