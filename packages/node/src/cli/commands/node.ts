import { resolve } from 'node:path'
import type { Command } from 'commander'
import { connectRpc } from '../../chain/provider.js'
import { collect, IPFS_API_EXAMPLE, parseAddress, parseHttpUrl, parsePositiveInt, parseTaskId, parseTokenAmount, resolveChainTarget, untilSignal, walletFromEnv } from '../../config/cli-arguments.js'
import { invalidArgument } from '../../config/errors.js'
import { featureStatsOf } from '../../config/feature-stats.js'
import { initNode, loadLocalDataset } from '../../config/init-node.js'
import { readNodeConfig } from '../../config/node-config.js'
import { createLogger, parseLogLevel } from '../../daemon/logger.js'
import { startNodeDaemon } from '../../daemon/node-daemon.js'
import { createAggregatorClient } from '../../protocol/aggregator-client.js'
import { checkSender, describeSendError } from '../chain-checks.js'
import { printJson } from '../output.js'
import { writeJsonAtomic } from '../../util/atomic-json.js'

interface NodeInitOptions {
  readonly dataDir: string
  readonly data: string
  readonly schema: string
  readonly rpc?: string
  readonly contract?: string
  readonly chain?: string
  readonly listen: string[]
  readonly peer: string[]
  readonly statusPort: string
  readonly name?: string
  readonly ipfsApi?: string
  readonly passwordEnv: string
  readonly json?: boolean
}

interface NodeStartOptions {
  readonly dataDir: string
  readonly task?: string
  readonly fundFromEnv?: string
  readonly stake?: string
  readonly passwordEnv: string
  readonly pollMs: string
  readonly exitWhenDone?: boolean
  readonly ipfsApi?: string
}

