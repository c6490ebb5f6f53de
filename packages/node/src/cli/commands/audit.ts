import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerAuditCommand(program: Command): void {
  program.command('audit').action(() => { throw new CommandFailedError('fedchain audit is not available in this build') })
}
