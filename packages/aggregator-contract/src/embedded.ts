import { fileURLToPath } from 'node:url'
import { BrowserProvider, HDNodeWallet, JsonRpcSigner } from 'ethers'
import type { Eip1193Provider } from 'ethers'
import { DEFAULT_EMBEDDED_ACCOUNTS, EMBEDDED_CHAIN_ID } from './constants.js'
import { AggregatorError } from './errors.js'

/** Hardhat's well-known development mnemonic (its accounts hold no real value anywhere). */
export const EMBEDDED_MNEMONIC = 'test test test test test test test test test test test junk'

// Hardhat wants a project root (an npm package); this package's root works from any working directory.
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Options of {@link startEmbeddedChain}. */
export interface EmbeddedChainInit {
  /** Number of funded accounts. @default 20 */
  readonly accounts?: number
  /** Balance of each account in wei. @default 10_000 ether */
  readonly balance?: bigint
  /** HD mnemonic the accounts derive from. @default EMBEDDED_MNEMONIC */
  readonly mnemonic?: string
  /** Chain id. @default 31337 */
  readonly chainId?: number
  /** Timestamp of the first block. @default now */
  readonly initialDate?: Date
}

/** A running embedded chain. */
export interface EmbeddedChain {
  /** ethers provider over the in-process chain (one block per transaction: automine). */
  readonly provider: BrowserProvider
  /** Raw EIP-1193 provider (to serve it over JSON-RPC or wrap it differently). */
  readonly eip1193: Eip1193Provider
  /** One unlocked signer per funded account, in derivation order. */
  readonly signers: readonly JsonRpcSigner[]
  readonly chainId: number
  /** Private key of funded account `index` (derived from the mnemonic on demand). */
  privateKeyOf(index: number): string
  /** Moves the chain's clock forward by `seconds` and mines a block. */
  increaseTime(seconds: number): Promise<void>
  /** Sets the ether balance (wei) of any address, e.g. a node's own key. */
  setBalance(address: string, wei: bigint): Promise<void>
  /** Stops the chain; the provider is unusable afterwards. */
  stop(): Promise<void>
}

interface HardhatNetworkConnection {
  readonly provider: Eip1193Provider
  close(): Promise<void>
}

/**
 * Starts Hardhat's EDR network in-process (hardfork cancun, automine), with `accounts` funded
 * accounts. Takes about 2–3 s, mostly loading Hardhat.
 * @throws AggregatorError `EMBEDDED_CHAIN_FAILED` when Hardhat cannot start
 */
export async function startEmbeddedChain(init: EmbeddedChainInit = {}): Promise<EmbeddedChain> {
  const count = init.accounts ?? DEFAULT_EMBEDDED_ACCOUNTS
  const mnemonic = init.mnemonic ?? EMBEDDED_MNEMONIC
  const chainId = init.chainId ?? EMBEDDED_CHAIN_ID
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new AggregatorError({
      code: 'INVALID_ARGUMENT',
      shortMessage: `accounts must be an integer in 1..10000, got ${count}`,
      details: { accounts: count },
    })
  }
  let connection: HardhatNetworkConnection
  try {
    const { createHardhatRuntimeEnvironment } = await import('hardhat/hre')
    const hre = await createHardhatRuntimeEnvironment({
      networks: {
        embedded: {
          type: 'edr-simulated',
          chainType: 'l1',
          chainId,
          hardfork: 'cancun',
          accounts: { mnemonic, count, accountsBalance: init.balance ?? 10n ** 22n },
          mining: { auto: true },
          // Block time follows the wall clock instead of +1 s per transaction, so phase deadlines
          // mean real seconds even when hundreds of transactions land in a second.
          allowBlocksWithSameTimestamp: true,
          ...(init.initialDate === undefined ? {} : { initialDate: init.initialDate }),
        },
      },
    }, {}, PACKAGE_ROOT)
    connection = (await hre.network.create({ network: 'embedded' })) as unknown as HardhatNetworkConnection
  } catch (cause) {
    throw new AggregatorError({
      code: 'EMBEDDED_CHAIN_FAILED',
      shortMessage: 'could not start the embedded Hardhat network',
      hint: 'check that hardhat is installed (pnpm install) and that Node is ≥ 22.13',
      cause,
    })
  }
  const eip1193 = connection.provider
  // No request batching and no caching: the chain is in-process, latency is what matters.
  const provider = new BrowserProvider(eip1193, chainId, {
    cacheTimeout: -1,
    pollingInterval: 20,
    staticNetwork: true,
  })
  const addresses = (await provider.send('eth_accounts', [])) as string[]
  const signers = addresses.map((address) => new JsonRpcSigner(provider, address))
  const keys = new Map<number, string>()
  return {
    provider,
    eip1193,
    signers,
    chainId,
    privateKeyOf(index) {
      let key = keys.get(index)
      if (key === undefined) {
        key = HDNodeWallet.fromPhrase(mnemonic, undefined, `m/44'/60'/0'/0/${index}`).privateKey
        keys.set(index, key)
      }
      return key
    },
    async increaseTime(seconds) {
      await provider.send('evm_increaseTime', [seconds])
      await provider.send('evm_mine', [])
    },
    async setBalance(address, wei) {
      await provider.send('hardhat_setBalance', [address, `0x${wei.toString(16)}`])
    },
    async stop() {
      provider.destroy()
      await connection.close()
    },
  }
}
