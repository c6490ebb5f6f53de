import { escapeHtml } from '../escape.js'
import { rawNumber } from './format.js'

/** A row or column header. */
export interface HeatAxisEntry {
  /** Stable key, written to `data-row` / `data-col`. */
  key: string
  label: string
  /** Short marker after the row label, e.g. "attacker". */
  badge?: string
  /** Tooltip for the header, e.g. a full address. */
  title?: string
}

/** What one cell shows. */
export interface HeatCell {
  /** Short visible text (a symbol or a number). */
  text: string
  /** Tooltip with the full meaning. */
  title: string
  /** Category written to `data-state` and used as the CSS class (`cell-<state>`), e.g. `accepted`. */
  state: string
  /** Numeric value, written to `data-value`; with {@link HeatTableParameters.scale} it also sets the shade. */
  value?: number
}

/** What {@link renderHeatTable} draws. */
export interface HeatTableParameters {
  /** Written to `data-chart`. */
  id: string
  caption: string
  /** Header of the row-label column, e.g. "hospital". */
  corner: string
  rows: readonly HeatAxisEntry[]
  columns: readonly HeatAxisEntry[]
  cell: (row: HeatAxisEntry, column: HeatAxisEntry) => HeatCell
  /** Shade numeric cells on a blue ramp over this range; categorical tables colour by CSS class instead. */
  scale?: { min: number; max: number }
}

/**
 * A matrix as an HTML table (rows × columns) with one coloured cell per pair: categorical (by
 * `state`) for the accepted/rejected matrix, or shaded by value. Every cell carries `data-row`,
 * `data-col`, `data-state` and, when numeric, `data-value`.
 *
 * @returns HTML markup, or an empty string when either axis is empty.
 */
export function renderHeatTable(params: HeatTableParameters): string {
  if (params.rows.length === 0 || params.columns.length === 0) return ''
  const head = params.columns.map((c) => `<th scope="col" data-col="${escapeHtml(c.key)}"${titleAttr(c.title)}>${escapeHtml(c.label)}</th>`).join('')
  const body = params.rows.map((r) => {
    const badge = r.badge === undefined ? '' : ` <span class="badge">${escapeHtml(r.badge)}</span>`
    const cells = params.columns.map((c) => {
      const cell = params.cell(r, c)
      const value = cell.value !== undefined && Number.isFinite(cell.value) ? cell.value : undefined
      const style = value !== undefined && params.scale !== undefined ? ` style="background:${shade(value, params.scale)}"` : ''
      return (
        `<td class="cell-${escapeHtml(cell.state)}" data-row="${escapeHtml(r.key)}" data-col="${escapeHtml(c.key)}" data-state="${escapeHtml(cell.state)}"` +
        `${value === undefined ? '' : ` data-value="${rawNumber(value)}"`}${style} title="${escapeHtml(cell.title)}">${escapeHtml(cell.text)}</td>`
      )
    })
    return `<tr><th scope="row" data-row="${escapeHtml(r.key)}"${titleAttr(r.title)}>${escapeHtml(r.label)}${badge}</th>${cells.join('')}</tr>`
  })
  return (
    `<table class="heat-table" data-chart="${escapeHtml(params.id)}"><caption>${escapeHtml(params.caption)}</caption>` +
    `<thead><tr><th scope="col">${escapeHtml(params.corner)}</th>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`
  )
}

function titleAttr(title: string | undefined): string {
  return title === undefined ? '' : ` title="${escapeHtml(title)}"`
}

// Light to saturated blue; lightness stays high enough for dark text to remain readable.
function shade(value: number, scale: { min: number; max: number }): string {
  const span = scale.max - scale.min
  const t = span > 0 ? Math.min(1, Math.max(0, (value - scale.min) / span)) : 0.5
  return `hsl(212 70% ${Math.round(95 - t * 35)}%)`
}
