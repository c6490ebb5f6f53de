import { AggregationError } from './errors.js'
import { applyStep, coordinateMedian, coordinateTrimmedMean, multiKrumSelection, sortedUpdates, weightedMean } from './math.js'
import type { AggregationStrategy } from './types.js'

/** Coordinate-wise median of the deltas (Yin et al. 2018); ignores example counts. */
export function coordinateMedianStrategy(): AggregationStrategy {
  return {
    name: 'median',
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      return { global: applyStep(global, coordinateMedian(sorted.map((u) => u.delta), global.length)), selected: sorted.map((u) => u.id) }
    },
  }
}

export interface TrimmedMeanInit {
  /** Fraction β of updates dropped from each end per coordinate (floor(β·n)). @default 0.2 */
  readonly trimFraction?: number
}

/** Coordinate-wise β-trimmed mean (Yin et al. 2018). */
export function trimmedMean(init: TrimmedMeanInit = {}): AggregationStrategy {
  const beta = init.trimFraction ?? 0.2
  if (!(beta >= 0 && beta < 0.5)) throw new AggregationError(`trimFraction must be in [0, 0.5); got ${beta}`)
  return {
    name: 'trimmed-mean',
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      const trim = Math.floor(beta * sorted.length)
      return { global: applyStep(global, coordinateTrimmedMean(sorted.map((u) => u.delta), global.length, trim)), selected: sorted.map((u) => u.id) }
    },
  }
}

export interface KrumInit {
  /** Assumed number f of Byzantine participants per round; needs n ≥ f + 3. */
  readonly byzantine: number
  /**
   * How many lowest-score updates to average (Multi-Krum). 1 is Krum.
   * @default n − f for Multi-Krum
   */
  readonly select?: number
}

/** Krum (Blanchard et al. 2017): the single update closest to its n − f − 2 neighbours. */
export function krum(init: { readonly byzantine: number }): AggregationStrategy {
  return multiKrumNamed('krum', { byzantine: init.byzantine, select: 1 })
}

/** Multi-Krum: the example-weighted mean of the m updates with the best Krum scores. */
export function multiKrum(init: KrumInit): AggregationStrategy {
  return multiKrumNamed('multi-krum', init)
}

function multiKrumNamed(name: string, init: KrumInit): AggregationStrategy {
  return {
    name,
    aggregate({ global, updates }) {
      const sorted = sortedUpdates(updates, global.length)
      if (sorted.length === 0) return { global: Float32Array.from(global), selected: [] }
      const f = Math.min(init.byzantine, Math.max(0, sorted.length - 3))
      const m = Math.max(1, Math.min(sorted.length, init.select ?? sorted.length - f))
      const picked = sorted.length < 3 ? sorted.map((_, i) => i) : multiKrumSelection(sorted.map((u) => u.delta), f, m)
      const chosen = picked.map((i) => sorted[i] as (typeof sorted)[number])
      const mean = weightedMean(chosen.map((u) => u.delta), chosen.map((u) => u.examples), global.length)
      return { global: applyStep(global, mean), selected: chosen.map((u) => u.id) }
    },
  }
}
