import type { TaskScaling } from '../config/task-manifest.js'
import { escapeHtml } from './escape.js'
import { renderPage } from './page.js'
import { renderSectionsFor } from './status-sections.js'
import type { RunSummary, TokenAmount } from './summary-types.js'
import { finite, formatNumber } from './svg/format.js'
import { parseAmount, weiToTokens } from './report-model.js'

/** Default seconds between reloads of the live status page. */
export const STATUS_REFRESH_SECONDS = 5

/** A node's state as its live status page shows it. */
export interface NodeStatusState {
  /** This node. */
  node: { address: string; name?: string; peerId?: string }
  /** Current round phase, e.g. `training` or `verifying`. */
  phase: string
  /** Current round number. */
  round?: number
  /** Task the node works on. */
  taskId?: string
  /** Connected libp2p peers. */
  peers?: number
  /** Where the node keeps its blobs: `filesystem <path>` or `Kubo <url>`. */
  blobs?: string
  /** How the task scales features: `task` (one scaling for every node) or `local` (this node's own statistics). */
  scaling?: TaskScaling
  /** Gossip messages delivered, and rejected per reason (forged, replayed, oversized, …). */
  gossip?: { delivered: number; rejected: Partial<Record<string, number>> }
  /** This hospital's privacy budget. */
  epsilon?: { spent: number; budget?: number; delta?: number }
  /** This hospital's current reputation. */
  reputation?: number
  /** Rewards credited to this hospital so far (wei string or token units). */
  rewards?: TokenAmount
  /** When the state was taken (ISO 8601); shown so a stale page is recognisable. */
  updatedAt: string
  /** Last error the node hit, shown prominently. */
  lastError?: string
  /** The rounds so far as a run summary: the same charts as the run report are drawn from it. */
  summary: RunSummary
}

/** Options of {@link renderStatusPage}. */
export interface StatusPageOptions {
  /** Seconds between automatic reloads. @default STATUS_REFRESH_SECONDS */
  refreshSeconds?: number
}

/**
 * The live status page a running node serves on 127.0.0.1: this node's phase, round, peers, ε,
 * reputation and rewards, then the run report's charts for the rounds so far. It reloads itself
 * through `<meta http-equiv="refresh">`, so the page needs no script.
 *
 * @example
 * ```ts
 * response.end(renderStatusPage(await node.status()))
 * ```
 */
export function renderStatusPage(state: NodeStatusState, options: StatusPageOptions = {}): string {
  const refreshSeconds = options.refreshSeconds ?? STATUS_REFRESH_SECONDS
  const name = state.node.name ?? state.node.address
  const rows: [string, string, string?][] = [
    ['phase', `<span class="status status-${escapeHtml(state.phase)}" data-phase="${escapeHtml(state.phase)}">${escapeHtml(state.phase)}</span>`],
  ]
  const add = (key: string, text: string | undefined, raw?: number): void => {
    if (text !== undefined) rows.push([key, escapeHtml(text), raw === undefined ? undefined : String(raw)])
  }
  add('round', finite(state.round) === undefined ? undefined : String(state.round), finite(state.round))
  add('task', state.taskId)
  add('address', state.node.address)
  add('peer id', state.node.peerId)
  add('peers', finite(state.peers) === undefined ? undefined : String(state.peers), finite(state.peers))
  add('blobs', state.blobs)
  add('scaling', state.scaling === undefined ? undefined : state.scaling === 'task' ? "the task's, the same for every node" : "this node's own statistics")
  if (state.gossip !== undefined) {
    const rejected = Object.entries(state.gossip.rejected).map(([reason, n]) => `${n} ${reason}`)
    add('gossip', `${state.gossip.delivered} delivered${rejected.length === 0 ? '' : `, rejected: ${rejected.join(', ')}`}`, state.gossip.delivered)
  }
  const spent = finite(state.epsilon?.spent)
  if (spent !== undefined) {
    const budget = finite(state.epsilon?.budget)
    const delta = finite(state.epsilon?.delta)
    const text = `${formatNumber(spent)}${budget === undefined ? '' : ` of ${formatNumber(budget)}`}${delta === undefined ? '' : ` (δ = ${formatNumber(delta)})`}`
    add('ε spent', text, spent)
  }
  add('reputation', finite(state.reputation) === undefined ? undefined : (state.reputation as number).toFixed(3), finite(state.reputation))
  const rewards = parseAmount(state.rewards)
  if (rewards !== undefined) {
    const tokens = typeof rewards === 'bigint' ? weiToTokens(rewards) : rewards
    add('rewards', `${formatNumber(tokens)} tokens`, tokens)
  }
  add('updated', state.updatedAt)
  const table = rows
    .map(([k, html, raw]) => `<tr><th scope="row">${escapeHtml(k)}</th><td data-key="${escapeHtml(k)}"${raw === undefined ? '' : ` data-value="${raw}"`}>${html}</td></tr>`)
    .join('')
  const error = state.lastError === undefined ? '' : `<p class="error" data-key="last-error">${escapeHtml(state.lastError)}</p>`
  const body = `<section id="node" data-section="node"><h2>This node</h2>${error}<table class="kv" data-table="node">${table}</table></section>\n${renderSectionsFor(state.summary)}`
  return renderPage({
    title: `fedchain node · ${name}`,
    subtitle: `live status, refreshing every ${refreshSeconds} s`,
    body,
    refreshSeconds,
    footer: `state of ${state.updatedAt}`,
  })
}
