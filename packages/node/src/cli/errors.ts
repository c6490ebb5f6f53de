import { FedchainError } from '../errors.js'

/** The account signing a command's transaction cannot pay for it: no ether for gas, or too few FED. */
export class AccountUnfundedError extends FedchainError {
  readonly address: string

  constructor(address: string, action: string, problem: string, hint: string, cause?: unknown) {
    super('ACCOUNT_UNFUNDED', `account ${address} cannot ${action}: ${problem}`, { details: { address, action, problem }, hint, cause })
    this.address = address
  }
}

/** The account signing a command's transaction lacks the contract role the call needs. */
export class AccountUnauthorizedError extends FedchainError {
  readonly address: string

  constructor(address: string, action: string, problem: string, hint: string) {
    super('ACCOUNT_UNAUTHORIZED', `account ${address} cannot ${action}: ${problem}`, { details: { address, action, problem }, hint })
    this.address = address
  }
}

/** The chain's RPC refused a command's transaction for a reason that is not a contract revert. */
export class TransactionRejectedError extends FedchainError {
  constructor(action: string, reason: string, cause?: unknown) {
    super('CHAIN_TRANSACTION_REJECTED', `the chain refused to ${action}: ${reason}`, {
      details: { action, reason },
      hint: 'check the account in --key-env and the chain (`fedchain doctor --rpc <url>`)',
      cause,
    })
  }
}
