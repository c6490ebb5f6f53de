import { createRequire } from 'node:module'
import { Command } from 'commander'
import { registerDoctor } from './commands/doctor.js'
import { registerAuditCommand } from './commands/audit.js'
import { registerChainCommands } from './commands/chain.js'
import { registerExportCommand } from './commands/export.js'
import { registerNodeCommands } from './commands/node.js'
import { registerSimulate } from './commands/simulate.js'
import { registerStatusCommand } from './commands/status.js'
import { registerTaskCommands } from './commands/task.js'

const require = createRequire(import.meta.url)
const { version } = require('../../package.json') as { version: string }

/** Builds the `fedchain` command tree. Kept apart from main.ts so tests can drive it in-process. */
export function createProgram(): Command {
  const program = new Command()
    .name('fedchain')
    .description('Blockchain-coordinated federated learning for healthcare')
    .version(version, '-v, --version')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError()
  registerDoctor(program)
  registerSimulate(program)
  registerChainCommands(program)
  registerNodeCommands(program)
  registerTaskCommands(program)
  registerStatusCommand(program)
  registerExportCommand(program)
  registerAuditCommand(program)
  return program
}
