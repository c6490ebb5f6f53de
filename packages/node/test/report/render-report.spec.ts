import { describe, expect, it } from 'vitest'
import { renderReport, type RunSummary } from '../../src/report/index.js'
import { A, B, C, attrOf, chartOf, findTags, fullSummary, memorySummary } from './fixtures.js'

describe('renderReport', () => {
  it('is one self-contained HTML document: no scripts, no external resources', () => {
    const html = renderReport(fullSummary())
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|@import|url\(|src="http|href="http/i)
    expect(html).toContain("default-src 'none'")
  })

  it('carries the accuracy and loss of every round, and the baseline, in the chart data', () => {
    const html = renderReport(fullSummary())
    const accuracy = chartOf(html, 'accuracy') ?? ''
    const series = findTags(accuracy, 'g', ['data-series-id', 'federated'])[0] ?? ''
    expect(attrOf(series, 'data-values')).toBe('0.9,0.93,0.951')
    expect(findTags(accuracy, 'circle').map((c) => Number(attrOf(c, 'data-y')))).toEqual([0.9, 0.93, 0.951])
    expect(accuracy).toContain('<title>federated model · round 3: 95.1%</title>')
    expect(attrOf(findTags(accuracy, 'g', ['class', 'reference'])[0] ?? '', 'data-value')).toBe('0.98')
    expect(attrOf(findTags(chartOf(html, 'loss') ?? '', 'g', ['data-series-id', 'federated'])[0] ?? '', 'data-values')).toBe('0.3,0.2,0.15')
  })

  it('draws one polyline point per round', () => {
    const html = renderReport(fullSummary())
    for (const id of ['accuracy', 'loss', 'epsilon', 'reputation']) {
      for (const line of findTags(chartOf(html, id) ?? '', 'polyline')) {
        expect(attrOf(line, 'points')?.split(' ')).toHaveLength(3)
      }
    }
  })

  it('gives ε and reputation one series per hospital, with names in the legend', () => {
    const html = renderReport(fullSummary())
    const epsilon = chartOf(html, 'epsilon') ?? ''
    expect(findTags(epsilon, 'g', ['class', 'series']).map((g) => [attrOf(g, 'data-series-id'), attrOf(g, 'data-values')])).toEqual([
      [A, '1.25,2.5,3.75'],
      [B, '1.5,3,4.5'],
      [C, '1.75,3.5,5.25'],
    ])
    for (const name of ['st-mary', 'county', 'mallory']) expect(epsilon).toMatch(new RegExp(`<text[^>]*>${name}</text>`))
    expect(findTags(chartOf(html, 'reputation') ?? '', 'g', ['class', 'series'])).toHaveLength(3)
  })

  it('sums wei rewards per hospital into token units and shows final reputation', () => {
    const html = renderReport(fullSummary())
    const rewards = chartOf(html, 'rewards') ?? ''
    expect(findTags(rewards, 'g', ['class', 'bar']).map((g) => [attrOf(g, 'data-key'), Number(attrOf(g, 'data-total'))])).toEqual([
      [A, 9],
      [B, 4.5],
      [C, 0],
    ])
    const reputation = chartOf(html, 'reputation-final') ?? ''
    expect(Number(attrOf(findTags(reputation, 'g', ['data-key', C])[0] ?? '', 'data-total'))).toBeCloseTo(0.05, 12)
  })

  it('marks every verdict in the hospital × round matrix and flags the attacker', () => {
    const html = renderReport(fullSummary())
    const matrix = chartOf(html, 'verdicts') ?? ''
    const cells = findTags(matrix, 'td')
    expect(cells).toHaveLength(9)
    expect(cells.filter((c) => attrOf(c, 'data-state') === 'rejected').map((c) => attrOf(c, 'data-row'))).toEqual([C, C, C])
    expect(cells.filter((c) => attrOf(c, 'data-state') === 'accepted')).toHaveLength(6)
    expect(matrix).toMatch(/mallory <span class="badge">attacker<\/span>/)
    expect(matrix).toContain('title="mallory, round 2: rejected (norm bound exceeded)"')
  })

  it('shows gas per round and stacked phase timings with their totals', () => {
    const html = renderReport(fullSummary())
    const gas = findTags(chartOf(html, 'gas') ?? '', 'g', ['class', 'bar'])
    expect(gas.map((g) => Number(attrOf(g, 'data-total')))).toEqual([401_000, 402_000, 403_000])
    const timings = chartOf(html, 'timings') ?? ''
    expect(findTags(timings, 'g', ['class', 'bar']).map((g) => Number(attrOf(g, 'data-total')))).toEqual([976, 977, 978])
    expect(findTags(timings, 'rect').filter((r) => attrOf(r, 'data-segment') === 'verify').map((r) => attrOf(r, 'data-value'))).toEqual(['60', '60', '60'])
    expect(timings).toContain('<title>3 · finalize: 43 ms</title>')
  })

  it('shows the final metrics, the attack outcome and the config', () => {
    const html = renderReport(fullSummary())
    expect(html).toMatch(/data-metric="final-accuracy" data-value="0.951">.*?<div class="card-value">95.10%<\/div>/)
    expect(html).toContain('<td data-key="modelCid">bafkreitest</td>')
    expect(html).toContain('<td data-key="training.clipNorm">1.5</td>')
    expect(html).toMatch(/detection rate<\/th><td data-value="1">100.0%<\/td>/)
    expect(html).toContain('<td>signflip</td>')
  })

  it('escapes every string taken from the summary', () => {
    const evil = '<script>alert(1)</script>'
    const summary = fullSummary()
    summary.nodes = [{ id: A, name: evil }, { id: B, name: '"><img src=x onerror=alert(2)>' }]
    summary.config = { example: evil, 'a"b': "it's <b>" }
    summary.final = { ...summary.final, modelCid: '</td><script>x</script>' }
    summary.attack = { ...summary.attack, attack: '<iframe>' }
    summary.rounds = summary.rounds.map((r) => (r.round === 1 ? { ...r, accepted: ['<svg onload=alert(3)>'] } : r))
    const html = renderReport(summary)
    expect(html).not.toMatch(/<script|<img|<iframe|<svg onload|<b>/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
    expect(html).toContain('<th scope="row">a&quot;b</th><td data-key="a&quot;b">it&#39;s &lt;b&gt;</td>')
  })

  it('renders a memory-coordinator summary, saying what was not recorded', () => {
    const html = renderReport(memorySummary())
    expect(chartOf(html, 'accuracy')).toBeDefined()
    for (const id of ['epsilon', 'reputation', 'rewards', 'gas', 'timings', 'verdicts']) expect(chartOf(html, id)).toBeUndefined()
    expect(html).toContain('No ε figures recorded')
    expect(html).toContain('No gas figures recorded')
    expect(html).toContain('No accepted/rejected sets recorded')
    expect(html).toContain('No attackers in this run.')
    expect(findTags(chartOf(html, 'accuracy') ?? '', 'g', ['class', 'reference'])).toEqual([])
  })

  it('renders what the in-memory coordinator writes: zero gas and missing phases are left out', () => {
    const summary: RunSummary = {
      nodes: [{ id: A, index: 0, malicious: false }, { id: B, index: 1, malicious: false }],
      rounds: [1, 2].map((round) => ({
        round,
        accuracy: 0.8,
        loss: 0.5,
        auc: 0.9,
        accepted: [A],
        rejected: [B],
        rejections: { [B]: 'not selected by krum' },
        epsilon: {},
        gasUsed: 0,
        finalizeTx: null,
        ms: { train: 500, commit: 0, share: 0, verify: 20, aggregate: 3, finalize: 0 },
      })),
      final: { accuracy: 0.8, loss: 0.5, auc: 0.9, epsilonMax: null, delta: null, modelCid: null, modelSha256: 'ab12' },
      gas: { total: 0, perParticipantRound: 0 },
      attack: { attack: null, maliciousNodes: [], submittedMalicious: 0, rejectedMalicious: 0, submittedHonest: 4, rejectedHonest: 2 },
    }
    const html = renderReport(summary)
    expect(chartOf(html, 'gas')).toBeUndefined()
    expect(html).toContain('No gas figures recorded')
    const timings = chartOf(html, 'timings') ?? ''
    expect([...new Set(findTags(timings, 'rect').map((r) => attrOf(r, 'data-segment')).filter((x) => x !== undefined))]).toEqual(['train', 'verify', 'aggregate'])
    expect(timings).not.toContain('data-series-id="commit"')
    expect(html).toContain('title="hospital-2, round 1: rejected (not selected by krum)"')
    expect(html).toContain('<td data-key="modelCid">—</td>')
    expect(chartOf(html, 'epsilon')).toBeUndefined()
  })

  it('renders a run without rounds', () => {
    const html = renderReport({ rounds: [] })
    expect(html).toContain('No round has reported accuracy or loss yet.')
    expect(html).not.toContain('<svg')
    expect(html).toMatch(/data-metric="rounds" data-value="0"/)
  })

  it('breaks the line at an aborted round and marks the round in the matrix', () => {
    const summary = fullSummary()
    summary.rounds = summary.rounds.map((r) => (r.round === 2 ? { round: 2, status: 'aborted', accuracy: null, loss: null } : r))
    const html = renderReport(summary)
    const accuracy = chartOf(html, 'accuracy') ?? ''
    expect(findTags(accuracy, 'polyline')).toHaveLength(2)
    expect(attrOf(findTags(accuracy, 'g', ['data-series-id', 'federated'])[0] ?? '', 'data-values')).toBe('0.9,,0.951')
    const aborted = findTags(chartOf(html, 'verdicts') ?? '', 'td').filter((c) => attrOf(c, 'data-state') === 'aborted')
    expect(aborted.map((c) => attrOf(c, 'data-col'))).toEqual(['2', '2', '2'])
    expect(html).toContain('finalized, 1 aborted')
  })

  it('ignores values of the wrong type instead of printing them', () => {
    const summary = fullSummary() as unknown as { rounds: Record<string, unknown>[] }
    summary.rounds[0] = { ...summary.rounds[0], accuracy: '<b>0.9</b>', gasUsed: 'lots', epsilon: 'x', ms: null }
    const html = renderReport(summary as unknown as RunSummary)
    expect(html).not.toContain('<b>')
    expect(attrOf(findTags(chartOf(html, 'accuracy') ?? '', 'g', ['data-series-id', 'federated'])[0] ?? '', 'data-values')).toBe(',0.93,0.951')
    expect(findTags(chartOf(html, 'gas') ?? '', 'g', ['class', 'bar'])).toHaveLength(2)
  })

  it('gives the same bytes for the same summary', () => {
    expect(renderReport(fullSummary())).toBe(renderReport(fullSummary()))
  })
})
