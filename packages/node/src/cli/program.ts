import { createRequire } from 'node:module'
import { Command } from 'commander'
import { registerDoctor } from './commands/doctor.js'
import { registerSimulate } from './commands/simulate.js'

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
  return program
}
