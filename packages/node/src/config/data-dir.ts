import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Where a node keeps its keys, config, ledger and round state unless told otherwise. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['FEDCHAIN_HOME']?.trim()
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.fedchain')
}
