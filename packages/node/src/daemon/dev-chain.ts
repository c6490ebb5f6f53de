import { deployConsortium, HospitalStatus, WAD } from '@fedchain/aggregator-contract'
import { EMBEDDED_MNEMONIC, serveEmbeddedChain, type ServedEmbeddedChain } from '@fedchain/aggregator-contract/embedded'
import { HDNodeWallet } from 'ethers'
import type { ChainFile } from '../config/chain-file.js'
import { createAggregatorClient, type AggregatorClient } from '../protocol/aggregator-client.js'
import type { DaemonLogger } from './logger.js'

/** Options of {@link startDevChain}. */
export interface DevChainInit {
  /** @default 8545 */
  readonly port?: number
  /** @default '127.0.0.1' */
  readonly host?: string
  /** Funded development accounts. @default 20 */
  readonly accounts?: number
  /** Minimum hospital stake, token units. @default 100 FED */
  readonly minStake?: bigint
  /**
   * Governance (account 0) admits every applicant automatically, as a development convenience;
   * a real consortium admits by governance decision or ⅔ vote.
   * @default true
   */
  readonly autoAdmit?: boolean
  /** How often to look for new applicants, ms. @default 500 */
  readonly admitPollMs?: number
  readonly log?: DaemonLogger
}

/** A running development chain with the consortium deployed. */
export interface DevChain {
  readonly served: ServedEmbeddedChain
  /** What `--out` receives. */
  readonly file: ChainFile
  /** Governance's client (account 0). */
  readonly governance: AggregatorClient
  stop(): Promise<void>
}

const DEV_KEY_WARNING =
  'DEVELOPMENT ONLY: these keys derive from the public Hardhat test mnemonic; anyone can sign with them. Never use them on a chain with real value.'

/**
 * `fedchain chain start`: the embedded EVM served as JSON-RPC on 127.0.0.1, FedToken and the
 * aggregator deployed with account 0 as governance, minter and task creator, and (by default)
 * applicants admitted automatically.
 */
export async function startDevChain(init: DevChainInit = {}): Promise<DevChain> {
  const accounts = init.accounts ?? 20
  const served = await serveEmbeddedChain({ port: init.port ?? 8545, host: init.host ?? '127.0.0.1', accounts })
  try {
    const deployer = served.chain.signers[0]
    if (deployer === undefined) throw new RangeError('the chain has no accounts')
    const minStake = init.minStake ?? 100n * WAD
    const { tokenAddress, aggregatorAddress } = await deployConsortium(deployer, { minStake })
    const governance = await createAggregatorClient({ address: aggregatorAddress, signer: deployer })
    const root = HDNodeWallet.fromPhrase(EMBEDDED_MNEMONIC, undefined, "m/44'/60'/0'/0")
    const devAccounts = Array.from({ length: accounts }, (_, index) => {
      const wallet = root.deriveChild(index)
      return { index, address: wallet.address, privateKey: wallet.privateKey }
    })
    const file: ChainFile = {
      format: 'fedchain-chain',
      version: 1,
      rpc: served.url,
      chainId: served.chain.chainId,
      aggregator: aggregatorAddress,
      token: tokenAddress,
      governance: await deployer.getAddress(),
      deployBlock: 0,
      minStake: minStake.toString(),
      devAccounts: { warning: DEV_KEY_WARNING, mnemonic: EMBEDDED_MNEMONIC, accounts: devAccounts },
    }

    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    let stopping = false
    if (init.autoAdmit ?? true) {
      let fromBlock = 0
      const admitPending = async () => {
        const contract = governance.contract
        const filter = contract.filters['MembershipRequested']?.()
        if (filter === undefined) return
        const latest = await served.chain.provider.getBlockNumber()
        const logs = await contract.queryFilter(filter, fromBlock, latest)
        fromBlock = latest + 1
        for (const log of logs) {
          const account = contract.interface.parseLog(log)?.args.getValue('account') as string | undefined
          if (account === undefined) continue
          const record = await governance.hospital(account)
          if (record.status !== HospitalStatus.Pending) continue
          await governance.admitHospital(account)
          init.log?.info('admitted hospital', { account, peerId: record.peerId })
        }
      }
      const schedule = () => {
        if (stopping) return
        timer = setTimeout(() => {
          running = admitPending()
            .catch((error: unknown) => init.log?.warn('auto-admit failed', { error }))
            .finally(schedule)
        }, init.admitPollMs ?? 500)
      }
      schedule()
    }
    return {
      served,
      file,
      governance,
      async stop() {
        stopping = true
        clearTimeout(timer)
        await running
        await served.close()
      },
    }
  } catch (error) {
    await served.close()
    throw error
  }
}
