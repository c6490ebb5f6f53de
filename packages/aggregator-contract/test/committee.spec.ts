import { Interface, keccak256, toUtf8Bytes } from 'ethers'
import type { Contract } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  computeCommitment,
  deployAggregator,
  encodeQualityScores,
  indicesOf,
  quorumOf,
} from '../src/index.js'
import { startEmbeddedChain, type EmbeddedChain } from '../src/embedded-index.js'
import { reentrantTokenAbi, reentrantTokenBytecode } from './generated/test-artifacts.js'
import {
  TOKEN,
  commit,
  createTask,
  deployTestContract,
  expectRevert,
  finalize,
  openRound,
  profileOf,
  roundState,
  send,
  share,
  submit,
  useConsortium,
  type Consortium,
} from './fixtures/consortium.js'

describe('committee selection with more than 7 hospitals', () => {
  const c = useConsortium({ hospitals: 12, outsiders: 0 })

  it('draws committeeSize distinct active hospitals per round, quorum ⌈2k/3⌉, and only they may submit', async () => {
    const taskId = await createTask(c, { committeeSize: 5, rounds: 8 })
    const seen = new Set<string>()
    for (let r = 0; r < 3; r++) {
      const round = await openRound(c, taskId)
      const { committee } = await roundState(c, taskId)
      const members = indicesOf(committee)
      expect(members).toHaveLength(5)
      expect(members.every((i) => i < 12)).toBe(true)
      seen.add(members.join(','))
      const schedule = (await c.aggregator.getFunction('taskSchedule')(taskId)) as { quorum: bigint }
      expect(Number(schedule.quorum)).toBe(quorumOf(5))
      const openings = []
      for (const h of c.hospitals) openings.push(await commit(c, h, taskId, round))
      for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, round, openings[i]!)
      const outsider = c.hospitals.findIndex((_, i) => !members.includes(i))
      await expectRevert(submit(c, c.hospitals[outsider]!, taskId, round, 1n, keccak256('0x01')), 'AggregatorNotCommitteeMember')
      for (const i of members.slice(0, 4)) await submit(c, c.hospitals[i]!, taskId, round, 1n, keccak256(toUtf8Bytes(`m${r}`)))
      await finalize(c, taskId, round)
    }
    // The draw depends on the opening block's randomness: three rounds rarely give one committee.
    expect(seen.size).toBeGreaterThan(1)
  })
})

describe('reentrancy on claim', () => {
  let chain: EmbeddedChain
  beforeAll(async () => {
    chain = await startEmbeddedChain({ accounts: 3 })
  })
  afterAll(async () => {
    await chain.stop()
  })

  it('blocks a token that calls claim() again from inside the payout transfer', async () => {
    const [governance, owner] = chain.signers as [typeof chain.signers[0], typeof chain.signers[0]]
    const token = await deployTestContract(governance!, reentrantTokenAbi, reentrantTokenBytecode)
    const tokenAddress = await token.getAddress()
    const aggregator = await deployAggregator(governance!, { token: tokenAddress, minStake: 1n })
    const aggregatorAddress = await aggregator.getAddress()
    const call = (fn: string, args: unknown[]) => aggregator.interface.encodeFunctionData(fn, args)
    // The token contract itself is the hospital, so its callback comes from the claimant's address.
    const asHospital = (fn: string, args: unknown[]) => send(token.getFunction('execute')(aggregatorAddress, call(fn, args)))
    await send(token.getFunction('mint')(tokenAddress, 10n * TOKEN))
    await send(token.getFunction('mint')(owner!.address, 1000n * TOKEN))
    await send((token.connect(owner!) as Contract).getFunction('approve')(aggregatorAddress, 1000n * TOKEN))
    const selfApprove = new Interface(reentrantTokenAbi).encodeFunctionData('approve', [aggregatorAddress, 10n * TOKEN])
    await send(token.getFunction('execute')(tokenAddress, selfApprove))
    await asHospital('applyForMembership', [profileOf(0), 1n])
    await send(aggregator.getFunction('admitHospital')(tokenAddress))
    await send(aggregator.getFunction('grantRole')(await aggregator.getFunction('TASK_CREATOR_ROLE')(), owner!.address))
    const c = { aggregator: aggregator.connect(owner!) as Contract } as unknown as Consortium
    const taskId = await createTask({ ...c, owner: owner! } as Consortium, { rounds: 1, rewardPerRound: 100n * TOKEN })
    await send(aggregator.getFunction('openRound')(taskId))
    const opening = { updateHash: keccak256('0x01'), sampleCount: 10n, salt: keccak256('0x02') }
    await asHospital('commit', [taskId, 1n, computeCommitment({ ...opening, hospital: tokenAddress, taskId, round: 1n })])
    await asHospital('share', [taskId, 1n, opening.updateHash, opening.sampleCount, opening.salt, 0n, 'cid'])
    await asHospital('submitVerdict', [taskId, 1n, 1n, keccak256('0x03'), 'cid', encodeQualityScores([10_000])])
    await send(aggregator.getFunction('finalize')(taskId, 1n))
    const owed = (await aggregator.getFunction('claimable')(tokenAddress)) as bigint
    expect(owed).toBe(100n * TOKEN)

    await send(token.getFunction('arm')(aggregatorAddress, call('claim', [])))
    const before = (await token.getFunction('balanceOf')(tokenAddress)) as bigint
    await asHospital('claim', [])
    expect(await token.getFunction('reentrySucceeded')()).toBe(false)
    const inner = (await token.getFunction('reentryError')()) as string
    expect(aggregator.interface.parseError(inner)?.name).toBe('ReentrancyGuardReentrantCall')
    expect(await token.getFunction('balanceOf')(tokenAddress)).toBe(before + owed)
    expect(await aggregator.getFunction('claimable')(tokenAddress)).toBe(0n)
  })
})
