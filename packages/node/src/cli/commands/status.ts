import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerStatusCommand(program: Command): void {
  program.command('status').action(() => { throw new CommandFailedError('fedchain status is not available in this build') })
}
