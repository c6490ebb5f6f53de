import { parseUnits, Wallet, type Provider } from 'ethers'
import { readChainFile } from './chain-file.js'
import { invalidArgument, NodeConfigError } from './errors.js'

/** A positive integer flag value. @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` */
export function parsePositiveInt(name: string, value: string, min = 1): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw invalidArgument(name, `must be an integer ≥ ${min}, got '${value}'`, `e.g. --${name} ${Math.max(min, 1)}`)
  return n
}

/** A positive number flag value. */
export function parsePositiveNumber(name: string, value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw invalidArgument(name, `must be a positive number, got '${value}'`, `e.g. --${name} 1`)
  return n
}

/** A token amount in whole tokens (decimals allowed), as WAD. */
export function parseTokenAmount(name: string, value: string): bigint {
  try {
    const amount = parseUnits(value, 18)
    if (amount < 0n) throw new RangeError('negative')
    return amount
  } catch {
    throw invalidArgument(name, `must be a token amount such as 100 or 0.5, got '${value}'`, `e.g. --${name} 100`)
  }
}

/** A task id flag value. */
export function parseTaskId(value: string): bigint {
  if (!/^[1-9][0-9]*$/.test(value)) throw invalidArgument('task', `must be a task id (1, 2, …), got '${value}'`, 'the id `fedchain task create` printed')
  return BigInt(value)
}

/**
 * The private key held in environment variable `envVar`, as a wallet connected to `provider`.
 * Keys are never taken on the command line, where they would land in shell history and `ps`.
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` when the variable is empty or not a key
 */
export function walletFromEnv(envVar: string, provider: Provider, env: NodeJS.ProcessEnv = process.env): Wallet {
  const key = env[envVar]?.trim()
  if (key === undefined || key === '') {
    throw new NodeConfigError('CONFIG_ARGUMENT_INVALID', `environment variable ${envVar} holds no private key`, {
      details: { envVar },
      hint: `export ${envVar}=0x… (a development chain's keys are in the chain.json that \`fedchain chain start\` wrote)`,
    })
  }
  try {
    return new Wallet(key, provider)
  } catch (cause) {
    throw new NodeConfigError('CONFIG_ARGUMENT_INVALID', `environment variable ${envVar} does not hold a valid private key`, { cause, hint: 'a 0x-prefixed 32-byte hex key' })
  }
}

/** `--rpc`/`--contract`, or both from a `--chain` file. */
export async function resolveChainTarget(options: { rpc?: string; contract?: string; chain?: string }): Promise<{ rpc: string; contract: string }> {
  if (options.chain !== undefined) {
    const file = await readChainFile(options.chain)
    return { rpc: options.rpc ?? file.rpc, contract: options.contract ?? file.aggregator }
  }
  if (options.rpc === undefined) throw invalidArgument('rpc', 'is required (or --chain <chain.json>)', 'e.g. --rpc http://127.0.0.1:8545')
  if (options.contract === undefined) throw invalidArgument('contract', 'is required (or --chain <chain.json>)', 'the aggregator address from chain.json')
  return { rpc: options.rpc, contract: options.contract }
}

/** Resolves once SIGINT or SIGTERM arrives (after calling `stop`). */
export function untilSignal(stop: () => Promise<void>): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
      void stop().finally(() => resolve(signal))
    }
    process.on('SIGINT', handler)
    process.on('SIGTERM', handler)
  })
}
