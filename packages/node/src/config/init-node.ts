import { chmod, mkdir, open, readFile, rm, rmdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { createNodeIdentity, identityFiles, resolveKeyPassword } from '../crypto/identity.js'
import { fileExists } from '../crypto/key-file-io.js'
import { loadCsv } from '../learning/data/csv.js'
import type { Dataset } from '../learning/data/dataset.js'
import { parseDatasetSchema, type DatasetSchema } from '../learning/data/schema.js'
import { DatasetError } from '../learning/errors.js'
import { CONTRACT_HINT, IPFS_API_EXAMPLE, parseAddress, parseHttpUrl, RPC_EXAMPLE } from './cli-arguments.js'
import { DataDirInUseError, invalidArgument, NodeConfigError } from './errors.js'
import { NODE_CONFIG_FILE, nodeConfigPath, writeNodeConfig, type NodeConfig } from './node-config.js'
import { checkOutputDirectory } from './output-dir.js'

/** Parameters of {@link initNode}. */
export interface InitNodeParameters {
  readonly dataDir: string
  /** The hospital's training CSV. */
  readonly data: string
  /** The dataset schema JSON the CSV follows. */
  readonly schema: string
  readonly rpc: string
  readonly contract: string
  /** @default ['/ip4/127.0.0.1/tcp/0'] */
  readonly listen?: readonly string[]
  /** @default 0 (a free port) */
  readonly statusPort?: number
  readonly peers?: readonly string[]
  readonly name?: string
  /** Kubo RPC API URL: keep blobs in that IPFS daemon instead of `<dataDir>/blobs`. */
  readonly ipfsApi?: string
  /** Key password; else read from `passwordEnv`. */
  readonly password?: string
  /** @default 'FEDCHAIN_KEY_PASSWORD' */
  readonly passwordEnv?: string
  readonly env?: NodeJS.ProcessEnv
  /** scrypt cost of the key files (tests lower it). @default 131072 */
  readonly scryptN?: number
}

/** What {@link initNode} created. */
export interface InitNodeReturnType {
  readonly dataDir: string
  readonly configPath: string
  readonly address: string
  readonly peerId: string
  /** Raw X25519 public key, 0x-hex. */
  readonly encryptionKey: string
  readonly rows: number
  readonly features: number
}

/**
 * Where the data and schema paths came from, so that errors point at what the user can change:
 * the `--data` / `--schema` flags of `node init`, or the `data` / `schema` fields of a node's
 * `config.json` (`node start`).
 */
export type LocalDataSource = 'flags' | 'config'

function pathHint(source: LocalDataSource, field: 'data' | 'schema'): string {
  return source === 'flags'
    ? `check the --${field} path`
    : `the ${field === 'data' ? 'CSV' : 'schema'} named by "${field}" in the node's ${NODE_CONFIG_FILE} is gone or unreadable: restore the file, fix the path in ${NODE_CONFIG_FILE}, or re-run \`fedchain node init\` with a new --data-dir`
}

async function readSchema(path: string, source: LocalDataSource): Promise<DatasetSchema> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new DatasetError('SCHEMA_INVALID', `cannot read schema ${path}`, { cause, hint: pathHint(source, 'schema') })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new DatasetError('SCHEMA_INVALID', `schema ${path} is not valid JSON`, { cause, hint: 'fix the JSON syntax' })
  }
  return parseDatasetSchema(value)
}

/** Fails as `loadCsv` would on a file that cannot be read, with a hint for where the path came from. */
async function checkReadable(path: string, source: LocalDataSource): Promise<void> {
  try {
    const handle = await open(path, 'r')
    try {
      if (!(await handle.stat()).isFile()) throw new Error('not a regular file')
    } finally {
      await handle.close()
    }
  } catch (cause) {
    throw new DatasetError('DATA_FILE_EMPTY', `cannot read ${path}`, { cause, details: { source: path }, hint: pathHint(source, 'data') })
  }
}

/**
 * Reads a schema file and checks a CSV against it (the checks `node init` and `node start` run).
 * @param source where the paths came from (default: a node's `config.json`, as in `node start`); only changes the hints
 */
export async function loadLocalData(dataPath: string, schemaPath: string, source: LocalDataSource = 'config'): Promise<{ schema: DatasetSchema; rows: number }> {
  const { schema, dataset } = await loadLocalDataset(dataPath, schemaPath, source)
  return { schema, rows: dataset.labels.length }
}

/** {@link loadLocalData} with the rows themselves (raw, unscaled). */
export async function loadLocalDataset(dataPath: string, schemaPath: string, source: LocalDataSource = 'config'): Promise<{ schema: DatasetSchema; dataset: Dataset }> {
  const schema = await readSchema(schemaPath, source)
  return { schema, dataset: await loadLocalCsv(dataPath, schema, source) }
}

