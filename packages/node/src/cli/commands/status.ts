import { connectAggregator, readClaimable, readReputation } from '@fedchain/aggregator-contract'
import type { Command } from 'commander'
import { chainSourceOf, loadChainHistory, parseTaskId, type ChainSourceFlags } from '../../audit/chain-source.js'
import { formatTaskStatus } from '../../audit/format-status.js'
import { loadRunConfig, runParticipantIds } from '../../audit/run-inputs.js'
import { taskStatus, type LiveStateReader, type TaskStatusParameters } from '../../audit/task-status.js'
import { connectRpc } from '../../chain/provider.js'
import { printJson, type OutputOptions } from '../output.js'

interface StatusFlags extends ChainSourceFlags, OutputOptions {
  readonly task?: string
}

/** Registers `fedchain status`. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('rounds, accepted/rejected hospitals, reputation, rewards and ε per hospital of a task')
    .option('--run <dir>', 'a `fedchain simulate --coordinator protocol` output directory')
    .option('--rpc <url>', 'read a live chain over JSON-RPC instead (adds live reputationOf and claimable)')
    .option('--contract <address>', 'aggregator contract address (with --rpc)')
    .option('--task <id>', 'task id (default: the run’s task, or the last task created)')
    .option('--json', 'print the status as JSON on the last line')
    .action(async (flags: StatusFlags) => {
      const source = chainSourceOf(flags)
      const taskId = parseTaskId(flags.task)
      const history = await loadChainHistory(source)
      let extra: Omit<TaskStatusParameters, 'history'> = taskId === undefined ? {} : { taskId }
      if (source.kind === 'run') {
        const resolved = taskId ?? history.taskId
        const summary = await loadRunConfig(source.run).catch(() => undefined)
        extra = {
          ...extra,
          ...(resolved === undefined ? {} : { participantIds: await runParticipantIds(source.run, history, resolved) }),
          ...(summary === undefined ? {} : { accuracy: summary.rounds.map((r) => r.accuracy) }),
        }
      } else {
        const contract = connectAggregator(source.contract, await connectRpc({ url: source.rpc }))
        const live: LiveStateReader = async (address, index) => ({
          reputationScoreWad: (await readReputation(contract, index)).score.toString(),
          claimable: (await readClaimable(contract, address)).toString(),
        })
        extra = { ...extra, live }
      }
      const status = await taskStatus({ history, ...extra })
      if (flags.json) printJson(status)
      else process.stdout.write(`${formatTaskStatus(status)}\n`)
    })
}
