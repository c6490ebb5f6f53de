import { resolve } from 'node:path'
import { deployConsortium } from '@fedchain/aggregator-contract'
import type { Command } from 'commander'
import { connectRpc } from '../../chain/provider.js'
import { writeChainFile, type ChainFile } from '../../config/chain-file.js'
import { parsePositiveInt, parseTokenAmount, untilSignal, walletFromEnv } from '../../config/cli-arguments.js'
import { startDevChain } from '../../daemon/dev-chain.js'
import { createLogger, parseLogLevel } from '../../daemon/logger.js'
import { printJson } from '../output.js'

interface ChainStartOptions {
  readonly port: string
  readonly host: string
  readonly accounts: string
  readonly out: string
  readonly minStake: string
  readonly autoAdmit: boolean
}

interface ChainDeployOptions {
  readonly rpc: string
  readonly keyEnv: string
  readonly minStake: string
  readonly out: string
}

/** Registers `fedchain chain start` and `fedchain chain deploy`. */
export function registerChainCommands(program: Command): void {
  const chainGroup = program.commands.find((c) => c.name() === 'chain') ?? program.command('chain').description('local development chain and contract deployment')

  chainGroup
    .command('start')
    .description('serve a local development chain on 127.0.0.1 with the consortium deployed (runs until Ctrl-C)')
    .option('--port <port>', 'JSON-RPC port (0 picks a free one)', '8545')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--accounts <n>', 'funded development accounts', '20')
    .option('--min-stake <tokens>', 'minimum hospital stake (FED)', '100')
    .option('--no-auto-admit', 'leave applicants pending instead of admitting them as governance')
    .option('--out <file>', 'where to write the chain file (rpc, addresses, development keys)', 'chain.json')
    .action(async (options: ChainStartOptions) => {
      const log = createLogger({ level: parseLogLevel(process.env['FEDCHAIN_LOG_LEVEL']), fields: { component: 'chain' } })
      const chain = await startDevChain({
        port: parsePositiveInt('port', options.port, 0),
        host: options.host,
        accounts: parsePositiveInt('accounts', options.accounts),
        minStake: parseTokenAmount('min-stake', options.minStake),
        autoAdmit: options.autoAdmit,
        log,
      })
      const out = resolve(options.out)
      await writeChainFile(out, chain.file)
      printJson(chain.file)
      log.info('chain ready', { rpc: chain.file.rpc, aggregator: chain.file.aggregator, token: chain.file.token, chainFile: out })
      await untilSignal(() => chain.stop())
      log.info('chain stopped')
    })

  chainGroup
    .command('deploy')
    .description('deploy FedToken and the aggregator contract to any JSON-RPC EVM')
    .requiredOption('--rpc <url>', 'JSON-RPC endpoint')
    .option('--key-env <var>', 'environment variable holding the deployer private key (becomes governance)', 'FEDCHAIN_DEPLOYER_KEY')
    .option('--min-stake <tokens>', 'minimum hospital stake (FED)', '100')
    .option('--out <file>', 'where to write the deployment', 'deployment.json')
    .option('--json', 'print the deployment as one JSON line')
    .action(async (options: ChainDeployOptions & { json?: boolean }) => {
      const minStake = parseTokenAmount('min-stake', options.minStake)
      const provider = await connectRpc({ url: options.rpc })
      try {
        const deployer = walletFromEnv(options.keyEnv, provider)
        const { tokenAddress, aggregatorAddress } = await deployConsortium(deployer, { minStake })
        const file: ChainFile = {
          format: 'fedchain-chain',
          version: 1,
          rpc: options.rpc,
          chainId: Number((await provider.getNetwork()).chainId),
          aggregator: aggregatorAddress,
          token: tokenAddress,
          governance: deployer.address,
          deployBlock: await provider.getBlockNumber(),
          minStake: minStake.toString(),
        }
        await writeChainFile(resolve(options.out), file)
        if (options.json === true) printJson(file)
        else process.stdout.write(`aggregator ${aggregatorAddress}\ntoken      ${tokenAddress}\ngovernance ${deployer.address}\nwritten to ${resolve(options.out)}\n`)
      } finally {
        provider.destroy()
      }
    })
}
