import { escapeHtml } from '../escape.js'
import { renderXAxis, renderYAxis, round } from './axes.js'
import { CHART_WIDTH, LEGEND_ROW_HEIGHT, MARGIN, plotBox } from './layout.js'
import { legendRows, renderLegend, type LegendItem } from './legend.js'
import { linearScale, niceDomain } from './scale.js'
import { finite, formatNumber, rawNumber } from './format.js'

/** One part of a bar; a plain bar has one segment, a stacked bar several. */
export interface BarSegment {
  /** Segment name, e.g. a phase; matches a legend entry. */
  name: string
  value: number
  color: string
}

/** One bar (category). */
export interface Bar {
  /** Stable key, written to `data-key`. */
  key: string
  /** Tick label under (or beside) the bar. */
  label: string
  segments: readonly BarSegment[]
}

/** What {@link renderBarChart} draws. */
export interface BarChartParameters {
  /** Written to `data-chart`. */
  id: string
  /** Accessible name (SVG `<title>`). */
  title: string
  /** Title of the category axis. */
  categoryLabel: string
  /** Title of the value axis. */
  valueLabel: string
  bars: readonly Bar[]
  /** Legend entries for the segment names; none for plain bars. */
  legend?: readonly LegendItem[]
  /** Value format for ticks and tooltips. @default formatNumber */
  format?: (value: number) => string
  /** `vertical`: one column per category (rounds); `horizontal`: one row per category (hospitals). @default 'vertical' */
  orientation?: 'vertical' | 'horizontal'
}

/** Height of one row of a horizontal bar chart. */
const ROW_HEIGHT = 24
/** Row height once there are more than {@link DENSE_AFTER_ROWS} rows, so 64 hospitals stay on one screen. */
const DENSE_ROW_HEIGHT = 13
const DENSE_AFTER_ROWS = 16
/** Left margin of a horizontal chart, room for category labels such as `hospital-10`. */
const CATEGORY_MARGIN = 120
/** At most this many category labels along a vertical chart's x axis; the rest are thinned out. */
const MAX_X_LABELS = 16

/**
 * A bar chart with stacked segments and a value axis starting at zero. Each bar is a `<g class="bar">`
 * with `data-key` and `data-total`; each segment a `<rect>` with `data-segment`, `data-value` and a
 * `<title>` naming the category, the segment and the value. Negative and missing values count as 0.
 *
 * @returns SVG markup, or an empty string when there are no bars.
 */
export function renderBarChart(params: BarChartParameters): string {
  if (params.bars.length === 0) return ''
  const format = params.format ?? formatNumber
  const bars = params.bars.map((b) => {
    const segments = b.segments.map((s) => ({ ...s, value: Math.max(0, finite(s.value) ?? 0) }))
    return { ...b, segments, total: segments.reduce((sum, s) => sum + s.value, 0) }
  })
  const maxTotal = Math.max(...bars.map((b) => b.total))
  const { domain, ticks } = niceDomain({ min: 0, max: maxTotal > 0 ? maxTotal : 1 })
  const legend = params.legend ?? []
  const horizontal = params.orientation === 'horizontal'
  const dense = horizontal && bars.length > DENSE_AFTER_ROWS
  const rowHeight = dense ? DENSE_ROW_HEIGHT : ROW_HEIGHT

  const box = horizontal
    ? { left: CATEGORY_MARGIN, top: MARGIN.top, right: CHART_WIDTH - MARGIN.right, bottom: MARGIN.top + bars.length * rowHeight }
    : plotBox()
  const legendTop = box.bottom + MARGIN.bottom
  const height = legendTop + legendRows(legend.length) * LEGEND_ROW_HEIGHT + 4

  let axes: string
  let marks: string[]
  if (horizontal) {
    const v = linearScale(domain, box.left, box.right)
    const band = rowHeight
    axes =
      renderXAxis(box, ticks.map((t) => ({ x: v(t), label: format(t) })), params.valueLabel) +
      ticks.map((t) => `<line class="gridline" x1="${round(v(t))}" y1="${box.top}" x2="${round(v(t))}" y2="${box.bottom}"/>`).join('') +
      `<line class="axis-line" x1="${box.left}" y1="${box.top}" x2="${box.left}" y2="${box.bottom}"/>`
    marks = bars.map((b, i) => {
      const top = box.top + i * band + band * 0.15
      let start = 0
      const rects = b.segments.map((s) => {
        const x0 = v(start)
        start += s.value
        return segmentRect(b.label, s, x0, top, v(start) - x0, band * 0.7, format)
      })
      return (
        `<g class="bar" data-key="${escapeHtml(b.key)}" data-total="${rawNumber(b.total)}">` +
        `<text class="category" x="${box.left - 6}" y="${round(top + band * 0.35 + band / 6)}" text-anchor="end">${escapeHtml(b.label)}</text>` +
        `${rects.join('')}<text class="bar-value" x="${round(v(b.total) + 4)}" y="${round(top + band * 0.35 + band / 6)}">${escapeHtml(format(b.total))}</text></g>`
      )
    })
  } else {
    const v = linearScale(domain, box.bottom, box.top)
    const band = (box.right - box.left) / bars.length
    const every = Math.ceil(bars.length / MAX_X_LABELS)
    axes =
      renderYAxis(box, v, ticks, format, params.valueLabel) +
      renderXAxis(
        box,
        bars.flatMap((b, i) => (i % every === 0 ? [{ x: box.left + (i + 0.5) * band, label: b.label }] : [])),
        params.categoryLabel,
      )
    marks = bars.map((b, i) => {
      const left = box.left + i * band + band * 0.15
      let start = 0
      const rects = b.segments.map((s) => {
        const y0 = v(start)
        start += s.value
        return segmentRect(b.label, s, left, v(start), band * 0.7, y0 - v(start), format)
      })
      return `<g class="bar" data-key="${escapeHtml(b.key)}" data-total="${rawNumber(b.total)}">${rects.join('')}</g>`
    })
  }

  return (
    `<svg class="chart bar-chart${dense ? ' dense' : ''}" data-chart="${escapeHtml(params.id)}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img">` +
    `<title>${escapeHtml(params.title)}</title>${axes}${marks.join('')}${renderLegend(legend, legendTop)}</svg>`
  )
}

function segmentRect(category: string, s: BarSegment, x: number, y: number, width: number, height: number, format: (v: number) => string): string {
  return (
    `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(0, width))}" height="${round(Math.max(0, height))}" fill="${s.color}" ` +
    `data-segment="${escapeHtml(s.name)}" data-value="${rawNumber(s.value)}"><title>${escapeHtml(`${category} · ${s.name}: ${format(s.value)}`)}</title></rect>`
  )
}
