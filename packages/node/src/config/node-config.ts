import { join, resolve } from 'node:path'
import { getAddress, isAddress } from 'ethers'
import { readJsonIfExists, writeJsonAtomic } from '../util/atomic-json.js'
import { NodeConfigError } from './errors.js'

/** Name of the config file inside a node's data dir. */
export const NODE_CONFIG_FILE = 'config.json'

/**
 * What `fedchain node init` writes and `fedchain node start` reads: where the node's data and chain
 * are. Keys live beside it in `keys/` (see crypto/identity.ts); secrets never go in this file.
 */
export interface NodeConfig {
  readonly version: 1
  /** Absolute path of the hospital's training CSV. */
  readonly data: string
  /** Absolute path of the dataset schema JSON the CSV follows. */
  readonly schema: string
  /** JSON-RPC endpoint of the consortium chain. */
  readonly rpc: string
  /** Checksummed address of the aggregator contract. */
  readonly contract: string
  /** libp2p listen multiaddrs. */
  readonly listen: readonly string[]
  /** Port of the status endpoint on 127.0.0.1; 0 picks a free one. */
  readonly statusPort: number
  /** Extra peers to dial besides those registered on chain. */
  readonly peers: readonly string[]
  /** Name shown in logs and on the status page. */
  readonly name?: string
  /**
   * Kubo RPC API URL (`ipfs config Addresses.API`, e.g. `http://127.0.0.1:5001`): blobs are kept
   * in that IPFS daemon instead of `<dataDir>/blobs`. Peers still fetch them over the node's libp2p.
   */
  readonly ipfsApi?: string
}

/** `<dataDir>/config.json`. */
export function nodeConfigPath(dataDir: string): string {
  return join(dataDir, NODE_CONFIG_FILE)
}

function bad(path: string, problem: string): NodeConfigError {
  return new NodeConfigError('CONFIG_INVALID', `${path}: ${problem}`, {
    details: { path },
    hint: 'fix the file by hand or run `fedchain node init` again in an empty data dir',
  })
}

/** Checks an untrusted value against {@link NodeConfig}. @throws {NodeConfigError} `CONFIG_INVALID` */
export function parseNodeConfig(value: unknown, path = NODE_CONFIG_FILE): NodeConfig {
  if (typeof value !== 'object' || value === null) throw bad(path, 'not a JSON object')
  const v = value as Record<string, unknown>
  if (v['version'] !== 1) throw bad(path, `version must be 1, got ${String(v['version'])}`)
  for (const key of ['data', 'schema', 'rpc', 'contract'] as const) {
    if (typeof v[key] !== 'string' || v[key] === '') throw bad(path, `"${key}" must be a non-empty string`)
  }
  if (!isAddress(v['contract'])) throw bad(path, `"contract" is not an address: ${String(v['contract'])}`)
  const strings = (key: string): string[] => {
    const list = v[key] ?? []
    if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw bad(path, `"${key}" must be an array of strings`)
    return list as string[]
  }
  const ipfsApi = v['ipfsApi']
  if (ipfsApi !== undefined && !isHttpUrl(ipfsApi)) throw bad(path, `"ipfsApi" must be an http(s) URL such as http://127.0.0.1:5001, got ${JSON.stringify(ipfsApi)}`)
  const statusPort = v['statusPort'] ?? 0
  if (!Number.isInteger(statusPort) || (statusPort as number) < 0 || (statusPort as number) > 65_535) throw bad(path, `"statusPort" must be a port number, got ${String(statusPort)}`)
  return {
    version: 1,
    data: v['data'] as string,
    schema: v['schema'] as string,
    rpc: v['rpc'] as string,
    contract: getAddress(v['contract'] as string),
    listen: strings('listen'),
    statusPort: statusPort as number,
    peers: strings('peers'),
    ...(typeof v['name'] === 'string' ? { name: v['name'] } : {}),
    ...(typeof ipfsApi === 'string' ? { ipfsApi } : {}),
  }
}

/** Whether `value` is an http: or https: URL (an RPC endpoint, a Kubo RPC API). */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false
  const { protocol } = new URL(value)
  return protocol === 'http:' || protocol === 'https:'
}

/**
 * Reads `<dataDir>/config.json`.
 * @throws {NodeConfigError} `CONFIG_MISSING` when the data dir was never initialized, `CONFIG_INVALID`
 */
export async function readNodeConfig(dataDir: string): Promise<NodeConfig> {
  const path = nodeConfigPath(resolve(dataDir))
  let value: unknown
  try {
    value = await readJsonIfExists(path)
  } catch (cause) {
    throw new NodeConfigError('CONFIG_INVALID', `${path} is not valid JSON`, { cause, details: { path }, hint: 'fix or remove the file' })
  }
  if (value === undefined) {
    throw new NodeConfigError('CONFIG_MISSING', `no node config in ${resolve(dataDir)}`, {
      details: { path },
      hint: 'run `fedchain node init --data-dir <dir> …` first',
    })
  }
  return parseNodeConfig(value, path)
}

/** Writes the config atomically (temp file + rename), mode 0600. */
export async function writeNodeConfig(dataDir: string, config: NodeConfig): Promise<string> {
  const path = nodeConfigPath(dataDir)
  await writeJsonAtomic(path, config)
  return path
}
