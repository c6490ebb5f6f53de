import { AggregatorError, connectAggregator, connectFedToken, MINTER_ROLE, TASK_CREATOR_ROLE } from '@fedchain/aggregator-contract'
import { formatUnits, ZeroHash, type Provider } from 'ethers'
import { findInRpcError, isInsufficientFunds } from '../chain/rpc-error.js'
import { ContractMissingError } from '../daemon/node-daemon.js'
import { FedchainError } from '../errors.js'
import { AccountUnauthorizedError, AccountUnfundedError, TransactionRejectedError } from './errors.js'

/** Who sends a command's transaction, and what for. */
export interface Sender {
  /** The signer's address. */
  readonly address: string
  /** What the transaction does, as a verb phrase: `create a task`. */
  readonly action: string
  /** The variable `--key-env` named, for the hints. */
  readonly keyEnv: string
}

/** Parameters of {@link checkSender}. */
export interface CheckSenderParameters extends Sender {
  readonly provider: Provider
  readonly rpc: string
  readonly aggregator: string
  /** The aggregator role the call needs: `governance` (admitting hospitals) or `task-creator`. */
  readonly role?: 'governance' | 'task-creator'
}

const FUNDED_KEYS = 'the keys in the chain.json `fedchain chain start` wrote are funded'

function gasHint(sender: Sender): string {
  return `send some ether to ${sender.address} for gas, or put a funded key in ${sender.keyEnv} (or name another variable with --key-env); on a development chain ${FUNDED_KEYS}`
}

/** Whether `address` has no ether while gas costs something. */
async function lacksGas(provider: Provider, address: string): Promise<boolean> {
  if ((await provider.getBalance(address)) > 0n) return false
  const fees = await provider.getFeeData()
  return (fees.maxFeePerGas ?? fees.gasPrice ?? 1n) > 0n
}

/**
 * Checks, before anything is stored or sent, that the aggregator exists and that the sender can
 * make the call: it holds the role the call needs and some ether for gas (unless gas is free).
 * @throws {ContractMissingError} no contract at the aggregator address
 * @throws {AccountUnauthorizedError} `ACCOUNT_UNAUTHORIZED`: the role is missing (and maybe the gas too)
 * @throws {AccountUnfundedError} `ACCOUNT_UNFUNDED`: no ether for gas
 */
export async function checkSender(p: CheckSenderParameters): Promise<void> {
  if ((await p.provider.getCode(p.aggregator)) === '0x') throw new ContractMissingError(p.aggregator, p.rpc)
  const aggregator = connectAggregator(p.aggregator, p.provider)
  let roleProblem: string | undefined
  let roleHint = ''
  if (p.role === 'governance') {
    const governance = (await aggregator.getFunction('governance')()) as string
    if (!((await aggregator.getFunction('hasRole')(ZeroHash, p.address)) as boolean)) {
      roleProblem = `it is not the consortium's governance account (${governance})`
      roleHint = `put the governance key of ${governance} in ${p.keyEnv} (or name another variable with --key-env); on a development chain it is account 0 in the chain.json \`fedchain chain start\` wrote`
    }
  } else if (p.role === 'task-creator') {
    if (!((await aggregator.getFunction('hasRole')(TASK_CREATOR_ROLE, p.address)) as boolean)) {
      const governance = (await aggregator.getFunction('governance')()) as string
      roleProblem = 'it lacks the task-creator role'
      roleHint = `use a key that holds the role, such as the governance key of ${governance} (on a development chain, account 0 in the chain.json \`fedchain chain start\` wrote): put it in ${p.keyEnv} or name its variable with --key-env; or have governance grant the task-creator role to ${p.address}`
    }
  }
  const noGas = await lacksGas(p.provider, p.address)
  if (roleProblem !== undefined) {
    throw new AccountUnauthorizedError(p.address, p.action, noGas ? `${roleProblem}, and it holds no ether to pay for gas` : roleProblem, roleHint)
  }
  if (noGas) throw new AccountUnfundedError(p.address, p.action, 'it holds no ether to pay for gas', gasHint(p))
}

/**
 * Checks that `task create`'s owner can pay the reward escrow (reward × rounds): it holds enough
 * FED, or it may mint them (the token's minter role, as the governance key of a development chain).
 * @throws {AccountUnfundedError} `ACCOUNT_UNFUNDED`
 */
export async function checkEscrow(p: { readonly provider: Provider; readonly aggregator: string; readonly address: string; readonly escrow: bigint }): Promise<void> {
  if (p.escrow === 0n) return
  const tokenAddress = (await connectAggregator(p.aggregator, p.provider).getFunction('token')()) as string
  const token = connectFedToken(tokenAddress, p.provider)
  const balance = (await token.getFunction('balanceOf')(p.address)) as bigint
  if (balance >= p.escrow) return
  if ((await token.getFunction('hasRole')(MINTER_ROLE, p.address)) as boolean) return
  throw new AccountUnfundedError(
    p.address,
    'create a task',
    `it holds ${formatUnits(balance, 18)} FED, the reward escrow (--reward × --rounds) is ${formatUnits(p.escrow, 18)} FED`,
    `send ${formatUnits(p.escrow - balance, 18)} FED to ${p.address}, lower --reward or --rounds, or use a key that may mint FED (the governance key on a development chain)`,
  )
}

/**
 * Turns what ethers threw while sending a command's transaction into a clear error: "not enough
 * ether for gas" becomes an {@link AccountUnfundedError}, and an RPC error ethers could not
 * classify ("could not coalesce error") a {@link TransactionRejectedError} quoting the chain's
 * message. Errors that already describe themselves (contract reverts, fedchain errors) are returned
 * unchanged.
 */
export function describeSendError(error: unknown, sender: Sender): unknown {
  if (error instanceof FedchainError || error instanceof AggregatorError) return error
  if (isInsufficientFunds(error)) return new AccountUnfundedError(sender.address, sender.action, 'it holds too little ether to pay for gas', gasHint(sender), error)
  if ((error as { code?: unknown } | null)?.code === 'UNKNOWN_ERROR') {
    const inner = findInRpcError((error as { error?: unknown }).error, (r) => typeof r['message'] === 'string')
    if (inner !== undefined) return new TransactionRejectedError(sender.action, String(inner['message']), error)
  }
  return error
}
