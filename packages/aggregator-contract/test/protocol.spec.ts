import { describe, expect, it } from 'vitest'
import {
  AggregatorError,
  ContractRevertError,
  aggregatorContractAbi,
  bitmapOf,
  decodeContractError,
  decodeHospitalProfile,
  decodeQualityScores,
  encodeHospitalProfile,
  encodeQualityScores,
  indicesOf,
  quorumOf,
  withDecodedErrors,
} from '../src/index.js'
import { Interface } from 'ethers'

describe('protocol encoders', () => {
  it('maps registry indices to bitmaps and back, rejecting indices outside 0..254', () => {
    expect(bitmapOf([0, 3, 254])).toBe((1n << 0n) | (1n << 3n) | (1n << 254n))
    expect(indicesOf(bitmapOf([7, 1, 200]))).toEqual([1, 7, 200])
    expect(indicesOf(1n << 255n)).toEqual([])
    expect(() => bitmapOf([255])).toThrow(AggregatorError)
    expect(() => bitmapOf([-1])).toThrow(/outside 0..254/)
  })

  it('computes quorums as ⌈2k/3⌉', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(quorumOf)).toEqual([1, 2, 2, 3, 4, 4, 5, 7])
  })

  it('encodes quality scores as 2 big-endian bytes each and rejects out-of-range scores', () => {
    expect(encodeQualityScores([0, 1, 10_000])).toBe('0x000000012710')
    expect(decodeQualityScores('0x000000012710')).toEqual([0, 1, 10_000])
    expect(encodeQualityScores([])).toBe('0x')
    try {
      encodeQualityScores([10, 10_001])
      expect.unreachable()
    } catch (error) {
      expect((error as AggregatorError).code).toBe('INVALID_QUALITY_SCORE')
      expect((error as AggregatorError).details).toEqual({ position: 1, score: 10_001 })
    }
    expect(() => encodeQualityScores([0.5])).toThrow(AggregatorError)
  })

  it('round-trips hospital profiles and names a malformed one', () => {
    const profile = { peerId: '12D3KooWx', encryptionKey: '0x' + 'ab'.repeat(32), multiaddrs: ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2'] }
    expect(decodeHospitalProfile(encodeHospitalProfile(profile))).toEqual(profile)
    expect(() => decodeHospitalProfile('0x1234')).toThrow(expect.objectContaining({ code: 'INVALID_PROFILE' }))
  })
})

describe('decoded contract errors', () => {
  const iface = new Interface(aggregatorContractAbi)
  const data = iface.encodeErrorResult('AggregatorCommitPhaseClosed', [3n, 2n, 1000n])

  it('finds revert data anywhere in an ethers error and names the custom error with its arguments', () => {
    const nested = { code: 'CALL_EXCEPTION', info: { error: { data } } }
    const decoded = decodeContractError(nested)
    expect(decoded).toBeInstanceOf(ContractRevertError)
    expect(decoded?.errorName).toBe('AggregatorCommitPhaseClosed')
    expect(decoded?.args).toEqual({ taskId: 3n, round: 2n, deadline: 1000n })
    expect(decoded?.code).toBe('CONTRACT_REVERT')
    expect(decoded?.hint).toMatch(/next round/)
    expect(decoded?.shortMessage).toBe('contract reverted with AggregatorCommitPhaseClosed(taskId=3, round=2, deadline=1000)')
  })

  it('decodes the token errors that surface through the aggregator', () => {
    const tokenError = new Interface(['error ERC20InsufficientAllowance(address,uint256,uint256)']).encodeErrorResult(
      'ERC20InsufficientAllowance',
      ['0x' + '11'.repeat(20), 1n, 2n],
    )
    expect(decodeContractError({ data: tokenError })?.errorName).toBe('ERC20InsufficientAllowance')
  })

  it('returns undefined for errors without known revert data, and withDecodedErrors rethrows them unchanged', async () => {
    expect(decodeContractError(new Error('socket hang up'))).toBeUndefined()
    expect(decodeContractError({ data: '0xdeadbeef' })).toBeUndefined()
    const plain = new Error('offline')
    await expect(withDecodedErrors(() => Promise.reject(plain))).rejects.toBe(plain)
    await expect(withDecodedErrors(() => Promise.reject({ data }))).rejects.toBeInstanceOf(ContractRevertError)
    await expect(withDecodedErrors(() => Promise.resolve(42))).resolves.toBe(42)
  })
})
