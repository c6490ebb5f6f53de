import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { contractSourceHash } from '../scripts/source-hash.ts'
import {
  MAX_CONTRACT_SIZE,
  SOURCE_HASH,
  aggregatorContractAbi,
  aggregatorContractDeployedSize,
  fedTokenDeployedSize,
} from '../src/index.js'
import { SOURCE_HASH as TEST_SOURCE_HASH } from './generated/test-artifacts.js'

const root = join(fileURLToPath(import.meta.url), '..', '..')

describe('generated artifacts', () => {
  it('match the current contract sources (run `pnpm run build:contracts` after editing contracts/)', () => {
    const current = contractSourceHash(root)
    expect(SOURCE_HASH, 'src/generated/artifacts.ts is stale: run pnpm run build:contracts').toBe(current)
    expect(TEST_SOURCE_HASH, 'test/generated/test-artifacts.ts is stale: run pnpm run build:contracts').toBe(current)
  })

  it('fit the EIP-170 runtime size limit, so they deploy on any EVM chain', () => {
    expect(aggregatorContractDeployedSize).toBeLessThanOrEqual(MAX_CONTRACT_SIZE)
    expect(fedTokenDeployedSize).toBeLessThanOrEqual(MAX_CONTRACT_SIZE)
  })

  it('expose every round function and custom error in the ABI', () => {
    const names = new Set<string>(aggregatorContractAbi.map((item) => ('name' in item ? item.name : '')))
    for (const name of ['openRound', 'commit', 'share', 'submitVerdict', 'finalize', 'abortRound', 'claim']) {
      expect(names.has(name), name).toBe(true)
    }
    expect(names.has('AggregatorCommitmentMismatch')).toBe(true)
  })
})
