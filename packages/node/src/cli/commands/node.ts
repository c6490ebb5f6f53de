import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerNodeCommands(program: Command): void {
  const nodeGroup = program.commands.find((c) => c.name() === 'node') ?? program.command('node')
  nodeGroup.command('init').action(() => { throw new CommandFailedError('fedchain node init is not available in this build') })
  nodeGroup.command('start').action(() => { throw new CommandFailedError('fedchain node start is not available in this build') })
}
