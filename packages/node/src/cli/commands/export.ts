import { resolve } from 'node:path'
import type { Command } from 'commander'
import { openBlobStores } from '../../audit/blob-copies.js'
import { blobDirsFor, chainSourceOf, loadChainHistory, parseTaskId, type ChainSourceFlags } from '../../audit/chain-source.js'
import { AuditOptionsError } from '../../audit/errors.js'
import { loadFinalizedModel, writeModelExport, type ExportFormat } from '../../audit/export-model.js'
import { printJson, type OutputOptions } from '../output.js'
import { collect } from '../../config/cli-arguments.js'

interface ExportFlags extends ChainSourceFlags, OutputOptions {
  readonly task?: string
  readonly round?: string
  readonly out?: string
  readonly format: string
  readonly blobs?: string[]
}

function parseRound(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new AuditOptionsError(`--round ${value} is not a round number`, 'rounds are numbered 1, 2, …; `fedchain status` lists the finalized ones')
  return Number(value)
}

function parseFormat(value: string): ExportFormat {
  if (value !== 'bin' && value !== 'json') throw new AuditOptionsError(`--format ${value} is not an export format`, 'use --format bin (the model blob as stored) or --format json')
  return value
}

/** Registers `fedchain export`. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write the global model of a finalized round, verified against its on-chain sha256')
    .option('--run <dir>', 'a `fedchain simulate --coordinator protocol` output directory')
    .option('--rpc <url>', 'read the chain over JSON-RPC instead')
    .option('--contract <address>', 'aggregator contract address (with --rpc)')
    .option('--task <id>', 'task id (default: the run’s task, or the last task created)')
    .option('--round <n>', 'round whose model to export (default: the last finalized round)')
    .option('--blobs <dir>', 'a blob store directory to fetch the model from (repeatable)', collect)
    .option('--format <format>', 'bin (the model blob, header + float32) | json (header + parameters per tensor)', 'bin')
    .option('--out <file>', 'output file (default model-task<t>-round<n>.<bin|json>)')
    .option('--json', 'print what was written as JSON')
    .action(async (flags: ExportFlags) => {
      const source = chainSourceOf(flags)
      const format = parseFormat(flags.format)
      const round = parseRound(flags.round)
      const taskId = parseTaskId(flags.task)
      if (source.kind === 'rpc' && (flags.blobs ?? []).length === 0) {
        throw new AuditOptionsError('exporting from a live chain needs --blobs <dir…>', 'pass a node blob store (<node data dir>/blobs) that holds the model')
      }
      const history = await loadChainHistory(source)
      const stores = await openBlobStores(await blobDirsFor(source, flags.blobs))
      const model = await loadFinalizedModel({ history, stores, ...(taskId === undefined ? {} : { taskId }), ...(round === undefined ? {} : { round }) })
      const path = resolve(flags.out ?? `model-task${model.taskId}-round${model.round}.${format}`)
      const bytes = await writeModelExport(model, path, format)
      const result = { path, format, bytes, taskId: model.taskId.toString(), round: model.round, modelSha256: model.modelSha256, modelCid: model.modelCid, specHash: model.header.specHash, shapes: model.header.shapes }
      if (flags.json) printJson(result)
      else process.stdout.write(`wrote ${path} (${bytes} bytes): task ${result.taskId} round ${model.round}, sha256 ${model.modelSha256} matches the chain\n`)
    })
}