/**
 * `loadCsv` with the hint for where the path came from when the file cannot be read (by default a
 * node's `config.json`: a running node reloads its CSV for each task).
 */
export async function loadLocalCsv(dataPath: string, schema: DatasetSchema, source: LocalDataSource = 'config'): Promise<Dataset> {
  await checkReadable(dataPath, source)
  return loadCsv(dataPath, schema)
}

function checkArguments(p: InitNodeParameters): void {
  parseHttpUrl('rpc', p.rpc, RPC_EXAMPLE)
  if (p.ipfsApi !== undefined) parseHttpUrl('ipfs-api', p.ipfsApi, IPFS_API_EXAMPLE)
  parseAddress('contract', p.contract, CONTRACT_HINT)
  for (const address of [...(p.listen ?? []), ...(p.peers ?? [])]) {
    try {
      multiaddr(address)
    } catch {
      throw invalidArgument('listen', `has an invalid multiaddr: ${address}`, 'e.g. /ip4/127.0.0.1/tcp/0')
    }
  }
  const port = p.statusPort ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw invalidArgument('status-port', `must be 0..65535, got ${port}`, 'use 0 for a free port')
}

/**
 * `fedchain node init`: checks the arguments and the CSV against its schema, then creates the
 * node's identity (key files 0600 in a 0700 data dir) and writes `config.json` atomically.
 * Nothing is written when a check fails.
 *
 * @throws {NodeConfigError} bad arguments (`CONFIG_ARGUMENT_INVALID`) or an initialized dir (`CONFIG_EXISTS`)
 * @throws {DatasetError} schema or CSV problems, naming line and column
 * @throws {IdentityExistsError} key files already present (keys are never overwritten)
 */
export async function initNode(p: InitNodeParameters): Promise<InitNodeReturnType> {
  checkArguments(p)
  // Every input is checked before the data dir is touched: a failed init leaves nothing behind.
  const password = resolveKeyPassword(p)
  const dataDir = resolve(p.dataDir)
  const data = resolve(p.data)
  const schemaPath = resolve(p.schema)
  await checkOutputDirectory(p.dataDir, 'data-dir')
  const { schema, rows } = await loadLocalData(data, schemaPath, 'flags')
  const files = identityFiles(dataDir)
  for (const path of [files.wallet, files.libp2p, files.encryption]) if (await fileExists(path)) throw new DataDirInUseError(dataDir, files.dir)
  if (await fileExists(nodeConfigPath(dataDir))) {
    throw new NodeConfigError('CONFIG_EXISTS', `${dataDir} already holds a node config`, {
      details: { dataDir },
      hint: 'use another --data-dir, or edit config.json to change settings',
    })
  }
  const createdKeysDir = !(await fileExists(files.dir))
  // The first directory mkdir created (undefined when dataDir existed): on failure, everything from
  // dataDir up to it is removed again.
  const firstCreated = await mkdir(dataDir, { recursive: true, mode: 0o700 })
  let wroteKeys = false
  try {
    // mkdir leaves an existing dir's mode alone: the keys' directory must not be world-readable.
    await chmod(dataDir, 0o700)
    const identity = await createNodeIdentity({
      dataDir,
      password,
      ...(p.scryptN === undefined ? {} : { scryptN: p.scryptN }),
    })
    wroteKeys = true
    const config: NodeConfig = {
      version: 1,
      data,
      schema: schemaPath,
      rpc: p.rpc,
      contract: parseAddress('contract', p.contract, CONTRACT_HINT),
      listen: p.listen ?? ['/ip4/127.0.0.1/tcp/0'],
      statusPort: p.statusPort ?? 0,
      peers: p.peers ?? [],
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.ipfsApi === undefined ? {} : { ipfsApi: p.ipfsApi }),
    }
    const configPath = await writeNodeConfig(dataDir, config)
    return {
      dataDir,
      configPath,
      address: identity.address,
      peerId: identity.peerId.toString(),
      encryptionKey: `0x${Buffer.from(identity.encryption.publicKey).toString('hex')}`,
      rows,
      features: schema.features.length,
    }
  } catch (error) {
    // Undo this call's writes only (keys nobody registered yet, then the dirs it created if they
    // are empty), never anything another process put there.
    if (wroteKeys) await Promise.all([files.wallet, files.libp2p, files.encryption].map((path) => rm(path, { force: true })))
    if (createdKeysDir) await rmdir(files.dir).catch(() => undefined)
    if (firstCreated !== undefined) {
      for (let dir = dataDir; ; dir = dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false)) || dir === firstCreated || dirname(dir) === dir) break
      }
    }
    throw error
  }
}
