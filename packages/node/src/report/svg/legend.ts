import { escapeHtml } from '../escape.js'
import { CHART_WIDTH, LEGEND_ITEM_WIDTH, LEGEND_LABEL_MAX_CHARS, LEGEND_ROW_HEIGHT, MARGIN } from './layout.js'

/** One legend entry. */
export interface LegendItem {
  /** Stable key, written to `data-series-id`. */
  id: string
  label: string
  color: string
  /** Draw a dashed line instead of a filled swatch (reference lines). */
  dashed?: boolean
}

/** Number of legend rows `count` entries need at the chart's width. */
export function legendRows(count: number): number {
  return count === 0 ? 0 : Math.ceil(count / legendColumns())
}

/** SVG group laying the entries out left to right, wrapping into rows, starting at `top`. */
export function renderLegend(items: readonly LegendItem[], top: number): string {
  if (items.length === 0) return ''
  const columns = legendColumns()
  const entries = items.map((item, i) => {
    const x = MARGIN.left + (i % columns) * LEGEND_ITEM_WIDTH
    const y = top + Math.floor(i / columns) * LEGEND_ROW_HEIGHT
    const swatch = item.dashed
      ? `<line x1="${x}" y1="${y + 7}" x2="${x + 14}" y2="${y + 7}" stroke="${item.color}" stroke-width="2" stroke-dasharray="4 3"/>`
      : `<rect x="${x}" y="${y + 1}" width="12" height="12" rx="2" fill="${item.color}"/>`
    return (
      `<g class="legend-item" data-series-id="${escapeHtml(item.id)}"><title>${escapeHtml(item.label)}</title>` +
      `${swatch}<text x="${x + 18}" y="${y + 11}">${escapeHtml(shorten(item.label))}</text></g>`
    )
  })
  return `<g class="legend">${entries.join('')}</g>`
}

function legendColumns(): number {
  return Math.max(1, Math.floor((CHART_WIDTH - MARGIN.left - MARGIN.right) / LEGEND_ITEM_WIDTH))
}

function shorten(label: string): string {
  return label.length <= LEGEND_LABEL_MAX_CHARS ? label : `${label.slice(0, LEGEND_LABEL_MAX_CHARS - 1)}…`
}
