import type { Dataset } from '../learning/data/dataset.js'
import type { SeededRandom } from '../learning/random.js'
import { AggregationError } from './errors.js'

/** Attack names accepted by `--malicious <fraction>:<attack>`. */
export const ATTACK_NAMES = ['sign-flip', 'scale', 'gaussian', 'label-flip', 'free-rider'] as const
export type AttackName = (typeof ATTACK_NAMES)[number]

/** A malicious participant's behaviour: it may poison its data and/or rewrite its update. */
export interface Attack {
  readonly name: AttackName
  /** Applied to the training rows before local training. */
  poisonData(data: Dataset): Dataset
  /** Turns the honestly trained delta into the one actually sent. */
  corruptUpdate(delta: Float32Array, random: SeededRandom): Float32Array
}

export interface AttackInit {
  /** Boosting factor of `scale`. @default 10 */
  readonly scaleFactor?: number
  /** Noise of `gaussian`, as a multiple of the honest delta's RMS (noise attacks in the literature are large-variance, e.g. Fang et al. 2020). @default 10 */
  readonly noiseRatio?: number
}

/**
 * Builds an attack:
 * - `sign-flip`: sends −Δ;
 * - `scale`: sends `scaleFactor`·Δ (model-replacement boosting);
 * - `gaussian`: sends pure N(0, (noiseRatio·rms(Δ))²) noise;
 * - `label-flip`: trains honestly on labels mapped y → k − 1 − y;
 * - `free-rider`: replays the global model, i.e. sends Δ = 0.
 */
export function createAttack(name: string, init: AttackInit = {}): Attack {
  const keepData = (data: Dataset) => data
  switch (name as AttackName) {
    case 'sign-flip':
      return { name: 'sign-flip', poisonData: keepData, corruptUpdate: (d) => d.map((v) => -v) }
    case 'scale': {
      const factor = init.scaleFactor ?? 10
      return { name: 'scale', poisonData: keepData, corruptUpdate: (d) => d.map((v) => factor * v) }
    }
    case 'gaussian': {
      const ratio = init.noiseRatio ?? 10
      return {
        name: 'gaussian',
        poisonData: keepData,
        corruptUpdate(d, random) {
          let sq = 0
          for (const v of d) sq += v * v
          const std = ratio * Math.sqrt(sq / Math.max(1, d.length))
          return Float32Array.from(d, () => std * random.normal())
        },
      }
    }
    case 'label-flip':
      return {
        name: 'label-flip',
        poisonData: (data) => ({ ...data, labels: data.labels.map((y) => data.numClasses - 1 - y) }),
        corruptUpdate: (d) => d,
      }
    case 'free-rider':
      return { name: 'free-rider', poisonData: keepData, corruptUpdate: (d) => new Float32Array(d.length) }
    default:
      throw new AggregationError(`unknown attack '${name}'`, { hint: `use one of ${ATTACK_NAMES.join(', ')}` })
  }
}
