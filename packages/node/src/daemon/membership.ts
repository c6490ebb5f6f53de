import { connectFedToken, encodeHospitalProfile, HOSPITAL_STATUS_NAMES, HospitalStatus } from '@fedchain/aggregator-contract'
import { formatUnits, Wallet, type Contract, type ContractTransactionResponse, type Provider, type Signer } from 'ethers'
import { sendAndWait } from '../chain/send.js'
import type { NodeIdentity } from '../crypto/identity.js'
import type { AggregatorClient } from '../protocol/aggregator-client.js'
import { DaemonStoppedError, MembershipError, MembershipUnfundedError } from './errors.js'
import type { DaemonLogger } from './logger.js'
import { isInsufficientFunds } from '../chain/rpc-error.js'

/** Ether a funder tops a node up to (gas on a development chain). */
const GAS_TOP_UP_WEI = 10n ** 18n

/** Parameters of {@link ensureMembership}. */
export interface EnsureMembershipParameters {
  readonly identity: NodeIdentity
  /** The node's wallet connected to the chain. */
  readonly signer: Signer
  readonly provider: Provider
  readonly client: AggregatorClient
  readonly aggregator: Contract
  /** Listen addresses to register (with `/p2p/<peer id>`). */
  readonly multiaddrs: readonly string[]
  /** Stake to put up; the consortium's minimum stake by default. */
  readonly stake?: bigint
  /** A funded key (development chains): sends gas and stake tokens to the node when it lacks them. */
  readonly funderKey?: string
  readonly log: DaemonLogger
  readonly signal: AbortSignal
  /** How often to look for the admission. @default 1000 */
  readonly pollMs?: number
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DaemonStoppedError())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new DaemonStoppedError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export { sleep as abortableSleep }

/** Another process sent from the same funder key at the same time: pick a fresh nonce and retry. */
function isNonceRace(error: unknown): boolean {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  return code === 'NONCE_EXPIRED' || code === 'REPLACEMENT_UNDERPRICED' || /nonce|replacement transaction/i.test(message)
}

async function retryNonceRaces<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (!isNonceRace(error) || attempt >= 20) throw error
      await sleep(100 + Math.floor(Math.random() * 400), signal)
    }
  }
}

async function fund(p: EnsureMembershipParameters, token: Contract, stake: bigint): Promise<void> {
  await retryNonceRaces(p.signal, () => fundOnce(p, token, stake))
}

async function fundOnce(p: EnsureMembershipParameters, token: Contract, stake: bigint): Promise<void> {
  if (p.funderKey === undefined) return
  const funder = new Wallet(p.funderKey, p.provider)
  const address = p.identity.address
  if ((await p.provider.getBalance(address)) < GAS_TOP_UP_WEI / 10n) {
    await sendAndWait({ action: 'send gas to the node', send: () => funder.sendTransaction({ to: address, value: GAS_TOP_UP_WEI }) as Promise<unknown> as Promise<ContractTransactionResponse> })
    p.log.info('funded gas', { from: funder.address, wei: GAS_TOP_UP_WEI })
  }
  const balance = (await token.getFunction('balanceOf')(address)) as bigint
  if (balance >= stake) return
  const funderToken = connectFedToken(await token.getAddress(), funder)
  const minterRole = (await funderToken.getFunction('MINTER_ROLE')()) as string
  const canMint = (await funderToken.getFunction('hasRole')(minterRole, funder.address)) as boolean
  const missing = stake - balance
  await sendAndWait({
    action: canMint ? 'mint stake tokens' : 'transfer stake tokens',
    send: () => (canMint ? funderToken.getFunction('mint')(address, missing) : funderToken.getFunction('transfer')(address, missing)),
  })
  p.log.info('funded stake', { from: funder.address, amount: missing })
}

async function applyWithStake(p: EnsureMembershipParameters, token: Contract, stake: bigint, profile: { peerId: string; multiaddrs: string[] }): Promise<void> {
  if (stake > 0n) {
    const allowance = (await token.getFunction('allowance')(p.identity.address, p.client.contract.target)) as bigint
    if (allowance < stake) await sendAndWait({ action: 'approve the stake', send: () => token.getFunction('approve')(p.client.contract.target, stake) })
  }
  await p.client.applyForMembership(profile.peerId, p.identity.encryption.publicKey, profile.multiaddrs, stake)
}

/**
 * Makes the node an active hospital of the consortium: applies with its stake (token approve +
 * `applyForMembership` with peer id, X25519 key and listen multiaddrs) unless it already applied,
 * refreshes its registered multiaddrs when they changed (a restarted node listens elsewhere), and
 * waits until governance (or ⅔ of the members) admitted it.
 * @returns the node's registry index
 * @throws {MembershipError} when the node was suspended or exited
 */
export async function ensureMembership(p: EnsureMembershipParameters): Promise<number> {
  const { client, aggregator, identity, log } = p
  const profile = { peerId: identity.peerId.toString(), encryptionKey: `0x${Buffer.from(identity.encryption.publicKey).toString('hex')}`, multiaddrs: [...p.multiaddrs] }
  let record = await client.hospital(identity.address)
  if (record.status === HospitalStatus.None) {
    const token = connectFedToken((await aggregator.getFunction('token')()) as string, p.signer)
    const [minStake] = (await aggregator.getFunction('consortiumConfig')()) as [bigint, bigint]
    const stake = p.stake ?? minStake
    await fund(p, token, stake)
    const balance = (await token.getFunction('balanceOf')(identity.address)) as bigint
    if (balance < stake) throw new MembershipUnfundedError(identity.address, `it holds ${formatUnits(balance, 18)} FED, the stake is ${formatUnits(stake, 18)} FED`)
    try {
      await applyWithStake(p, token, stake, profile)
    } catch (error) {
      if (isInsufficientFunds(error)) throw new MembershipUnfundedError(identity.address, 'it has no ether for gas', error)
      throw error
    }
    log.info('applied for membership', { stake, multiaddrs: profile.multiaddrs })
  } else if (record.peerId !== profile.peerId || record.multiaddrs.join(' ') !== profile.multiaddrs.join(' ')) {
    await sendAndWait({ action: 'update the registered profile', send: () => aggregator.connect(p.signer).getFunction('updateProfile')(encodeHospitalProfile(profile)) })
    log.info('updated registered multiaddrs', { multiaddrs: profile.multiaddrs })
  }
  let waiting = false
  for (;;) {
    record = await client.hospital(identity.address)
    if (record.status === HospitalStatus.Active) return record.index
    if (record.status !== HospitalStatus.Pending) throw new MembershipError(identity.address, HOSPITAL_STATUS_NAMES[record.status])
    if (!waiting) log.info('waiting for admission', { address: identity.address })
    waiting = true
    await sleep(p.pollMs ?? 1_000, p.signal)
  }
}
