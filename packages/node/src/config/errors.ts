import { IdentityExistsError } from '../crypto/errors.js'
import { FedchainError } from '../errors.js'

/** Codes of {@link NodeConfigError}. */
export type NodeConfigErrorCode =
  | 'CONFIG_MISSING'
  | 'CONFIG_INVALID'
  | 'CONFIG_EXISTS'
  | 'CONFIG_ARGUMENT_INVALID'
  | 'CHAIN_FILE_INVALID'
  | 'TASK_MANIFEST_INVALID'

/** A node config, chain file or task manifest that is missing, malformed or inconsistent. */
export class NodeConfigError extends FedchainError {
  declare readonly code: NodeConfigErrorCode
  constructor(code: NodeConfigErrorCode, shortMessage: string, options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {}) {
    super(code, shortMessage, options)
  }
}

/** `--<name>` got a value it cannot use. */
export function invalidArgument(name: string, problem: string, hint: string): NodeConfigError {
  return new NodeConfigError('CONFIG_ARGUMENT_INVALID', `--${name} ${problem}`, { details: { argument: name }, hint })
}

/**
 * `node init` on a data dir that already holds a node identity. An {@link IdentityExistsError}
 * (code `IDENTITY_EXISTS`) whose hint names the commands a CLI user has.
 */
export class DataDirInUseError extends IdentityExistsError {
  declare readonly hint: string

  constructor(dataDir: string, keysDir: string) {
    super(keysDir)
    this.hint = `start the node it holds with \`fedchain node start --data-dir ${dataDir}\`, or choose another --data-dir; key files are never overwritten`
    this.message = `${this.shortMessage}\n${this.hint}`
  }
}
