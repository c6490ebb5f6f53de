import { Contract, ContractFactory, getAddress } from 'ethers'
import type { ContractRunner, Signer } from 'ethers'
import { DEFAULT_REPUTATION_PARAMS } from './defaults.js'
import { withDecodedErrors } from './errors.js'
import {
  aggregatorContractAbi,
  aggregatorContractBytecode,
  aggregatorContractLinkOffsets,
  aggregatorSetupAbi,
  aggregatorSetupBytecode,
  fedTokenAbi,
  fedTokenBytecode,
} from './generated/artifacts.js'
import type { ReputationParams } from './types.js'

/** Options of {@link deployFedToken}. */
export interface DeployFedTokenParameters {
  /** Receives the admin and minter roles. @default the deployer */
  readonly admin?: string
}

/** Options of {@link deployAggregator}. */
export interface DeployAggregatorParameters {
  /** Address of the stake and reward token (FedToken). */
  readonly token: string
  /** Initial governance (admin role). @default the deployer */
  readonly governance?: string
  /** Minimum stake of a hospital, token units. @default 0n */
  readonly minStake?: bigint
  /** Seconds between requestExit() and withdrawStake(). @default 0 */
  readonly exitDelay?: bigint
  /** @default DEFAULT_REPUTATION_PARAMS */
  readonly reputationParams?: ReputationParams
  /**
   * Address of an already deployed AggregatorSetup library to link (it is stateless, so one
   * deployment can serve many aggregators). @default a fresh deployment by `deployer`
   */
  readonly setupLibrary?: string
}

/** Options of {@link deployConsortium}: the aggregator's options without the token. */
export type DeployConsortiumParameters = Omit<DeployAggregatorParameters, 'token'>

/** What {@link deployConsortium} returns. */
export interface DeployConsortiumReturnType {
  readonly token: Contract
  readonly aggregator: Contract
  readonly tokenAddress: string
  readonly aggregatorAddress: string
}

/**
 * Deploys FedToken.
 * @param deployer Signer paying for the deployment.
 * @returns The deployed token contract (connected to `deployer`).
 */
export async function deployFedToken(deployer: Signer, params: DeployFedTokenParameters = {}): Promise<Contract> {
  const admin = params.admin ?? (await deployer.getAddress())
  const factory = new ContractFactory(fedTokenAbi, fedTokenBytecode, deployer)
  const contract = await withDecodedErrors(async () => (await factory.deploy(admin)).waitForDeployment())
  return contract as Contract
}

/**
 * Deploys the AggregatorSetup library the aggregator links (task config checks, committee draw) (see {@link linkAggregatorBytecode}).
 * @param deployer Signer paying for the deployment.
 * @returns The library's address.
 */
export async function deployAggregatorSetup(deployer: Signer): Promise<string> {
  const factory = new ContractFactory(aggregatorSetupAbi, aggregatorSetupBytecode, deployer)
  const library = await withDecodedErrors(async () => (await factory.deploy()).waitForDeployment())
  return library.getAddress()
}

/**
 * The aggregator's creation bytecode with the AggregatorSetup library's address written in.
 * `aggregatorContractBytecode` itself is unlinked and cannot be deployed as is.
 * @param setupLibrary Address of a deployed AggregatorSetup library.
 */
export function linkAggregatorBytecode(setupLibrary: string): string {
  const address = getAddress(setupLibrary).slice(2).toLowerCase()
  let bytecode: string = aggregatorContractBytecode
  for (const offset of aggregatorContractLinkOffsets.AggregatorSetup) {
    const at = 2 + 2 * offset
    bytecode = bytecode.slice(0, at) + address + bytecode.slice(at + 40)
  }
  return bytecode
}

/**
 * Deploys the aggregator contract (and, unless `setupLibrary` names one, the library it links).
 * @param deployer Signer paying for the deployment.
 * @returns The deployed aggregator (connected to `deployer`).
 */
export async function deployAggregator(deployer: Signer, params: DeployAggregatorParameters): Promise<Contract> {
  const governance = params.governance ?? (await deployer.getAddress())
  const rep = params.reputationParams ?? DEFAULT_REPUTATION_PARAMS
  const library = params.setupLibrary ?? (await deployAggregatorSetup(deployer))
  const factory = new ContractFactory(aggregatorContractAbi, linkAggregatorBytecode(library), deployer)
  const contract = await withDecodedErrors(async () =>
    (
      await factory.deploy(params.token, governance, params.minStake ?? 0n, params.exitDelay ?? 0n, [
        rep.decay,
        rep.weightAccepted,
        rep.weightRejected,
        rep.weightAbsent,
        rep.weightDisagreement,
        rep.priorWeight,
        rep.baseRate,
      ])
    ).waitForDeployment(),
  )
  return contract as Contract
}

/**
 * Deploys FedToken and the aggregator; the deployer keeps the token's minter role and, unless
 * `governance` says otherwise, the aggregator's governance.
 */
export async function deployConsortium(
  deployer: Signer,
  params: DeployConsortiumParameters = {},
): Promise<DeployConsortiumReturnType> {
  const token = await deployFedToken(deployer)
  const tokenAddress = await token.getAddress()
  const aggregator = await deployAggregator(deployer, { ...params, token: tokenAddress })
  return { token, aggregator, tokenAddress, aggregatorAddress: await aggregator.getAddress() }
}

/** An ethers `Contract` for an already deployed aggregator. */
export function connectAggregator(address: string, runner: ContractRunner): Contract {
  return new Contract(address, aggregatorContractAbi, runner)
}

/** An ethers `Contract` for an already deployed FedToken. */
export function connectFedToken(address: string, runner: ContractRunner): Contract {
  return new Contract(address, fedTokenAbi, runner)
}

