/** Number formatting shared by the charts and the page, so a value reads the same everywhere. */

/** A finite number, or undefined for anything else (null, NaN, a string in a hand-edited summary). */
export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** Compact human form: 12345 → "12.3k", 0.000123 → "1.23e-4", 0.9512 → "0.951". */
export function formatNumber(value: number): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${trim((value / 1e9).toFixed(2))}G`
  if (abs >= 1e6) return `${trim((value / 1e6).toFixed(2))}M`
  if (abs >= 1e4) return `${trim((value / 1e3).toFixed(1))}k`
  if (abs >= 100) return trim(value.toFixed(0))
  if (abs >= 1e-3) return trim(value.toPrecision(3))
  return value.toExponential(2).replace(/\.?0+e/, 'e')
}

/** 0.9512 → "95.12%". */
export function formatPercent(value: number, digits = 2): string {
  return `${(value * 100).toFixed(digits)}%`
}

/** 1234 → "1.23 s", 56 → "56 ms", 125000 → "2.08 min". */
export function formatMs(ms: number): string {
  if (Math.abs(ms) >= 60_000) return `${trim((ms / 60_000).toFixed(2))} min`
  if (Math.abs(ms) >= 1000) return `${trim((ms / 1000).toFixed(2))} s`
  return `${trim(ms.toFixed(ms < 10 ? 1 : 0))} ms`
}

/** Integer with thousands separators: 412345 → "412,345". */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/**
 * Exact decimal string for a raw data attribute: the shortest round-tripping form JavaScript gives,
 * so a test can parse it back to the summary's number.
 */
export function rawNumber(value: number): string {
  return String(value)
}

function trim(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text
}
