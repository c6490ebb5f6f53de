import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerExportCommand(program: Command): void {
  program.command('export').action(() => { throw new CommandFailedError('fedchain export is not available in this build') })
}
