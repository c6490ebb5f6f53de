import type { Command } from 'commander'
import { CommandFailedError } from '../../errors.js'

// Placeholder registration, replaced by the command's implementation.
export function registerChainCommands(program: Command): void {
  const chainGroup = program.commands.find((c) => c.name() === 'chain') ?? program.command('chain')
  chainGroup.command('start').action(() => { throw new CommandFailedError('fedchain chain start is not available in this build') })
  chainGroup.command('deploy').action(() => { throw new CommandFailedError('fedchain chain deploy is not available in this build') })
}
