/** Linear scales and "nice" tick values for chart axes. */

/** A closed numeric interval. */
export interface Domain {
  min: number
  max: number
}

/** A function from data space to pixel space with the domain it was built for. */
export interface LinearScale {
  (value: number): number
  domain: Domain
}

/** Maps `domain` linearly onto the pixel range `[from, to]` (to may be below from for y axes). */
export function linearScale(domain: Domain, from: number, to: number): LinearScale {
  const span = domain.max - domain.min
  const scale = ((value: number) => (span === 0 ? (from + to) / 2 : from + ((value - domain.min) / span) * (to - from))) as LinearScale
  scale.domain = domain
  return scale
}

/** The smallest of 1, 2, 2.5, 5, 10 × 10^k that splits `span` into at most about `count` steps. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || count < 1) return 1
  const raw = span / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  for (const factor of [1, 2, 2.5, 5, 10]) {
    if (factor * magnitude >= raw) return factor * magnitude
  }
  return 10 * magnitude
}

/**
 * Widens a data extent to tick-aligned bounds and returns the ticks.
 * A degenerate extent (one value) is padded so the value sits mid-axis instead of on a zero span.
 */
export function niceDomain(extent: Domain, count = 5): { domain: Domain; ticks: number[] } {
  let { min, max } = extent
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    min -= pad
    max += pad
  }
  const step = niceStep(max - min, count)
  const lo = Math.floor(min / step + 1e-9) * step
  const hi = Math.ceil(max / step - 1e-9) * step
  const ticks: number[] = []
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(roundTo(lo + i * step, step))
  return { domain: { min: lo, max: hi }, ticks }
}

/** Integer ticks for a round axis: every round when few, otherwise a nice integer step. */
export function integerTicks(min: number, max: number, count = 10): number[] {
  const step = Math.max(1, Math.ceil(niceStep(max - min, count)))
  const ticks: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t)
  return ticks
}

/** Extent of the given numbers, or undefined when there are none. */
export function extentOf(values: Iterable<number>): Domain | undefined {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  return min <= max ? { min, max } : undefined
}

// Removes float noise such as 0.30000000000000004 from tick labels.
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2)
  return Number(value.toFixed(Math.min(decimals, 15)))
}
