import { describe, expect, it } from 'vitest'
import { fastMessageId } from '../../src/p2p/fast-message-id.js'

describe('fastMessageId', () => {
  const message = { from: Uint8Array.of(1, 2, 3), seqno: Uint8Array.of(0, 0, 0, 7), topic: 'fedchain/1/update-shared', data: Uint8Array.of(9, 9) }

  it('gives every copy of a message the same id', () => {
    expect(fastMessageId({ ...message, data: Uint8Array.from(message.data) })).toBe(fastMessageId(message))
  })

  it('tells apart messages that differ in any field', () => {
    const ids = new Set([
      fastMessageId(message),
      fastMessageId({ ...message, from: Uint8Array.of(1, 2, 4) }),
      fastMessageId({ ...message, seqno: Uint8Array.of(0, 0, 0, 8) }),
      fastMessageId({ ...message, topic: 'fedchain/2/update-shared' }),
      fastMessageId({ ...message, data: Uint8Array.of(9, 8) }),
      fastMessageId({ topic: message.topic }),
    ])
    expect(ids.size).toBe(6)
  })

  it('does not confuse where one field ends and the next begins', () => {
    const a = fastMessageId({ from: Uint8Array.of(1, 2), seqno: Uint8Array.of(3), topic: 't' })
    const b = fastMessageId({ from: Uint8Array.of(1), seqno: Uint8Array.of(2, 3), topic: 't' })
    expect(a).not.toBe(b)
  })
})
