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
