import { escapeHtml } from './escape.js'
import { PAGE_CSS } from './page-style.js'

/** What {@link renderPage} wraps. */
export interface PageParameters {
  title: string
  /** One line under the title. */
  subtitle?: string
  /** Trusted HTML of the page body (already escaped by the section renderers). */
  body: string
  /** Seconds after which the browser reloads the page; none for a static report. */
  refreshSeconds?: number
  /** Footer text. */
  footer?: string
}

/**
 * A complete HTML document with the inline stylesheet. A Content-Security-Policy that allows no
 * scripts and no network makes the "self-contained, nothing fetched" promise checkable by the browser.
 */
export function renderPage(params: PageParameters): string {
  const refresh = params.refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${Math.max(1, Math.round(params.refreshSeconds))}">`
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    refresh +
    `<title>${escapeHtml(params.title)}</title><style>${PAGE_CSS}</style></head><body>` +
    `<header class="page"><h1>${escapeHtml(params.title)}</h1>${params.subtitle === undefined ? '' : `<p>${escapeHtml(params.subtitle)}</p>`}</header>` +
    `<main>${params.body}</main>` +
    `${params.footer === undefined ? '' : `<footer>${escapeHtml(params.footer)}</footer>`}</body></html>\n`
  )
}
