import { describe, expect, it } from 'vitest'
import { renderBarChart } from '../../src/report/svg/bar-chart.js'
import { formatMs, formatNumber } from '../../src/report/svg/format.js'
import { renderHeatTable } from '../../src/report/svg/heat-table.js'
import { renderLineChart } from '../../src/report/svg/line-chart.js'
import { integerTicks, niceDomain, niceStep } from '../../src/report/svg/scale.js'
import { attrOf, findTags } from './fixtures.js'

describe('scale', () => {
  it('picks 1-2-2.5-5 steps and widens the domain to them', () => {
    expect(niceStep(1, 5)).toBe(0.2)
    expect(niceStep(97, 5)).toBe(20)
    expect(niceDomain({ min: 0.874, max: 0.972 })).toEqual({ domain: { min: 0.86, max: 0.98 }, ticks: [0.86, 0.88, 0.9, 0.92, 0.94, 0.96, 0.98] })
    expect(niceDomain({ min: 0, max: 412345 }).ticks).toEqual([0, 100000, 200000, 300000, 400000, 500000])
  })

  it('pads a single value so it sits inside the axis', () => {
    const { domain } = niceDomain({ min: 0.5, max: 0.5 })
    expect(domain.min).toBeLessThan(0.5)
    expect(domain.max).toBeGreaterThan(0.5)
    expect(niceDomain({ min: 0, max: 0 }).domain).toEqual({ min: -1, max: 1 })
  })

  it('labels every round when there are few, and thins them when there are many', () => {
    expect(integerTicks(1, 5)).toEqual([1, 2, 3, 4, 5])
    expect(integerTicks(1, 100)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
  })
})

describe('format', () => {
  it('formats numbers compactly', () => {
    expect([0, 0.9512, 12.5, 412345, 2_500_000, 1e-5].map(formatNumber)).toEqual(['0', '0.951', '12.5', '412.3k', '2.5M', '1e-5'])
    expect([5, 56, 1234, 125_000].map(formatMs)).toEqual(['5 ms', '56 ms', '1.23 s', '2.08 min'])
  })
})

describe('renderLineChart', () => {
  const series = (values: (number | undefined)[]) => [{ id: 's', label: 'series', color: '#000', points: values.map((y, i) => ({ x: i + 1, y })) }]

  it('draws nothing without values', () => {
    expect(renderLineChart({ id: 'x', title: 't', xLabel: 'Round', yLabel: 'y', series: series([undefined, undefined]) })).toBe('')
    expect(renderLineChart({ id: 'x', title: 't', xLabel: 'Round', yLabel: 'y', series: [] })).toBe('')
  })

  it('draws a single round as one point inside the plot', () => {
    const svg = renderLineChart({ id: 'x', title: 't', xLabel: 'Round', yLabel: 'y', series: series([0.7]) })
    const [circle] = findTags(svg, 'circle')
    expect(Number(attrOf(circle ?? '', 'cx'))).toBeGreaterThan(64)
    expect(Number(attrOf(circle ?? '', 'cy'))).toBeGreaterThan(14)
    expect(attrOf(circle ?? '', 'data-y')).toBe('0.7')
  })

  it('puts higher values higher on the page', () => {
    const svg = renderLineChart({ id: 'x', title: 't', xLabel: 'Round', yLabel: 'y', series: series([1, 3, 2]) })
    const ys = findTags(svg, 'circle').map((c) => Number(attrOf(c, 'cy')))
    expect(ys[1]).toBeLessThan(ys[2] as number)
    expect(ys[2]).toBeLessThan(ys[0] as number)
  })
})

describe('renderBarChart', () => {
  it('draws nothing without bars, and treats negative values as zero', () => {
    expect(renderBarChart({ id: 'b', title: 't', categoryLabel: 'c', valueLabel: 'v', bars: [] })).toBe('')
    const svg = renderBarChart({ id: 'b', title: 't', categoryLabel: 'c', valueLabel: 'v', bars: [{ key: 'k', label: 'k', segments: [{ name: 's', value: -3, color: '#000' }] }] })
    expect(attrOf(findTags(svg, 'g', ['class', 'bar'])[0] ?? '', 'data-total')).toBe('0')
  })

  it('stacks segments so their heights add up to the bar', () => {
    const svg = renderBarChart({
      id: 'b',
      title: 't',
      categoryLabel: 'c',
      valueLabel: 'v',
      bars: [
        { key: '1', label: '1', segments: [{ name: 'a', value: 30, color: '#000' }, { name: 'b', value: 10, color: '#111' }] },
        { key: '2', label: '2', segments: [{ name: 'a', value: 20, color: '#000' }, { name: 'b', value: 20, color: '#111' }] },
      ],
    })
    const heights = findTags(svg, 'rect').map((r) => Number(attrOf(r, 'height')))
    expect((heights[0] as number) + (heights[1] as number)).toBeCloseTo((heights[2] as number) + (heights[3] as number), 0)
    expect(heights[0]).toBeCloseTo(3 * (heights[1] as number), 0)
  })
})

describe('renderHeatTable', () => {
  it('shades numeric cells by value and escapes labels', () => {
    const html = renderHeatTable({
      id: 'h',
      caption: 'c',
      corner: 'row',
      rows: [{ key: 'r', label: '<r>' }],
      columns: [{ key: '1', label: '1' }, { key: '2', label: '2' }],
      scale: { min: 0, max: 1 },
      cell: (_r, c) => ({ text: c.key, title: 't', state: 'value', value: Number(c.key) - 1 }),
    })
    expect(html).toContain('&lt;r&gt;')
    const styles = findTags(html, 'td').map((t) => attrOf(t, 'style'))
    expect(styles).toEqual(['background:hsl(212 70% 95%)', 'background:hsl(212 70% 60%)'])
  })
})
