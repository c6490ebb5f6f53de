import { basename, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { checkOutputDirectory, describeOutputError } from '../../config/output-dir.js'
import { PartitionTooSmallError } from '../../learning/data/partition.js'
import { LearningError } from '../../learning/errors.js'
import { EXAMPLE_NAMES } from '../../simulate/examples.js'
import { ATTACK_NAMES } from '../../aggregation/attacks.js'
import { STRATEGY_NAMES } from '../../aggregation/registry.js'
import { runSimulation } from '../../simulate/run-simulation.js'
import type { SimulationSummary } from '../../simulate/summary.js'
import { PUBLIC_DIRECTORY_MODE, PUBLIC_FILE_MODE } from '../../util/modes.js'
import { writeJsonAtomic } from '../../util/atomic-json.js'
import { printJson, type OutputOptions } from '../output.js'
import { writeReport } from '../../report/index.js'
import { createProgressBar } from '../progress.js'
import { parseSimulateFlags, type SimulateFlags } from './simulate-flags.js'

/** Coordinators `--coordinator` knows: in-process calls, or the full chain + libp2p + blob-store protocol. */
export const COORDINATOR_NAMES = ['memory', 'protocol'] as const

/** Writes `<out>/summary.json` atomically (synced temp file, then rename), readable by others. */
export async function writeSummary(out: string, summary: SimulationSummary): Promise<string> {
  const path = join(out, 'summary.json')
  await writeJsonAtomic(path, summary, PUBLIC_FILE_MODE, PUBLIC_DIRECTORY_MODE)
  return path
}

function describe(summary: SimulationSummary, path: string): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  const lines = [
    `final accuracy ${pct(summary.final.accuracy)} (AUC ${summary.final.auc.toFixed(3)}), centralized baseline ${pct(summary.baseline.centralizedAccuracy)}`,
  ]
  if (summary.final.epsilonMax !== null) lines.push(`privacy: ε ≤ ${summary.final.epsilonMax.toFixed(2)} per hospital at δ = ${summary.final.delta}`)
  if (summary.attack.attack !== null) {
    const a = summary.attack
    lines.push(`attack ${a.attack}: rejected ${a.rejectedMalicious}/${a.submittedMalicious} malicious, ${a.rejectedHonest}/${a.submittedHonest} honest updates`)
  }
  lines.push(
    `wall ${(summary.timing.wallMs / 1000).toFixed(1)} s (training ${(summary.timing.trainMs / 1000).toFixed(1)} s) on tfjs ${String(summary.config['backend'])}`,
    `summary: ${path}`,
  )
  return lines.join('\n')
}

/**
 * Restates a partitioning failure in `simulate`'s terms: parties are `--nodes`, the dataset is the
 * `--data` file or the example. Other errors are returned unchanged.
 */
export function describeSimulateError(error: unknown, flags: { readonly nodes: string; readonly partition: string }, dataset: string): unknown {
  if (!(error instanceof PartitionTooSmallError)) return error
  const { parties, rows, minRows } = error
  const needed = parties * minRows
  const most = Math.floor(rows / Math.max(1, minRows))
  const options = { details: { ...error.details, argument: '--nodes' }, cause: error }
  if (!error.tooFewRows) {
    return new LearningError('LEARNING_INVALID_ARGUMENT', `--partition ${flags.partition} could not give each of --nodes ${parties} hospitals ${minRows} rows of the ${rows} in ${dataset}`, {
      ...options,
      hint: 'raise α (e.g. --partition dirichlet:1), use --partition iid, or lower --nodes',
    })
  }
  return new LearningError('LEARNING_INVALID_ARGUMENT', `--nodes ${parties} needs at least ${needed} rows (${minRows} per hospital); ${dataset} has ${rows}`, {
    ...options,
    hint: most === 0 ? `use a dataset with at least ${needed} rows (${minRows} per hospital)` : `lower --nodes to ${most} or less, or use a dataset with at least ${needed} rows`,
  })
}

