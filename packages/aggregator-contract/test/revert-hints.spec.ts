import { Interface, ZeroHash } from 'ethers'
import { describe, expect, it } from 'vitest'
import { aggregatorContractAbi, decodeContractError, fedTokenAbi, TASK_CREATOR_ROLE, TaskStatus } from '../src/index.js'

const iface = new Interface(aggregatorContractAbi)
const decode = (name: string, args: readonly unknown[]) => decodeContractError({ data: iface.encodeErrorResult(name, args) })
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('revert messages and hints', () => {
  it('names the task status instead of its number and says how to wait for the open round', () => {
    const open = decode('AggregatorTaskNotReady', [2n, TaskStatus.RoundOpen])
    expect(open?.shortMessage).toBe('contract reverted with AggregatorTaskNotReady(taskId=2, status=round-open)')
    // Scripts keep the raw value.
    expect(open?.args).toEqual({ taskId: 2n, status: 2n })
    expect(open?.hint).toContain('a round of task 2 is still open')
    expect(open?.hint).toContain('`fedchain status --rpc <url> --contract <address> --task 2`')
    expect(open?.hint).toContain('`fedchain round launch --wait`')
    const completed = decode('AggregatorTaskNotReady', [3n, TaskStatus.Completed])
    expect(completed?.shortMessage).toBe('contract reverted with AggregatorTaskNotReady(taskId=3, status=completed)')
    expect(completed?.hint).toContain('fedchain task create')
  })

  it('names the role a caller lacks', () => {
    const creator = decode('AccessControlUnauthorizedAccount', [ACCOUNT, TASK_CREATOR_ROLE])
    expect(creator?.shortMessage).toBe(`contract reverted with AccessControlUnauthorizedAccount(account=${ACCOUNT}, neededRole=task-creator)`)
    expect(creator?.hint).toContain('lacks the task-creator role')
    expect(decode('AccessControlUnauthorizedAccount', [ACCOUNT, ZeroHash])?.hint).toContain('governance key')
  })

  it.each([
    ['AggregatorUnknownTask', [99n], 'task 99 does not exist'],
    ['AggregatorNotEnoughHospitals', [0n, 1n], 'needs 1 active hospital and the consortium has 0'],
    ['AggregatorNotApplicant', [ACCOUNT], `${ACCOUNT} has not applied`],
    ['AggregatorRoundNotOpen', [2n, 5n], 'round 5 of task 2 is not open'],
    ['AggregatorAlreadyCommitted', [2n, 1n, ACCOUNT], 'already committed'],
    ['AggregatorAlreadyShared', [2n, 1n, ACCOUNT], 'already shared'],
    ['AggregatorSharePhaseClosed', [2n, 1n, 1000n], 'share deadline passed'],
    ['AggregatorNotTaskOwner', [2n, ACCOUNT], 'only the owner of task 2'],
    ['AggregatorHospitalNotActive', [ACCOUNT, 3n], 'suspended'],
    ['AggregatorStakeTooLow', [10n ** 18n, 100n * 10n ** 18n], 'at least the consortium minimum of 100.0 FED'],
  ] as const)('gives %s a hint', (name, args, expected) => {
    expect(decode(name, args)?.hint).toContain(expected)
  })

  it('gives the token errors a task owner meets a hint', () => {
    const token = new Interface(fedTokenAbi)
    const balance = decodeContractError({ data: token.encodeErrorResult('ERC20InsufficientBalance', [ACCOUNT, 0n, 5000n * 10n ** 18n]) })
    expect(balance?.hint).toBe(`${ACCOUNT} holds 0.0 FED and needs 5000.0 FED; send it FED tokens`)
  })
})
