import { describe, expect, it } from 'vitest'
import {
  aggregatorContractBytecode,
  aggregatorContractLinkOffsets,
  aggregatorSetupDeployedSize,
  deployAggregator,
  deployAggregatorSetup,
  deployFedToken,
  linkAggregatorBytecode,
  MAX_CONTRACT_SIZE,
} from '../src/index.js'
import { startEmbeddedChain } from '../src/embedded-index.js'
import { expectRevert, taskConfig } from './fixtures/consortium.js'

describe('deploying the aggregator with its linked AggregatorSetup library', () => {
  it('links the library address into every placeholder of the creation bytecode', () => {
    const library = '0x00000000000000000000000000000000000000aa'
    const linked = linkAggregatorBytecode(library)
    expect(linked.length).toBe(aggregatorContractBytecode.length)
    for (const offset of aggregatorContractLinkOffsets.AggregatorSetup) {
      // Unlinked: Solidity's __$<hash>$__ placeholder; linked: the address.
      expect(aggregatorContractBytecode.slice(2 + 2 * offset, 2 + 2 * offset + 3)).toBe('__$')
      expect(linked.slice(2 + 2 * offset, 2 + 2 * offset + 40)).toBe(library.slice(2))
    }
    expect(linked).not.toContain('__$')
    expect(aggregatorSetupDeployedSize).toBeLessThanOrEqual(MAX_CONTRACT_SIZE)
  })

  it('lets several aggregators share one library deployment, whose reverts surface as the aggregator’s errors', async () => {
    const chain = await startEmbeddedChain({ accounts: 2 })
    try {
      const deployer = chain.signers[0]!
      const token = await deployFedToken(deployer)
      const setupLibrary = await deployAggregatorSetup(deployer)
      const first = await deployAggregator(deployer, { token: await token.getAddress(), setupLibrary })
      const second = await deployAggregator(deployer, { token: await token.getAddress(), setupLibrary })
      expect(await first.getAddress()).not.toBe(await second.getAddress())
      for (const aggregator of [first, second]) {
        // createTask runs the library's config check by DELEGATECALL.
        const args = await expectRevert(aggregator.getFunction('createTask')(taskConfig({ rounds: 0 })), 'AggregatorInvalidConfig')
        expect(args['field']).toMatch(/^0x726f756e6473/) // "rounds"
        await (await aggregator.getFunction('createTask')(taskConfig({ rewardPerRound: 0n }))).wait()
        expect(await aggregator.getFunction('taskCount')()).toBe(1n)
      }
    } finally {
      await chain.stop()
    }
  })
})