/** Registers `fedchain simulate`. */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a whole consortium of simulated hospitals on this machine')
    .option('--coordinator <name>', `round coordinator: ${COORDINATOR_NAMES.join(' | ')}`, 'protocol')
    .option('--processes', 'protocol, with each node its own OS process (`fedchain node start`) against a `fedchain chain start` child')
    .option('--relay <on|off>', 'protocol only: relay signed commitments and shares in one batch transaction each per round', 'on')
    .option('--kill <node@round...>', 'protocol only: kill node <index> right after it commits in <round> and restart it from its data dir (with --processes: SIGKILL its daemon and start a new one); <index>@<round>:down keeps it down for the rest of the round')
    .option('--example <name>', `bundled dataset: ${EXAMPLE_NAMES.join(' | ')}`)
    .option('--data <csv>', 'CSV file to use instead of an example (needs --schema)')
    .option('--schema <json>', 'dataset schema for --data')
    .option('--model <kind>', 'logistic-regression | mlp | cnn (default: by task)')
    .option('--hidden <widths>', 'MLP hidden layer widths, e.g. 64,32', '32')
    .option('--activation <fn>', 'MLP activation: relu | tanh | sigmoid', 'relu')
    .option('--filters <n>', 'CNN convolution filters', '16')
    .option('--nodes <n>', 'number of hospitals', '5')
    .option('--rounds <n>', 'federated rounds', '20')
    .option('--local-epochs <n>', 'local epochs per round', '1')
    .option('--batch-size <n>', 'local batch size', '16')
    .option('--optimizer <name>', 'local optimizer: sgd | adam', 'sgd')
    .option('--learning-rate <x>', 'local learning rate (sgd: 0.1, 0.5 with DP; adam: 0.01)')
    .option('--proximal-mu <μ>', 'FedProx proximal term weight', '0')
    .option('--standardization <mode>', 'federated (merged training statistics) | local (each hospital its own)', 'federated')
    .option('--partition <scheme>', 'iid | dirichlet:<α> | quantity:<α>', 'dirichlet:0.5')
    .option('--dp <ε>', 'record-level DP budget per hospital, or off', 'off')
    .option('--delta <δ>', 'DP δ', '1e-5')
    .option('--clip-norm <C>', 'DP-SGD clip norm (initial value with adaptive clipping)', '1')
    .option('--clip-quantile <γ|off>', 'adaptive clipping target quantile, or off for a fixed clip norm', '0.9')
    .option('--strategy <name>', `aggregation: ${STRATEGY_NAMES.join(' | ')}`, 'fedavg')
    .option('--malicious <fraction:attack>', `attackers, e.g. 0.3:sign-flip (${ATTACK_NAMES.join(', ')})`)
    .option('--verify <on|off>', 'verify updates before aggregating (default: on with --malicious)')
    .option('--byzantine <fraction>', 'share of hospitals the krum and multi-krum strategies discard each round (default: the --malicious fraction, else 0.3)')
    .option('--krum <f>', 'also reject the f worst Multi-Krum scores per round during verification')
    .option('--min-reputation <score>', 'reject hospitals whose reputation is below this (0 disables)', '0.3')
    .option('--seed <n>', 'seed for partitioning, training and attacks', '1')
    .option('--out <dir>', 'output directory (default runs/simulate-<dataset>)')
    .option('--json', 'print the summary JSON as the last line of stdout')
    .action(async (rawFlags: SimulateFlags & OutputOptions, command: Command) => {
      const flags = { ...rawFlags, relayGiven: command.getOptionValueSource('relay') === 'cli' }
      const { options, coordinator, kills, out } = parseSimulateFlags(flags)
      const name = 'example' in options.source ? options.source.example : basename(options.source.schema, '.json')
      const outText = out ?? `runs/simulate-${name}`
      const outDir = resolve(outText)
      // Before anything runs: a simulation that cannot save its results is wasted time.
      await checkOutputDirectory(outText, 'out')
      const dataset = 'example' in options.source ? `the ${options.source.example} example` : options.source.data
      // Loaded on demand: the protocol stack (embedded chain, libp2p) is heavy and memory runs skip it.
      const protocol =
        flags.processes === true
          ? (await import('../../simulate/process-coordinator.js')).processCoordinator({
              outDir,
              kills,
              ...(options.dp === undefined ? {} : { dp: options.dp }),
              training: { epochs: options.localEpochs ?? 1, batchSize: options.batchSize ?? 16, ...(options.optimizer === undefined ? {} : { learningRate: options.optimizer.learningRate }) },
            })
          : coordinator === 'protocol'
          ? (await import('../../simulate/protocol-coordinator.js')).protocolCoordinator({
              outDir,
              kills,
              relay: flags.relay !== 'off',
              ...(options.verification === undefined ? {} : { policy: options.verification }),
              ...(options.minReputation === undefined ? {} : { minReputation: options.minReputation }),
            })
          : undefined
      const progress = createProgressBar({ total: options.rounds ?? 20, label: 'round', enabled: flags.json !== true && process.stderr.isTTY === true })
      const summary = await runSimulation({
        options,
        // The protocol coordinator keeps the run's chain record, node blobs and auditor key next
        // to summary.json, for `fedchain audit`.
        ...(protocol === undefined ? {} : { coordinator: protocol }),
        onStart: ({ backend, baselineAccuracy }) => progress.log(`backend ${backend}; centralized baseline accuracy ${(100 * baselineAccuracy).toFixed(1)}%`),
        onRound: (r, total) =>
          progress.update(r.round, `acc ${(100 * r.accuracy).toFixed(1)}% loss ${r.loss.toFixed(3)}${r.rejected.length > 0 ? ` rejected ${r.rejected.length}` : ''}${r.round === total ? '\n' : ''}`),
      }).catch((error: unknown) => {
        throw describeOutputError(describeSimulateError(error, flags, dataset), outText, 'out')
      })
      progress.done()
      let path: string
      let report: { path: string }
      try {
        path = await writeSummary(outDir, summary)
        report = await writeReport(summary, join(outDir, 'report.html'))
      } catch (error) {
        throw describeOutputError(error, outText, 'out')
      }
      if (flags.json) printJson(summary)
      else process.stdout.write(`${describe(summary, path)}\nreport: ${report.path}\n`)
    })
}

