import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { aggregatorContractAbi } from '../src/index.js'

// Every external function of the aggregator must be called by name ('name') in some test, so that a
// new function cannot ship untested.
const testDir = fileURLToPath(new URL('.', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path)
    return entry.name.endsWith('.ts') && entry.name !== 'coverage.spec.ts' ? [readFileSync(path, 'utf8')] : []
  })
}

describe('test coverage of the contract surface', () => {
  it('calls every external function of AggregatorContract somewhere in the tests', () => {
    const text = sources(testDir).join('\n')
    const untested = aggregatorContractAbi
      .filter((item) => item.type === 'function')
      .map((item) => item.name)
      .filter((name) => !text.includes(`'${name}'`))
    expect(untested).toEqual([])
  })
})
