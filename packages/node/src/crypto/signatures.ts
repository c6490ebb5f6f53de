import { hashMessage, Signature, verifyMessage, type SigningKey } from 'ethers'
import { SignatureInvalidError } from './errors.js'

/** Anything holding a secp256k1 signing key: an ethers `Wallet` or `HDNodeWallet`. */
export interface MessageSigner {
  readonly signingKey: SigningKey
}

/**
 * Signs bytes as an EIP-191 personal message with the node's chain wallet, synchronously (gossip
 * envelopes are signed on the hot path). Anyone can recover the address with {@link recoverSigner},
 * and the contract can with `ECDSA.recover(MessageHashUtils.toEthSignedMessageHash(bytes), sig)`.
 *
 * @returns the 65-byte signature as 0x-prefixed hex
 */
export function signBytes(signer: MessageSigner, bytes: Uint8Array): string {
  return signer.signingKey.sign(hashMessage(bytes)).serialized
}

/**
 * Recovers the chain address that signed `bytes` (EIP-191).
 *
 * @returns the checksummed address
 * @throws {@link SignatureInvalidError} when the signature is not a valid 65-byte secp256k1 signature
 */
export function recoverSigner(bytes: Uint8Array, signature: string): string {
  const key = `${signature}:${hashMessage(bytes)}`
  const cached = recovered.get(key)
  if (cached !== undefined) return cached
  const address = recoverUncached(bytes, signature)
  if (recovered.size >= RECOVERY_CACHE_SIZE) recovered.delete(recovered.keys().next().value as string)
  recovered.set(key, address)
  return address
}

/**
 * Recovery is pure and costs milliseconds in JavaScript; a gossip message reaches every node of a
 * cluster sharing one process (a simulation) and is re-validated when forwarded, so recent results
 * are remembered. Keyed by the signature and the message digest; failures are not cached.
 */
const RECOVERY_CACHE_SIZE = 4_096
const recovered = new Map<string, string>()

function recoverUncached(bytes: Uint8Array, signature: string): string {
  // Only v = 27 or 28: ethers would also read an EIP-155 v (35 + 2·chainId + parity) as the same
  // signature, which would let one signed message travel under several distinct byte strings.
  if (typeof signature !== 'string' || !/^0x[0-9a-fA-F]{128}(1b|1c)$/i.test(signature)) throw new SignatureInvalidError('expected 0x followed by 130 hex digits ending in v = 1b or 1c')
  try {
    // Signature.from rejects a non-canonical s or a bad v before the (slower) recovery.
    return verifyMessage(bytes, Signature.from(signature))
  } catch (cause) {
    throw new SignatureInvalidError('not a valid secp256k1 signature', cause)
  }
}
