import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerTaskCommands(program: Command): void {
  const taskGroup = program.commands.find((c) => c.name() === 'task') ?? program.command('task')
  taskGroup.command('create').action(() => { throw new CommandFailedError('fedchain task create is not available in this build') })
  const roundGroup = program.commands.find((c) => c.name() === 'round') ?? program.command('round')
  roundGroup.command('launch').action(() => { throw new CommandFailedError('fedchain round launch is not available in this build') })
}
