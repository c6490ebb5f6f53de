import { escapeHtml } from '../escape.js'
import type { PlotBox } from './layout.js'
import type { LinearScale } from './scale.js'

/** Horizontal grid lines with y tick labels on the left edge of the plot, and the y axis title. */
export function renderYAxis(box: PlotBox, y: LinearScale, ticks: readonly number[], format: (v: number) => string, title: string): string {
  const lines = ticks.map((t) => {
    const py = round(y(t))
    return (
      `<g class="tick" data-value="${t}"><line class="gridline" x1="${box.left}" y1="${py}" x2="${box.right}" y2="${py}"/>` +
      `<text x="${box.left - 6}" y="${py + 4}" text-anchor="end">${escapeHtml(format(t))}</text></g>`
    )
  })
  const midY = round((box.top + box.bottom) / 2)
  return (
    `<g class="axis y-axis">${lines.join('')}` +
    `<line class="axis-line" x1="${box.left}" y1="${box.top}" x2="${box.left}" y2="${box.bottom}"/>` +
    `<text class="axis-title" transform="translate(14 ${midY}) rotate(-90)" text-anchor="middle">${escapeHtml(title)}</text></g>`
  )
}

/** The x axis line along the bottom of the plot with labelled ticks at the given pixel positions. */
export function renderXAxis(box: PlotBox, ticks: readonly { x: number; label: string }[], title: string): string {
  const marks = ticks.map(
    (t) =>
      `<g class="tick"><line x1="${round(t.x)}" y1="${box.bottom}" x2="${round(t.x)}" y2="${box.bottom + 5}"/>` +
      `<text x="${round(t.x)}" y="${box.bottom + 18}" text-anchor="middle">${escapeHtml(t.label)}</text></g>`,
  )
  return (
    `<g class="axis x-axis"><line class="axis-line" x1="${box.left}" y1="${box.bottom}" x2="${box.right}" y2="${box.bottom}"/>` +
    `${marks.join('')}<text class="axis-title" x="${round((box.left + box.right) / 2)}" y="${box.bottom + 36}" text-anchor="middle">${escapeHtml(title)}</text></g>`
  )
}

/** Pixel coordinates rounded to 0.1 px: enough precision, much shorter markup. */
export function round(value: number): number {
  return Math.round(value * 10) / 10
}
