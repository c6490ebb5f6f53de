import { Wallet } from 'ethers'
import { signBytes } from '../../src/crypto/index.js'
import { encodeGossipMessage, signingBytes, topicFor, type GossipMessage, type UnsignedGossipMessage } from '../../src/p2p/index.js'

export const TASK = 'breast-cancer'
export const CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
export const alice = new Wallet('0x' + 'a1'.repeat(32))
export const bob = new Wallet('0x' + 'b2'.repeat(32))
export const mallory = new Wallet('0x' + 'c3'.repeat(32))

/** One valid unsigned message of each kind from `sender`. */
export function samples(sender: Wallet = alice, round = 3n): UnsignedGossipMessage[] {
  return [
    { v: 1, kind: 'update-shared', task: TASK, round, sender: sender.address, cid: CID, commitment: '0x' + 'ab'.repeat(32) },
    { v: 1, kind: 'verdict', task: TASK, round, sender: sender.address, subject: bob.address, cid: CID, accepted: false, reason: 'norm 9.1 > bound 5.0' },
    { v: 1, kind: 'model-published', task: TASK, round, sender: sender.address, cid: CID, modelHash: '0x' + 'cd'.repeat(32) },
  ]
}

export function sign(message: UnsignedGossipMessage, signer: Wallet = alice): GossipMessage {
  return { ...message, signature: signBytes(signer, signingBytes(message)) } as GossipMessage
}

export function wire(message: UnsignedGossipMessage, signer: Wallet = alice): { topic: string; data: Uint8Array } {
  return { topic: topicFor(message.task, message.kind), data: encodeGossipMessage(sign(message, signer)) }
}
