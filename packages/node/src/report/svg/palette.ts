/**
 * Series colours: a fixed qualitative palette (Tableau 10) so the same hospital keeps its colour
 * across every chart of a page; beyond ten series, hues are spread by the golden angle.
 */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const

/** Colour of the `index`-th series. */
export function seriesColor(index: number): string {
  const fixed = PALETTE[index]
  if (fixed !== undefined) return fixed
  const hue = Math.round((index * 137.508) % 360)
  return `hsl(${hue} 55% 48%)`
}

/** Colour for the round phases, in protocol order. */
export const PHASE_COLORS: Readonly<Record<string, string>> = {
  train: '#4e79a7',
  commit: '#f28e2b',
  share: '#76b7b2',
  verify: '#59a14f',
  aggregate: '#edc948',
  finalize: '#b07aa1',
}
