import { escapeHtml } from '../escape.js'
import { renderXAxis, renderYAxis, round } from './axes.js'
import { CHART_WIDTH, LEGEND_ROW_HEIGHT, MARGIN, plotBox } from './layout.js'
import { legendRows, renderLegend, type LegendItem } from './legend.js'
import { extentOf, integerTicks, linearScale, niceDomain, type Domain } from './scale.js'
import { finite, formatNumber, rawNumber } from './format.js'

/** One line: a value per x position; `undefined` leaves a gap (an aborted round, a late joiner). */
export interface LineSeries {
  /** Stable key, e.g. a hospital address; written to `data-series-id`. */
  id: string
  label: string
  color: string
  points: readonly { x: number; y: number | undefined }[]
}

/** A horizontal dashed line across the plot, e.g. the centralized baseline. */
export interface ReferenceLine {
  id: string
  label: string
  value: number
  color: string
}

/** What {@link renderLineChart} draws. */
export interface LineChartParameters {
  /** Written to `data-chart`; tests and styles find the chart by it. */
  id: string
  /** Accessible name of the chart (the SVG `<title>`). */
  title: string
  xLabel: string
  yLabel: string
  series: readonly LineSeries[]
  references?: readonly ReferenceLine[]
  /** Tick and tooltip format for y values. @default formatNumber */
  yFormat?: (value: number) => string
  /** Fixed y bounds; the data extent decides the unset side. */
  yDomain?: Partial<Domain>
  /** Show a legend even for a single series. @default true when more than one series or any reference */
  legend?: boolean
}

/**
 * A line chart with one polyline per series, a circle with a `<title>` per data point, y grid,
 * integer x ticks (rounds), optional reference lines and a legend below the plot.
 * Every series carries its numbers in `data-values` (comma-separated, empty for a gap).
 *
 * @returns SVG markup, or an empty string when no series has a single value.
 */
export function renderLineChart(params: LineChartParameters): string {
  const format = params.yFormat ?? formatNumber
  const references = params.references ?? []
  const values = params.series.flatMap((s) => s.points.map((p) => finite(p.y)).filter((v): v is number => v !== undefined))
  if (values.length === 0) return ''
  const xs = params.series.flatMap((s) => s.points.map((p) => p.x))
  const xExtent = extentOf(xs) ?? { min: 0, max: 1 }
  const dataExtent = extentOf([...values, ...references.map((r) => r.value)]) ?? { min: 0, max: 1 }
  const { domain, ticks } = niceDomain({ min: params.yDomain?.min ?? dataExtent.min, max: params.yDomain?.max ?? dataExtent.max })

  const box = plotBox()
  // Half a step of padding on each side keeps the first and last points off the axes.
  const x = linearScale({ min: xExtent.min - 0.5, max: xExtent.max + 0.5 }, box.left, box.right)
  const y = linearScale(domain, box.bottom, box.top)

  const legendItems: LegendItem[] = [
    ...params.series.map((s) => ({ id: s.id, label: s.label, color: s.color })),
    ...references.map((r) => ({ id: r.id, label: r.label, color: r.color, dashed: true })),
  ]
  const showLegend = params.legend ?? legendItems.length > 1
  const legendTop = box.bottom + MARGIN.bottom
  const height = legendTop + (showLegend ? legendRows(legendItems.length) * LEGEND_ROW_HEIGHT : 0) + 4

  const referenceMarks = references.map((r) => {
    const py = round(y(r.value))
    return (
      `<g class="reference" data-series-id="${escapeHtml(r.id)}" data-value="${rawNumber(r.value)}"><title>${escapeHtml(`${r.label}: ${format(r.value)}`)}</title>` +
      `<line x1="${box.left}" y1="${py}" x2="${box.right}" y2="${py}" stroke="${r.color}" stroke-width="1.5" stroke-dasharray="6 4"/></g>`
    )
  })

  const lines = params.series.map((s) => {
    const segments: string[][] = [[]]
    const dots: string[] = []
    for (const p of s.points) {
      const v = finite(p.y)
      if (v === undefined) {
        if (segments.at(-1)?.length) segments.push([])
        continue
      }
      const px = round(x(p.x))
      const py = round(y(v))
      segments.at(-1)?.push(`${px},${py}`)
      dots.push(
        `<circle cx="${px}" cy="${py}" r="3" fill="${s.color}" data-x="${rawNumber(p.x)}" data-y="${rawNumber(v)}">` +
          `<title>${escapeHtml(`${s.label} · ${params.xLabel.toLowerCase()} ${p.x}: ${format(v)}`)}</title></circle>`,
      )
    }
    const polylines = segments
      .filter((seg) => seg.length > 0)
      .map((seg) => `<polyline points="${seg.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"/>`)
    const dataValues = s.points.map((p) => (finite(p.y) === undefined ? '' : rawNumber(p.y as number))).join(',')
    return (
      `<g class="series" data-series-id="${escapeHtml(s.id)}" data-label="${escapeHtml(s.label)}" data-values="${dataValues}">` +
      `<title>${escapeHtml(s.label)}</title>${polylines.join('')}${dots.join('')}</g>`
    )
  })

  const xTicks = integerTicks(Math.ceil(xExtent.min), Math.floor(xExtent.max)).map((t) => ({ x: x(t), label: String(t) }))
  return (
    `<svg class="chart line-chart" data-chart="${escapeHtml(params.id)}" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img">` +
    `<title>${escapeHtml(params.title)}</title>` +
    renderYAxis(box, y, ticks, format, params.yLabel) +
    renderXAxis(box, xTicks, params.xLabel) +
    referenceMarks.join('') +
    lines.join('') +
    (showLegend ? renderLegend(legendItems, legendTop) : '') +
    `</svg>`
  )
}
