import type { Command } from 'commander'
import { auditTask } from '../../audit/audit-task.js'
import { formatAuditReport } from '../../audit/format-audit.js'
import { prepareAudit, type AuditFlags } from '../../audit/prepare-audit.js'
import { STRATEGY_NAMES } from '../../aggregation/registry.js'
import { CommandFailedError } from '../../errors.js'
import { printJson, type OutputOptions } from '../output.js'
import { collect } from '../../config/cli-arguments.js'

/** Registers `fedchain audit`. */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('replay a task from the chain: check commitments, update and model hashes, quorums, and recompute every aggregate')
    .option('--run <dir>', 'a `fedchain simulate --coordinator protocol` output directory (chain record, node blob stores, auditor key, summary)')
    .option('--rpc <url>', 'read the chain over JSON-RPC instead')
    .option('--contract <address>', 'aggregator contract address (with --rpc)')
    .option('--task <id>', 'task id (default: the run’s task, or the last task created)')
    .option('--blobs <dir>', 'a blob store directory to fetch updates and models from (repeatable)', collect)
    .option('--auditor-key <file>', 'auditor X25519 private key: 64 hex characters (default <run>/auditor.key), or a node’s sealed encryption key (password in FEDCHAIN_KEY_PASSWORD)')
    .option('--strategy <name>', `aggregation strategy of the task with --rpc: ${STRATEGY_NAMES.join(' | ')}`, undefined)
    .option('--json', 'print the report as JSON on the last line')
    .action(async (flags: AuditFlags & OutputOptions) => {
      const report = await auditTask(await prepareAudit(flags))
      if (flags.json) printJson(report)
      else process.stdout.write(`${formatAuditReport(report)}\n`)
      if (!report.ok) {
        throw new CommandFailedError(
          `audit found ${report.mismatches.length} mismatch${report.mismatches.length === 1 ? '' : 'es'} in task ${report.taskId}`,
          'the chain’s record and the stored updates or models disagree; each ✗ line (or mismatches[] in --json) names the round, the party and both values',
        )
      }
    })
}
