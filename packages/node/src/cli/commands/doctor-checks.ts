import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { solidityCompiler } from '@fedchain/aggregator-contract'
import { requestChainId } from '../../chain/chain-id.js'
import { NodeConfigError } from '../../config/errors.js'
import { readNodeConfig, type NodeConfig } from '../../config/node-config.js'
import { BACKEND_NAMES, backendOverride, probeBackend, type BackendName } from '../../learning/backend.js'
import { BlobStoreUnreachableError, createKuboBlobStore } from '../../storage/index.js'

/** One line of the doctor's report. */
export interface DoctorCheck {
  readonly name: string
  readonly status: 'ok' | 'warn' | 'fail'
  readonly message: string
}

/** The Node version fedchain needs: Hardhat 3, EDR and Vitest 5 refuse anything older. */
export const MIN_NODE_VERSION = [22, 13] as const

export function checkNodeVersion(version: string = process.versions.node): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const [minMajor, minMinor] = MIN_NODE_VERSION
  const ok = major > minMajor || (major === minMajor && minor >= minMinor)
  return {
    name: 'node',
    status: ok ? 'ok' : 'fail',
    message: ok
      ? `v${version}`
      : `v${version} is older than ${minMajor}.${minMinor}; run make setup (installs Node 24 into .tools/)`,
  }
}

/** Probes every tfjs backend; failing all of them is fatal, one missing is not. */
export async function checkBackends(): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []
  for (const name of BACKEND_NAMES) {
    const probe = await probeBackend(name)
    checks.push({
      name: `tfjs:${name}`,
      status: probe.available ? 'ok' : 'warn',
      message: probe.available ? probe.detail : probe.reason,
    })
  }
  const available = checks.filter((c) => c.status === 'ok').map((c) => c.name.slice('tfjs:'.length))
  let override: string | undefined
  try {
    override = backendOverride()
  } catch (error) {
    checks.push({ name: 'tfjs', status: 'fail', message: (error as Error).message })
    return checks
  }
  if (override !== undefined) {
    checks.push(
      available.includes(override)
        ? { name: 'tfjs', status: 'ok', message: `uses ${override} (FEDCHAIN_BACKEND=${override})` }
        : { name: 'tfjs', status: 'fail', message: `FEDCHAIN_BACKEND=${override} does not load here; unset it or pick one of: ${available.join(', ') || 'none'}` },
    )
  } else if (available.length === 0) {
    checks.push({ name: 'tfjs', status: 'fail', message: 'no tfjs backend loads; run make setup' })
  } else {
    const chosen = available[0] as string
    const skipped = BACKEND_NAMES.slice(0, BACKEND_NAMES.indexOf(chosen as BackendName))
    checks.push({ name: 'tfjs', status: 'ok', message: skipped.length === 0 ? `uses ${chosen} (the fastest backend)` : `uses ${chosen} (the fastest that loads; ${skipped.join(', ')} did not)` })
  }
  return checks
}

export function checkSolidityCompiler(): DoctorCheck {
  try {
    const { version, path } = solidityCompiler()
    return { name: 'solc', status: 'ok', message: `${version} (${path})` }
  } catch (error) {
    return {
      name: 'solc',
      status: 'fail',
      message: `the solc package is missing (${(error as Error).message.split('\n')[0]}); run make setup`,
    }
  }
}

/** Asks a JSON-RPC endpoint for its chain id. */
export async function checkRpc(url: string, timeoutMs = 3_000): Promise<DoctorCheck> {
  const answer = await requestChainId(url, timeoutMs)
  switch (answer.kind) {
    case 'chain-id':
      return { name: 'rpc', status: 'ok', message: `${url} chain id ${answer.chainId}` }
    case 'http-error':
      return { name: 'rpc', status: 'fail', message: `${url} answered HTTP ${answer.status}; is it a JSON-RPC endpoint?` }
    case 'no-chain-id':
      return { name: 'rpc', status: 'fail', message: `${url} did not return a chain id (${answer.rpcError ?? 'no result'})` }
    case 'unreachable':
      return { name: 'rpc', status: 'fail', message: `${url} is unreachable (${answer.reason}); start a chain with fedchain chain start or check --rpc` }
  }
}

/** Asks a Kubo RPC API (`--ipfs-api`) whether it answers: one offline `block/stat`. */
export async function checkIpfsApi(url: string, timeoutMs = 3_000): Promise<DoctorCheck> {
  try {
    await createKuboBlobStore({ url, timeoutMs }).ping()
    return { name: 'ipfs-api', status: 'ok', message: `${url} answers (Kubo RPC API)` }
  } catch (error) {
    const reason = error instanceof BlobStoreUnreachableError ? 'unreachable' : `refused the request (${(error as Error).message})`
    return { name: 'ipfs-api', status: 'fail', message: `${url} is ${reason}; start the Kubo daemon (ipfs daemon) or fix --ipfs-api` }
  }
}

/**
 * The node config in a data dir, if there is one: `doctor --data-dir` then also checks the RPC
 * endpoint and the Kubo daemon the node would use.
 */
export async function readDataDirConfig(dir: string): Promise<{ config?: NodeConfig; check?: DoctorCheck }> {
  try {
    return { config: await readNodeConfig(dir) }
  } catch (error) {
    if (error instanceof NodeConfigError && error.code === 'CONFIG_MISSING') return {}
    return { check: { name: 'config', status: 'fail', message: (error as NodeConfigError).shortMessage ?? (error as Error).message } }
  }
}

/**
 * The data dir must be writable by this user and not readable by others (it holds key files).
 * A missing dir is fine when its parent is writable: `fedchain node init` creates it.
 */
export async function checkDataDir(dir: string): Promise<DoctorCheck> {
  const info = await stat(dir).catch(() => undefined)
  if (info === undefined) {
    const parent = dirname(dir)
    const writable = await access(parent, constants.W_OK).then(() => true, () => false)
    return writable
      ? { name: 'data-dir', status: 'ok', message: `${dir} does not exist yet; it will be created (mode 0700)` }
      : { name: 'data-dir', status: 'fail', message: `${dir} does not exist and ${parent} is not writable; pass --data-dir` }
  }
  if (!info.isDirectory()) {
    return { name: 'data-dir', status: 'fail', message: `${dir} is not a directory; pass --data-dir` }
  }
  const writable = await access(dir, constants.R_OK | constants.W_OK | constants.X_OK).then(() => true, () => false)
  if (!writable) return { name: 'data-dir', status: 'fail', message: `${dir} is not writable by this user; fix its owner or pass --data-dir` }
  const mode = info.mode & 0o777
  const octal = mode.toString(8).padStart(4, '0')
  if ((mode & 0o077) !== 0) {
    return { name: 'data-dir', status: 'warn', message: `${dir} is mode ${octal}; other users can read it, run chmod 700 ${dir}` }
  }
  return { name: 'data-dir', status: 'ok', message: `${dir} (mode ${octal})` }
}
