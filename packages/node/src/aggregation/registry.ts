import { AggregationError } from './errors.js'
import { fedAdam, fedYogi } from './fed-opt.js'
import { fedAvg } from './fedavg.js'
import { fedAvgM } from './fedavgm.js'
import { reputationWeightedMean } from './reputation.js'
import { coordinateMedianStrategy, krum, multiKrum, trimmedMean } from './robust.js'
import type { AggregationStrategy } from './types.js'

/** Strategy names accepted by `--strategy`. */
export const STRATEGY_NAMES = ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'median', 'trimmed-mean', 'krum', 'multi-krum', 'reputation'] as const
export type StrategyName = (typeof STRATEGY_NAMES)[number]

/** Share of participants Krum and Multi-Krum assume Byzantine when nobody says otherwise. */
export const DEFAULT_BYZANTINE_FRACTION = 0.3

export interface CreateStrategyParameters {
  readonly name: string
  /** Participants per round, for Krum's f. */
  readonly participants: number
  /** Assumed Byzantine fraction, for Krum / Multi-Krum. @default {@link DEFAULT_BYZANTINE_FRACTION} */
  readonly byzantineFraction?: number
}

/**
 * Builds a strategy with its default hyper-parameters from its CLI name.
 * @throws {AggregationError} for an unknown name
 */
export function createStrategy({ name, participants, byzantineFraction = DEFAULT_BYZANTINE_FRACTION }: CreateStrategyParameters): AggregationStrategy {
  const byzantine = Math.max(0, Math.min(Math.round(byzantineFraction * participants), participants - 3))
  switch (name as StrategyName) {
    case 'fedavg':
      return fedAvg()
    case 'fedavgm':
      return fedAvgM()
    case 'fedadam':
      return fedAdam()
    case 'fedyogi':
      return fedYogi()
    case 'median':
      return coordinateMedianStrategy()
    case 'trimmed-mean':
      return trimmedMean()
    case 'krum':
      return krum({ byzantine })
    case 'multi-krum':
      return multiKrum({ byzantine })
    case 'reputation':
      return reputationWeightedMean()
    default:
      throw new AggregationError(`unknown strategy '${name}'`, { hint: `use one of ${STRATEGY_NAMES.join(', ')}` })
  }
}
