import { describe, expect, it } from 'vitest'
import { createProgressBar } from '../../src/cli/progress.js'

function fakeStream() {
  const chunks: string[] = []
  return { stream: { write: (s: string) => chunks.push(s) > 0, isTTY: true } as unknown as NodeJS.WriteStream, chunks }
}

describe('progress bar', () => {
  it('redraws one line in place and keeps logged lines above it', () => {
    const { stream, chunks } = fakeStream()
    const bar = createProgressBar({ total: 4, label: 'round', stream, width: 8 })
    bar.update(1, 'acc 90%')
    bar.log('baseline 95%')
    bar.update(4, 'acc 97%')
    bar.done()
    const text = chunks.join('')
    expect(text).toContain('round 1/4 [██░░░░░░] acc 90%')
    expect(text).toContain('\r\x1b[2Kbaseline 95%\n')
    expect(text).toContain('round 4/4 [████████] acc 97%')
    expect(text.endsWith('\r\x1b[2K')).toBe(true)
  })

  it('writes nothing when disabled (--json or not a TTY)', () => {
    const { stream, chunks } = fakeStream()
    const bar = createProgressBar({ total: 2, label: 'round', stream, enabled: false })
    bar.update(1)
    bar.log('x')
    bar.done()
    expect(chunks).toEqual([])
  })
})
