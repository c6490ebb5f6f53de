import { Signature } from 'ethers'
import type { Signer, TypedDataDomain, TypedDataField } from 'ethers'
import { AggregatorError } from './errors.js'

/** EIP-712 domain name of the aggregator (with its chain id and address as `verifyingContract`). */
export const EIP712_DOMAIN_NAME = 'FedchainAggregator'

/** EIP-712 domain version of the aggregator. */
export const EIP712_DOMAIN_VERSION = '1'

/** EIP-712 type of a relayed commit: what a hospital signs for `commitBatch`. */
export const COMMIT_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  Commit: [
    { name: 'taskId', type: 'uint256' },
    { name: 'round', type: 'uint32' },
    { name: 'commitment', type: 'bytes32' },
  ],
}

/** EIP-712 type of a relayed share: what a hospital signs for `shareBatch`. */
export const SHARE_TYPES: Readonly<Record<string, TypedDataField[]>> = {
  Share: [
    { name: 'taskId', type: 'uint256' },
    { name: 'round', type: 'uint32' },
    { name: 'updateHash', type: 'bytes32' },
    { name: 'sampleCount', type: 'uint64' },
    { name: 'salt', type: 'bytes32' },
    { name: 'epsilonSpent', type: 'uint256' },
    { name: 'updateCid', type: 'string' },
  ],
}

/** Where a signature is valid: one aggregator contract on one chain. */
export interface AggregatorDomainParameters {
  /** The aggregator's address. */
  readonly aggregator: string
  /** Chain id the aggregator lives on. */
  readonly chainId: bigint
}

/** The aggregator's EIP-712 domain, as its contract computes it. */
export function aggregatorDomain(params: AggregatorDomainParameters): TypedDataDomain {
  return {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId: params.chainId,
    verifyingContract: params.aggregator,
  }
}

/** One entry of `commitBatch` (the contract's `Commit` struct). */
export interface SignedCommit {
  /** The committing hospital (the signer). */
  readonly hospital: string
  readonly commitment: string
  /** ERC-2098 compact signature: r … */
  readonly r: string
  /** … and yParity << 255 | s. */
  readonly vs: string
}

/** One entry of `shareBatch` (the contract's `Share` struct). */
export interface SignedShare {
  /** The sharing hospital (the signer). */
  readonly hospital: string
  readonly updateHash: string
  readonly sampleCount: bigint
  readonly salt: string
  /** Cumulative DP ε spent on the task (WAD). */
  readonly epsilonSpent: bigint
  readonly updateCid: string
  readonly r: string
  readonly vs: string
}

/** What {@link signCommit} signs. */
export interface SignCommitParameters {
  /** The hospital's signer (its address is the committing hospital). */
  readonly signer: Signer
  /** The aggregator's address. */
  readonly aggregator: string
  /** @default the chain id of `signer`'s provider */
  readonly chainId?: bigint
  readonly taskId: bigint
  readonly round: bigint
  /** The commitment, see `computeCommitment`. */
  readonly commitment: string
}

/** What {@link signShare} signs: the opening of the commitment, the ε spent and the update's CID. */
export interface SignShareParameters {
  readonly signer: Signer
  readonly aggregator: string
  /** @default the chain id of `signer`'s provider */
  readonly chainId?: bigint
  readonly taskId: bigint
  readonly round: bigint
  readonly updateHash: string
  readonly sampleCount: bigint
  readonly salt: string
  readonly epsilonSpent: bigint
  readonly updateCid: string
}

async function chainIdOf(signer: Signer, chainId: bigint | undefined): Promise<bigint> {
  if (chainId !== undefined) return chainId
  if (signer.provider === null) {
    throw new AggregatorError({
      code: 'MISSING_CHAIN_ID',
      shortMessage: 'cannot sign a relayed entry: no chainId given and the signer has no provider',
      hint: 'pass chainId (the aggregator’s chain) or connect the signer to a provider',
    })
  }
  return (await signer.provider.getNetwork()).chainId
}

/**
 * Signs a hospital's commitment for a relayer's `commitBatch(taskId, round, entries)`: EIP-712
 * typed data `Commit(uint256 taskId,uint32 round,bytes32 commitment)` under the aggregator's domain,
 * so the signature is worthless in another round, task, contract or chain.
 * @returns The batch entry, ready to pass to `commitBatch`.
 * @throws AggregatorError `MISSING_CHAIN_ID` without `chainId` and without a provider
 * @example
 * ```ts
 * const entry = await signCommit({ signer: hospital, aggregator: address, taskId, round, commitment })
 * await aggregator.commitBatch(taskId, round, [entry, …])
 * ```
 */
export async function signCommit(params: SignCommitParameters): Promise<SignedCommit> {
  const domain = aggregatorDomain({ aggregator: params.aggregator, chainId: await chainIdOf(params.signer, params.chainId) })
  const value = { taskId: params.taskId, round: params.round, commitment: params.commitment }
  const signature = Signature.from(await params.signer.signTypedData(domain, COMMIT_TYPES, value))
  return {
    hospital: await params.signer.getAddress(),
    commitment: params.commitment,
    r: signature.r,
    vs: signature.yParityAndS,
  }
}

/**
 * Signs a hospital's share (the opening of its commitment, its ε spent and its update's CID) for a
 * relayer's `shareBatch(taskId, round, entries)`: EIP-712 typed data `Share(…)` (see
 * {@link SHARE_TYPES}) under the aggregator's domain. The signature binds the CID and ε, which
 * the commitment does not.
 * @returns The batch entry, ready to pass to `shareBatch`.
 * @throws AggregatorError `MISSING_CHAIN_ID` without `chainId` and without a provider
 */
export async function signShare(params: SignShareParameters): Promise<SignedShare> {
  const domain = aggregatorDomain({ aggregator: params.aggregator, chainId: await chainIdOf(params.signer, params.chainId) })
  const value = {
    taskId: params.taskId,
    round: params.round,
    updateHash: params.updateHash,
    sampleCount: params.sampleCount,
    salt: params.salt,
    epsilonSpent: params.epsilonSpent,
    updateCid: params.updateCid,
  }
  const signature = Signature.from(await params.signer.signTypedData(domain, SHARE_TYPES, value))
  return {
    hospital: await params.signer.getAddress(),
    updateHash: params.updateHash,
    sampleCount: params.sampleCount,
    salt: params.salt,
    epsilonSpent: params.epsilonSpent,
    updateCid: params.updateCid,
    r: signature.r,
    vs: signature.yParityAndS,
  }
}
