import type { Command } from 'commander'
import { defaultDataDir } from '../../config/data-dir.js'
import { CommandFailedError } from '../../errors.js'
import { printJson, type OutputOptions } from '../output.js'
import {
  checkBackends,
  checkDataDir,
  checkIpfsApi,
  checkNodeVersion,
  checkRpc,
  readDataDirConfig,
  checkSolidityCompiler,
  type DoctorCheck,
} from './doctor-checks.js'

export interface DoctorParameters {
  readonly dataDir: string
  /** @default the data dir's config.json `rpc`, if any */
  readonly rpc?: string | undefined
  /** @default the data dir's config.json `ipfsApi`, if any */
  readonly ipfsApi?: string | undefined
}

export interface DoctorReport {
  readonly ok: boolean
  readonly checks: readonly DoctorCheck[]
}

/** Runs every check; `ok` is false when any required one failed. */
export async function runDoctor(parameters: DoctorParameters): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [checkNodeVersion(), ...(await checkBackends()), checkSolidityCompiler()]
  // An initialized data dir names the endpoints its node uses: they are checked too.
  const { config, check: configCheck } = await readDataDirConfig(parameters.dataDir)
  const rpc = parameters.rpc ?? config?.rpc
  const ipfsApi = parameters.ipfsApi ?? config?.ipfsApi
  if (rpc !== undefined) checks.push(await checkRpc(rpc))
  if (ipfsApi !== undefined) checks.push(await checkIpfsApi(ipfsApi))
  checks.push(await checkDataDir(parameters.dataDir))
  if (configCheck !== undefined) checks.push(configCheck)
  return { ok: checks.every((c) => c.status !== 'fail'), checks }
}

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const

export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length))
  const lines = report.checks.map((c) => `${MARK[c.status]} ${c.name.padEnd(width)}  ${c.message}`)
  lines.push(report.ok ? 'fedchain is ready.' : 'fedchain is not ready: fix the ✗ lines above.')
  return lines.join('\n')
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check that this machine can run a fedchain node')
    .option('--rpc <url>', "also check that this chain JSON-RPC endpoint answers (default: the data dir's config.json)")
    .option('--ipfs-api <url>', "also check that this Kubo RPC API answers (default: the data dir's config.json)")
    .option('--data-dir <dir>', 'node data directory to check', defaultDataDir())
    .option('--json', 'print the report as JSON')
    .action(async (options: { rpc?: string; ipfsApi?: string; dataDir: string } & OutputOptions) => {
      const report = await runDoctor({ dataDir: options.dataDir, rpc: options.rpc, ipfsApi: options.ipfsApi })
      if (options.json) printJson(report)
      else process.stdout.write(`${formatDoctorReport(report)}\n`)
      if (!report.ok) throw new CommandFailedError('doctor found a problem', 'see the ✗ lines of the report')
    })
}
