import { escapeHtml } from '../escape.js'
import { section, type SectionContext } from './section.js'

/** Nesting depth beyond which config values are shown as JSON instead of further rows. */
const MAX_CONFIG_DEPTH = 3

/** The final model's figures as a key/value table. */
export function renderFinalMetrics(ctx: SectionContext): string {
  const rows = flatten(ctx.summary.final ?? {}, '', 0)
  return section('final', 'Final metrics', rows.length === 0 ? '<p class="empty">No final metrics recorded.</p>' : kvTable('final', rows))
}

/** The configuration as run, nested keys joined with dots. */
export function renderConfig(ctx: SectionContext): string {
  const rows = flatten(ctx.summary.config ?? {}, '', 0)
  return section('config', 'Configuration', rows.length === 0 ? '<p class="empty">No configuration recorded.</p>' : kvTable('config', rows))
}

function kvTable(id: string, rows: readonly [string, string][]): string {
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td data-key="${escapeHtml(k)}">${escapeHtml(v)}</td></tr>`).join('')
  return `<table class="kv" data-table="${escapeHtml(id)}">${body}</table>`
}

function flatten(value: unknown, prefix: string, depth: number): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < MAX_CONFIG_DEPTH) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix === '' ? k : `${prefix}.${k}`, depth + 1))
  }
  if (prefix === '') return []
  if (value === null || value === undefined) return [[prefix, '—']]
  return [[prefix, typeof value === 'string' ? value : (JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value))]]
}
