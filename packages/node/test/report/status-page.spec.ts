import { describe, expect, it } from 'vitest'
import { renderStatusPage, type NodeStatusState } from '../../src/report/index.js'
import { A, chartOf, fullSummary } from './fixtures.js'

function state(overrides: Partial<NodeStatusState> = {}): NodeStatusState {
  return {
    node: { address: A, name: 'st-mary', peerId: '12D3KooWtest' },
    phase: 'verifying',
    round: 4,
    peers: 2,
    epsilon: { spent: 3.75, budget: 8 },
    reputation: 0.8,
    rewards: '9000000000000000000',
    updatedAt: '2026-11-25T17:00:00.000Z',
    summary: fullSummary(),
    ...overrides,
  }
}

describe('renderStatusPage', () => {
  it('reloads itself and shows the node state', () => {
    const html = renderStatusPage(state(), { refreshSeconds: 3 })
    expect(html).toContain('<meta http-equiv="refresh" content="3">')
    expect(html).toContain('data-phase="verifying"')
    expect(html).toMatch(/data-key="round" data-value="4">4</)
    expect(html).toMatch(/data-key="ε spent" data-value="3.75">3.75 of 8</)
    expect(html).toMatch(/data-metric="final-accuracy" data-value="0.951"/)
    expect(html).toMatch(/data-key="rewards" data-value="9">9 tokens</)
    expect(html).not.toMatch(/<script/)
    expect(renderStatusPage(state({ scaling: 'task', blobs: 'Kubo http://127.0.0.1:5001' }))).toMatch(/data-key="scaling">the task&#39;s, the same for every node</)
    expect(renderStatusPage(state({ scaling: 'local' }))).toMatch(/data-key="scaling">this node&#39;s own statistics</)
  })

  it('draws the same charts as the run report for the rounds so far', () => {
    const html = renderStatusPage(state())
    for (const id of ['accuracy', 'epsilon', 'reputation', 'gas', 'timings', 'verdicts']) expect(chartOf(html, id)).toBeDefined()
  })

  it('labels the accuracy of a run in progress as the latest round\'s', () => {
    const summary = fullSummary()
    delete summary.final
    const html = renderStatusPage(state({ summary }))
    expect(html).toMatch(/data-metric="latest-accuracy" data-value="0.951"><div class="card-label">accuracy after round 3</)
  })

  it('works before the first round and escapes the node fields', () => {
    const html = renderStatusPage(state({ phase: 'idle"><x', summary: { rounds: [] }, lastError: '<rpc down>' }))
    expect(html).toContain('No round has reported accuracy or loss yet.')
    expect(html).not.toContain('data-metric="latest-accuracy"')
    expect(html).toContain('data-phase="idle&quot;&gt;&lt;x"')
    expect(html).toContain('&lt;rpc down&gt;')
    expect(html).toContain('<meta http-equiv="refresh" content="5">')
  })
})
