import { encodeBytes32String, keccak256, toUtf8Bytes } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_REPUTATION_PARAMS,
  HospitalStatus,
  TASK_CREATOR_ROLE,
  TaskStatus,
  bitmapOf,
  decodeHospitalProfile,
  encodeHospitalProfile,
} from '../src/index.js'
import {
  TOKEN,
  as,
  commit,
  createTask,
  expectRevert,
  finalize,
  openRound,
  profileOf,
  roundState,
  send,
  share,
  submit,
  taskConfig,
  useConsortium,
} from './fixtures/consortium.js'

describe('consortium registry, governance and tasks', () => {
  const c = useConsortium({ hospitals: 4, outsiders: 3 }, { isolated: true })

  const status = async (address: string) =>
    Number(((await c.aggregator.getFunction('hospital')(address)) as [bigint])[0])

  it('registers with stake and discovery data; admission by governance', async () => {
    const applicant = c.outsiders[0]!
    const profile = { peerId: '12D3KooWApplicant', encryptionKey: keccak256(toUtf8Bytes('x25519')), multiaddrs: ['/ip4/127.0.0.1/tcp/4100'] }
    await expectRevert(
      as(c.aggregator, applicant).getFunction('applyForMembership')(encodeHospitalProfile(profile), c.minStake - 1n),
      'AggregatorStakeTooLow',
    )
    await send(as(c.aggregator, applicant).getFunction('applyForMembership')(encodeHospitalProfile(profile), c.minStake))
    await expectRevert(
      as(c.aggregator, applicant).getFunction('applyForMembership')(encodeHospitalProfile(profile), c.minStake),
      'AggregatorAlreadyApplied',
    )
    expect(await status(applicant.address)).toBe(HospitalStatus.Pending)
    await expectRevert(as(c.aggregator, applicant).getFunction('admitHospital')(applicant.address), 'AccessControlUnauthorizedAccount')
    await send(c.aggregator.getFunction('admitHospital')(applicant.address))
    await expectRevert(c.aggregator.getFunction('admitHospital')(applicant.address), 'AggregatorNotApplicant')
    const [st, index, record] = (await c.aggregator.getFunction('hospital')(applicant.address)) as [bigint, bigint, { stake: bigint; profile: string }]
    expect(Number(st)).toBe(HospitalStatus.Active)
    expect(index).toBe(4n)
    expect(record.stake).toBe(c.minStake)
    expect(decodeHospitalProfile(record.profile)).toEqual(profile)
    expect(await c.aggregator.getFunction('hospitalAt')(4)).toBe(applicant.address)
    expect(await c.aggregator.getFunction('hospitalCount')()).toBe(5n)
    expect(await c.aggregator.getFunction('activeHospitals')()).toBe(bitmapOf([0, 1, 2, 3, 4]))
    const updated = { ...profile, multiaddrs: ['/ip4/127.0.0.1/tcp/4200', '/ip4/127.0.0.1/tcp/4201'] }
    await send(as(c.aggregator, applicant).getFunction('updateProfile')(encodeHospitalProfile(updated)))
    const [, , after] = (await c.aggregator.getFunction('hospital')(applicant.address)) as [bigint, bigint, { profile: string }]
    expect(decodeHospitalProfile(after.profile).multiaddrs).toEqual(updated.multiaddrs)
    await expectRevert(as(c.aggregator, c.outsiders[1]!).getFunction('updateProfile')('0x'), 'AggregatorNotHospital')
  })

  it('admits by a ⅔ vote of the active hospitals', async () => {
    const applicant = c.outsiders[0]!
    await send(as(c.aggregator, applicant).getFunction('applyForMembership')(profileOf(9), c.minStake))
    const vote = (i: number) => as(c.aggregator, c.hospitals[i]!).getFunction('voteToAdmit')(applicant.address)
    await send(vote(0))
    await expectRevert(vote(0), 'AggregatorAlreadyVoted')
    await expectRevert(as(c.aggregator, c.outsiders[1]!).getFunction('voteToAdmit')(applicant.address), 'AggregatorNotHospital')
    await expectRevert(as(c.aggregator, c.hospitals[0]!).getFunction('voteToAdmit')(c.outsiders[1]!.address), 'AggregatorNotApplicant')
    await send(vote(1))
    expect(await status(applicant.address)).toBe(HospitalStatus.Pending) // 2 of 4 < ⌈8/3⌉ = 3
    await send(vote(2))
    expect(await status(applicant.address)).toBe(HospitalStatus.Active)
  })

  it('hands governance over by governance itself or by a ⅔ vote of hospitals', async () => {
    const multisig = c.outsiders[2]!
    await expectRevert(as(c.aggregator, multisig).getFunction('transferGovernance')(multisig.address), 'AccessControlUnauthorizedAccount')
    await send(c.aggregator.getFunction('transferGovernance')(multisig.address))
    expect(await c.aggregator.getFunction('governance')()).toBe(multisig.address)
    await expectRevert(c.aggregator.getFunction('setConsortiumConfig')(1n, 1n), 'AccessControlUnauthorizedAccount')
    const candidate = c.outsiders[1]!
    for (const i of [0, 1]) await send(as(c.aggregator, c.hospitals[i]!).getFunction('voteGovernance')(candidate.address))
    expect(await c.aggregator.getFunction('governance')()).toBe(multisig.address)
    await expectRevert(as(c.aggregator, c.hospitals[1]!).getFunction('voteGovernance')(candidate.address), 'AggregatorAlreadyVoted')
    await send(as(c.aggregator, c.hospitals[2]!).getFunction('voteGovernance')(candidate.address))
    expect(await c.aggregator.getFunction('governance')()).toBe(candidate.address)
    expect(await c.aggregator.getFunction('hasRole')(TASK_CREATOR_ROLE, multisig.address)).toBe(false)
    await send(as(c.aggregator, candidate).getFunction('setConsortiumConfig')(5n * TOKEN, 60n))
    expect(await c.aggregator.getFunction('consortiumConfig')()).toEqual([5n * TOKEN, 60n])
  })

  it('validates reputation parameters', async () => {
    const set = (p: typeof DEFAULT_REPUTATION_PARAMS) =>
      c.aggregator.getFunction('setReputationParams')([p.decay, p.weightAccepted, p.weightRejected, p.weightAbsent, p.weightDisagreement, p.priorWeight, p.baseRate])
    const bad = await expectRevert(set({ ...DEFAULT_REPUTATION_PARAMS, decay: 0n }), 'AggregatorInvalidConfig')
    expect(bad['field']).toBe(encodeBytes32String('decay'))
    await expectRevert(set({ ...DEFAULT_REPUTATION_PARAMS, baseRate: 2n * 10n ** 18n }), 'AggregatorInvalidConfig')
    await expectRevert(set({ ...DEFAULT_REPUTATION_PARAMS, priorWeight: 0n }), 'AggregatorInvalidConfig')
    await send(set({ ...DEFAULT_REPUTATION_PARAMS, decay: 10n ** 18n }))
    const params = (await c.aggregator.getFunction('reputationParams')()) as { decay: bigint }
    expect(params.decay).toBe(10n ** 18n)
  })

  it('creates tasks only with the role and a valid configuration, escrowing the rewards', async () => {
    await expectRevert(
      as(c.aggregator, c.outsiders[0]!).getFunction('createTask')(taskConfig()),
      'AccessControlUnauthorizedAccount',
    )
    for (const bad of [{ rounds: 0 }, { commitDuration: 0 }, { committeeSize: 0 }, { minParticipants: 0 }, { committeeFeeBps: 10_001 }, { modelSpecSha256: '0x' + '00'.repeat(32) }]) {
      await expectRevert(as(c.aggregator, c.owner).getFunction('createTask')(taskConfig(bad)), 'AggregatorInvalidConfig')
    }
    const before = (await c.token.getFunction('balanceOf')(c.owner.address)) as bigint
    const taskId = await createTask(c, { rounds: 4, rewardPerRound: 10n * TOKEN })
    expect(await c.token.getFunction('balanceOf')(c.owner.address)).toBe(before - 40n * TOKEN)
    const terms = (await c.aggregator.getFunction('taskTerms')(taskId)) as { escrow: bigint; owner: string; totalRounds: bigint }
    expect(terms.escrow).toBe(40n * TOKEN)
    expect(terms.owner).toBe(c.owner.address)
    await expectRevert(c.aggregator.getFunction('openRound')(99n), 'AggregatorUnknownTask')
    await openRound(c, taskId)
    await expectRevert(c.aggregator.getFunction('openRound')(taskId), 'AggregatorTaskNotReady')
    await expectRevert(as(c.aggregator, c.owner).getFunction('closeTask')(taskId), 'AggregatorTaskNotReady')
    await expectRevert(c.aggregator.getFunction('closeTask')(taskId), 'AggregatorNotTaskOwner')
    await expectRevert(c.aggregator.getFunction('closeTask')(99n), 'AggregatorUnknownTask')
  })

  it('refuses to open a round with fewer active hospitals than minParticipants', async () => {
    const taskId = await createTask(c, { minParticipants: 5 })
    await expectRevert(c.aggregator.getFunction('openRound')(taskId), 'AggregatorNotEnoughHospitals')
  })

  it('completes a task after its last round and refunds the unpaid escrow on close', async () => {
    const taskId = await createTask(c, { rounds: 2, rewardPerRound: 100n * TOKEN, committeeFeeBps: 0 })
    for (let r = 0; r < 2; r++) {
      const round = await openRound(c, taskId)
      const openings = []
      for (const h of c.hospitals) openings.push(await commit(c, h, taskId, round))
      for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, round, openings[i]!)
      // Round 1 accepts nobody (reward stays in escrow), round 2 accepts everyone.
      const accepted = r === 0 ? 0n : bitmapOf([0, 1, 2, 3])
      for (const h of c.hospitals.slice(0, 3)) await submit(c, h, taskId, round, accepted, keccak256(toUtf8Bytes(`m${r}`)))
      await finalize(c, taskId, round)
    }
    const schedule = (await c.aggregator.getFunction('taskSchedule')(taskId)) as { status: bigint; finalizedRounds: bigint }
    expect(Number(schedule.status)).toBe(TaskStatus.Completed)
    await expectRevert(c.aggregator.getFunction('openRound')(taskId), 'AggregatorTaskNotReady')
    const before = (await c.token.getFunction('balanceOf')(c.owner.address)) as bigint
    await send(as(c.aggregator, c.owner).getFunction('closeTask')(taskId))
    expect(await c.token.getFunction('balanceOf')(c.owner.address)).toBe(before + 100n * TOKEN)
    await expectRevert(as(c.aggregator, c.owner).getFunction('closeTask')(taskId), 'AggregatorTaskNotReady')
  })

  it('slashes rejected updates when the task says so, suspending a hospital below the minimum stake', async () => {
    const taskId = await createTask(c, { slashAmount: 30n * TOKEN })
    const round = await openRound(c, taskId)
    const openings = []
    for (const h of c.hospitals) openings.push(await commit(c, h, taskId, round))
    for (const [i, h] of c.hospitals.entries()) await share(c, h, taskId, round, openings[i]!)
    for (const h of c.hospitals.slice(0, 3)) await submit(c, h, taskId, round, bitmapOf([0, 1, 2]), keccak256(toUtf8Bytes('m')))
    const escrowBefore = ((await c.aggregator.getFunction('taskTerms')(taskId)) as { escrow: bigint }).escrow
    await finalize(c, taskId, round)
    const [, , record] = (await c.aggregator.getFunction('hospital')(c.hospitals[3]!.address)) as [bigint, bigint, { stake: bigint }]
    expect(record.stake).toBe(c.minStake - 30n * TOKEN)
    expect(await status(c.hospitals[3]!.address)).toBe(HospitalStatus.Suspended)
    const escrowAfter = ((await c.aggregator.getFunction('taskTerms')(taskId)) as { escrow: bigint }).escrow
    expect(escrowAfter).toBe(escrowBefore - 1000n * TOKEN + 30n * TOKEN)
    // Suspended: no commits, no committee seat; topping up the stake reactivates.
    const next = await openRound(c, taskId)
    expect((await roundState(c, taskId)).committee).toBe(bitmapOf([0, 1, 2]))
    await expectRevert(commit(c, c.hospitals[3]!, taskId, next), 'AggregatorHospitalNotActive')
    await send(as(c.aggregator, c.hospitals[3]!).getFunction('addStake')(30n * TOKEN))
    expect(await status(c.hospitals[3]!.address)).toBe(HospitalStatus.Active)
    await expectRevert(as(c.aggregator, c.outsiders[0]!).getFunction('addStake')(1n), 'AggregatorHospitalNotActive')
  })

  it('exposes its constants, token, reputation clock and the standard AccessControl surface', async () => {
    const read = (name: string, ...args: unknown[]) => c.aggregator.getFunction(name)(...args)
    expect(await read('MAX_HOSPITALS')).toBe(255n)
    expect(await read('FULL_COMMITTEE_THRESHOLD')).toBe(7n)
    expect(await read('MAX_OPEN_ROUNDS')).toBe(64n)
    expect(await read('token')).toBe(await c.token.getAddress())
    expect(await read('reputationRound')).toBe(0n)
    const admin = (await read('DEFAULT_ADMIN_ROLE')) as string
    expect(await read('getRoleAdmin', TASK_CREATOR_ROLE)).toBe(admin)
    expect(await read('supportsInterface', '0x7965db0b')).toBe(true) // IAccessControl
    await send(c.aggregator.getFunction('revokeRole')(TASK_CREATOR_ROLE, c.owner.address))
    expect(await read('hasRole', TASK_CREATOR_ROLE, c.owner.address)).toBe(false)
    await send(as(c.aggregator, c.governance).getFunction('renounceRole')(TASK_CREATOR_ROLE, c.governance.address))
    await expectRevert(createTask(c), 'AccessControlUnauthorizedAccount')
  })

  it('lets an applicant cancel and withdraw at once, and exited hospitals cannot come back', async () => {
    const applicant = as(c.aggregator, c.outsiders[0]!)
    await send(applicant.getFunction('applyForMembership')(profileOf(7), c.minStake))
    await send(applicant.getFunction('requestExit')())
    await expectRevert(applicant.getFunction('requestExit')(), 'AggregatorHospitalNotActive')
    await send(applicant.getFunction('withdrawStake')())
    expect(await status(c.outsiders[0]!.address)).toBe(HospitalStatus.Exited)
    await expectRevert(applicant.getFunction('applyForMembership')(profileOf(7), c.minStake), 'AggregatorAlreadyApplied')
    await expectRevert(as(c.aggregator, c.outsiders[1]!).getFunction('requestExit')(), 'AggregatorHospitalNotActive')
    await expectRevert(as(c.aggregator, c.outsiders[1]!).getFunction('voteGovernance')(c.outsiders[1]!.address), 'AggregatorNotHospital')
  })
})
