import { createHash } from 'node:crypto'

/** The fields of a received gossipsub message that identify it before its signature is checked. */
export interface ReceivedMessageFields {
  readonly from?: Uint8Array | undefined
  readonly seqno?: Uint8Array | undefined
  readonly topic: string
  readonly data?: Uint8Array | undefined
}

const utf8 = new TextEncoder()

/**
 * Gossipsub's `fastMsgIdFn`: without it every copy of a message a node receives (one per mesh
 * neighbour, all of them under flood publishing) has its StrictSign signature verified before
 * the duplicate check; with it, copies after the first are dropped on this hash. Only a message
 * that passed validation is cached under its id, so a forged copy cannot shadow the real one.
 * Fields are length-prefixed so no two different messages hash the same input.
 */
export function fastMessageId(message: ReceivedMessageFields): string {
  const hash = createHash('sha256')
  for (const part of [message.from, message.seqno, utf8.encode(message.topic), message.data]) {
    const bytes = part ?? new Uint8Array(0)
    const length = Buffer.allocUnsafe(4)
    length.writeUInt32BE(bytes.length)
    hash.update(length).update(bytes)
  }
  return hash.digest('base64')
}
