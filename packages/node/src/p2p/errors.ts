import { FedchainError } from '../errors.js'

/** A peer multiaddr could not be dialed. */
export class PeerDialError extends FedchainError {
  readonly address: string

  constructor(address: string, cause?: unknown) {
    super('P2P_DIAL_FAILED', `could not connect to peer ${address}`, {
      details: { address },
      hint: 'check that the peer is running and listening on that address (its multiaddr must include /p2p/<peer id>), and that no firewall blocks the port',
      cause,
    })
    this.address = address
  }
}

/** A message this node tried to publish fails its own schema (a programming error, caught before sending). */
export class GossipMessageInvalidError extends FedchainError {
  constructor(reason: string) {
    super('GOSSIP_MESSAGE_INVALID', `refusing to publish an invalid gossip message: ${reason}`, { details: { reason } })
  }
}

/** A condition polled by a wait helper did not hold in time. */
export class WaitTimeoutError extends FedchainError {
  constructor(what: string, timeoutMs: number) {
    super('P2P_WAIT_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}`, {
      details: { what, timeoutMs },
      hint: 'check that the peers are connected and subscribed to the task (fedchain status)',
    })
  }
}
