import { escapeHtml } from '../escape.js'
import type { HospitalView } from '../report-model.js'
import type { RoundSummary, RunSummary } from '../summary-types.js'

/** What every section renderer receives: the summary plus what the page derived from it once. */
export interface SectionContext {
  summary: RunSummary
  /** Rounds sorted by round number. */
  rounds: RoundSummary[]
  /** Hospitals with the labels and colours every chart shares. */
  hospitals: HospitalView[]
}

/** A titled `<section>`; `id` is the anchor and `data-section` value. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${escapeHtml(id)}" data-section="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${body}</section>`
}

/** A figure holding one chart, with a caption under it. */
export function figure(chart: string, caption: string): string {
  return chart === '' ? '' : `<figure>${chart}<figcaption>${escapeHtml(caption)}</figcaption></figure>`
}

/** A note saying why a chart is missing. */
export function emptyNote(text: string): string {
  return `<p class="empty">${escapeHtml(text)}</p>`
}
