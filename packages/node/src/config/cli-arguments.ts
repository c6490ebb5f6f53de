import { getAddress, isAddress, parseUnits, Wallet, type Provider } from 'ethers'
import { generateX25519KeyPair, x25519PublicKeyFromRaw, x25519SharedSecret } from '../crypto/x25519.js'
import { readChainFile } from './chain-file.js'
import { invalidArgument, NodeConfigError } from './errors.js'
import { isHttpUrl } from './node-config.js'

/** Commander's accumulator for a repeatable flag (`--peer a --peer b` → `['a', 'b']`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

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

/** Example `--rpc` value for hints. */
export const RPC_EXAMPLE = '--rpc http://127.0.0.1:8545'

/** Example `--ipfs-api` value for hints (Kubo's default RPC address). */
export const IPFS_API_EXAMPLE = '--ipfs-api http://127.0.0.1:5001'

/**
 * An http(s) endpoint flag value (`--rpc`, `--ipfs-api`), returned as given.
 * @param example a whole example flag, e.g. `--rpc http://127.0.0.1:8545`
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID`
 */
export function parseHttpUrl(name: string, value: string, example: string): string {
  if (!URL.canParse(value)) throw invalidArgument(name, `is not a URL: ${value}`, `e.g. ${example}`)
  if (!isHttpUrl(value)) throw invalidArgument(name, `must be http(s), got ${new URL(value).protocol}`, `e.g. ${example}`)
  return value
}

/** A task id flag value. */
export function parseTaskId(value: string): bigint {
  if (!/^[1-9][0-9]*$/.test(value)) throw invalidArgument('task', `must be a task id (1, 2, …), got '${value}'`, 'the id `fedchain task create` printed')
  return BigInt(value)
}

/**
 * An account or contract address flag value, checksummed. Checked before anything is sent: ethers
 * would otherwise take any other string for an ENS name ("network does not support ENS").
 * @param hint what the flag should hold, e.g. "the applicant's address (`fedchain node init` printed it)"
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID`
 */
export function parseAddress(name: string, value: string, hint: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw invalidArgument(name, `must be a 0x-prefixed 20-byte address; got '${value}'`, hint)
  // Mixed case carries an EIP-55 checksum; a wrong one means a mistyped character.
  if (!isAddress(value)) throw invalidArgument(name, `has a bad checksum (a mistyped character?); got '${value}'`, `copy the address exactly, or write it all in lower case; ${hint}`)
  return getAddress(value)
}

/** Hint of a bad `--contract`. */
export const CONTRACT_HINT = 'the aggregator address in the chain file `fedchain chain start` or `chain deploy` wrote, or pass --chain <chain.json> instead'

/** {@link CONTRACT_HINT} for the commands that read a chain but take no --chain (audit, status, export). */
export const READ_CONTRACT_HINT = 'the aggregator address in the chain file `fedchain chain start` or `chain deploy` wrote (its "aggregator" field)'

/**
 * A raw X25519 public key flag value (`0x` + 64 hex characters), lower-cased.
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` when it is not 32 bytes of hex, or a low-order point nobody could decrypt for
 */
export function parseX25519PublicKey(name: string, value: string, hint: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw invalidArgument(name, `must be a 32-byte X25519 public key as 0x + 64 hex characters; got '${value}'`, hint)
  try {
    // A low-order point gives an all-zero shared secret: anyone could read what is encrypted to it.
    x25519SharedSecret(generateX25519KeyPair().privateKey, x25519PublicKeyFromRaw(Buffer.from(value.slice(2), 'hex')))
  } catch {
    throw invalidArgument(name, `is not a usable X25519 public key (a low-order point); got '${value}'`, hint)
  }
  return value.toLowerCase()
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

/**
 * `--rpc`/`--contract`, or both from a `--chain` file.
 * @throws {NodeConfigError} `CONFIG_ARGUMENT_INVALID` when one is missing or `--contract` is not an address
 */
export async function resolveChainTarget(options: { rpc?: string; contract?: string; chain?: string }): Promise<{ rpc: string; contract: string }> {
  if (options.chain !== undefined) {
    const contract = options.contract === undefined ? undefined : parseAddress('contract', options.contract, CONTRACT_HINT)
    const file = await readChainFile(options.chain)
    return { rpc: options.rpc ?? file.rpc, contract: contract ?? file.aggregator }
  }
  if (options.rpc === undefined) throw invalidArgument('rpc', 'is required (or --chain <chain.json>)', 'e.g. --rpc http://127.0.0.1:8545')
  if (options.contract === undefined) throw invalidArgument('contract', 'is required (or --chain <chain.json>)', 'the aggregator address from chain.json')
  return { rpc: options.rpc, contract: parseAddress('contract', options.contract, CONTRACT_HINT) }
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