/** Registers `fedchain node init`, `fedchain node start` and `fedchain node admit`. */
export function registerNodeCommands(program: Command): void {
  const nodeGroup = program.commands.find((c) => c.name() === 'node') ?? program.command('node').description('a hospital training node')

  nodeGroup
    .command('init')
    .description('create a node: identity keys, checked data and config.json in a new data dir')
    .requiredOption('--data-dir <dir>', 'the node data dir (created, mode 0700)')
    .requiredOption('--data <csv>', "the hospital's training CSV")
    .requiredOption('--schema <json>', 'dataset schema the CSV follows')
    .option('--rpc <url>', 'JSON-RPC endpoint of the consortium chain')
    .option('--contract <address>', 'aggregator contract address')
    .option('--chain <file>', 'take --rpc and --contract from a chain file (chain start / chain deploy)')
    .option('--listen <multiaddr>', 'libp2p listen address (repeatable)', collect, [])
    .option('--peer <multiaddr>', 'extra peer to dial besides those registered on chain (repeatable)', collect, [])
    .option('--status-port <port>', 'status endpoint port on 127.0.0.1 (0 picks a free one)', '0')
    .option('--name <name>', 'name shown in logs and on the status page')
    .option('--ipfs-api <url>', "keep blobs in this Kubo daemon (its RPC API, e.g. http://127.0.0.1:5001) instead of the data dir's blobs/")
    .option('--password-env <var>', 'environment variable holding the key password', 'FEDCHAIN_KEY_PASSWORD')
    .option('--json', 'print the result as one JSON line')
    .action(async (options: NodeInitOptions) => {
      const target = await resolveChainTarget(options)
      const result = await initNode({
        dataDir: options.dataDir,
        data: options.data,
        schema: options.schema,
        rpc: target.rpc,
        contract: target.contract,
        ...(options.listen.length === 0 ? {} : { listen: options.listen }),
        peers: options.peer,
        statusPort: parsePositiveInt('status-port', options.statusPort, 0),
        ...(options.name === undefined ? {} : { name: options.name }),
        ...(options.ipfsApi === undefined ? {} : { ipfsApi: options.ipfsApi }),
        passwordEnv: options.passwordEnv,
        ...(process.env['FEDCHAIN_SCRYPT_N'] === undefined ? {} : { scryptN: parsePositiveInt('FEDCHAIN_SCRYPT_N', process.env['FEDCHAIN_SCRYPT_N']) }),
      })
      if (options.json === true) printJson(result)
      else {
        process.stdout.write(
          `node initialized in ${result.dataDir}\naddress  ${result.address}\npeer id  ${result.peerId}\ndata     ${result.rows} rows × ${result.features} features checked against the schema\nnext: fedchain node start --data-dir ${result.dataDir}\n`,
        )
      }
    })

  nodeGroup
    .command('start')
    .description('run the node: join the consortium, train and verify when rounds open (until Ctrl-C)')
    .requiredOption('--data-dir <dir>', 'the data dir `fedchain node init` prepared')
    .option('--task <id>', 'follow only this task (default: every task matching the local schema); exits 1 when the node cannot take part in it')
    .option('--fund-from-env <var>', 'development chains: environment variable with a funded key that sends the node gas and stake tokens')
    .option('--stake <tokens>', 'stake to apply with (FED; default: the consortium minimum)')
    .option('--password-env <var>', 'environment variable holding the key password', 'FEDCHAIN_KEY_PASSWORD')
    .option('--poll-ms <ms>', 'longest wait between two reads of the chain state (a new block ends the wait earlier)', '1000')
    .option('--exit-when-done', 'exit once the --task completed')
    .option('--ipfs-api <url>', 'keep blobs in this Kubo daemon (its RPC API) for this run; overrides config.json')
    .action(async (options: NodeStartOptions) => {
      if (options.exitWhenDone === true && options.task === undefined) throw invalidArgument('exit-when-done', 'needs --task', 'add --task <id>')
      const funderVar = options.fundFromEnv
      const funderKey = funderVar === undefined ? undefined : process.env[funderVar]?.trim()
      if (funderVar !== undefined && (funderKey === undefined || funderKey === '')) throw invalidArgument('fund-from-env', `names ${funderVar}, which is empty`, `export ${funderVar}=0x…`)
      const log = createLogger({ level: parseLogLevel(process.env['FEDCHAIN_LOG_LEVEL']) })
      const node = await startNodeDaemon({
        dataDir: resolve(options.dataDir),
        passwordEnv: options.passwordEnv,
        pollMs: parsePositiveInt('poll-ms', options.pollMs, 50),
        log,
        ...(options.task === undefined ? {} : { taskId: parseTaskId(options.task) }),
        ...(funderKey === undefined ? {} : { funderKey }),
        ...(options.stake === undefined ? {} : { stake: parseTokenAmount('stake', options.stake) }),
        ...(options.ipfsApi === undefined ? {} : { ipfsApi: parseHttpUrl('ipfs-api', options.ipfsApi, IPFS_API_EXAMPLE) }),
      })
      const stopped = untilSignal(() => node.stop())
      // With --task, `finished` rejects when the node cannot take part in the task at all (schema
      // mismatch, corrupt local state): the error and its hint end the command with exit 1.
      // A task that completes ends it only with --exit-when-done.
      const ended = options.exitWhenDone === true ? node.finished : node.finished.then(() => new Promise<never>(() => undefined))
      try {
        await Promise.race([stopped, ended])
      } finally {
        await node.stop()
      }
    })

  nodeGroup
    .command('stats')
    .description("this hospital's per-feature row count, mean and variance (aggregates, no records) for `task create --standardization`")
    .requiredOption('--data-dir <dir>', 'the data dir `fedchain node init` prepared')
    .option('--out <file>', 'write the statistics to this file (default: print them as one JSON line)')
    .action(async (options: { dataDir: string; out?: string }) => {
      const config = await readNodeConfig(resolve(options.dataDir))
      const { schema, dataset } = await loadLocalDataset(config.data, config.schema)
      const stats = featureStatsOf(dataset, schema)
      if (options.out === undefined) printJson(stats)
      else {
        // Shared with the task owner: readable by others, unlike the node's own files.
        await writeJsonAtomic(resolve(options.out), stats, 0o644, 0o755)
        process.stdout.write(`${stats.count} rows × ${stats.features.length} features: means and variances written to ${resolve(options.out)}\nnext: send it to the task owner, who passes every hospital's file to fedchain task create --standardization\n`)
      }
    })

  nodeGroup
    .command('admit')
    .description('admit a pending applicant (consortium governance)')
    .requiredOption('--address <address>', 'the applicant')
    .option('--rpc <url>', 'JSON-RPC endpoint')
    .option('--contract <address>', 'aggregator contract address')
    .option('--chain <file>', 'take --rpc and --contract from a chain file')
    .option('--key-env <var>', 'environment variable holding the governance key', 'FEDCHAIN_GOVERNANCE_KEY')
    .action(async (options: { address: string; rpc?: string; contract?: string; chain?: string; keyEnv: string }) => {
      const applicant = parseAddress('address', options.address, "the applicant's address, as `fedchain node init` printed it (address …)")
      const target = await resolveChainTarget(options)
      const provider = await connectRpc({ url: target.rpc })
      try {
        const signer = walletFromEnv(options.keyEnv, provider)
        const sender = { address: signer.address, action: 'admit a hospital', keyEnv: options.keyEnv }
        await checkSender({ ...sender, provider, rpc: target.rpc, aggregator: target.contract, role: 'governance' })
        const client = await createAggregatorClient({ address: target.contract, signer })
        const receipt = await client.admitHospital(applicant).catch((error: unknown) => {
          throw describeSendError(error, sender)
        })
        process.stdout.write(`admitted ${applicant} (tx ${receipt.hash})\n`)
      } finally {
        provider.destroy()
      }
    })
}
