import { getAddress, isAddress } from 'ethers'
import { readJsonIfExists, writeJsonAtomic } from '../util/atomic-json.js'
import { NodeConfigError } from './errors.js'

/** One development account of a local chain. */
export interface DevAccount {
  readonly index: number
  readonly address: string
  /** Private key derived from the public Hardhat mnemonic: development only, never real value. */
  readonly privateKey: string
}

/**
 * What `fedchain chain start` and `fedchain chain deploy` write: where the chain is and where the
 * consortium's contracts are. `devAccounts` appears only for the local development chain.
 */
export interface ChainFile {
  readonly format: 'fedchain-chain'
  readonly version: 1
  readonly rpc: string
  readonly chainId: number
  readonly aggregator: string
  readonly token: string
  readonly governance: string
  readonly deployBlock: number
  readonly minStake: string
  readonly devAccounts?: {
    readonly warning: string
    readonly mnemonic: string
    readonly accounts: readonly DevAccount[]
  }
}

/** Writes a chain file atomically, mode 0600 (it may hold development keys). */
export async function writeChainFile(path: string, file: ChainFile): Promise<void> {
  await writeJsonAtomic(path, file)
}

/** Reads and checks a chain file. @throws {NodeConfigError} `CHAIN_FILE_INVALID` */
export async function readChainFile(path: string): Promise<ChainFile> {
  const value = (await readJsonIfExists(path).catch((cause: unknown) => {
    throw new NodeConfigError('CHAIN_FILE_INVALID', `${path} is not valid JSON`, { cause })
  })) as Partial<ChainFile> | undefined
  if (value === undefined) throw new NodeConfigError('CHAIN_FILE_INVALID', `no chain file at ${path}`, { hint: 'run `fedchain chain start --out <path>` first' })
  if (value.format !== 'fedchain-chain' || typeof value.rpc !== 'string' || !isAddress(value.aggregator) || !isAddress(value.token)) {
    throw new NodeConfigError('CHAIN_FILE_INVALID', `${path} is not a fedchain chain file`, { hint: 'point at the file `fedchain chain start --out` wrote' })
  }
  return { ...(value as ChainFile), aggregator: getAddress(value.aggregator), token: getAddress(value.token) }
}
