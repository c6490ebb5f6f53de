import { describe, expect, it } from 'vitest'
import { createMessageValidator, decodeGossipMessage, encodeGossipMessage, parseTopic, topicFor } from '../../src/p2p/index.js'
import { alice, bob, mallory, samples, sign, TASK, wire } from './messages-fixture.js'

const ALICE_PEER = '12D3KooWAlice'
const registry = new Map([[alice.address, ALICE_PEER], [bob.address, '12D3KooWBob']])
const validate = createMessageValidator({
  isRegistered: async (address, peerId) => registry.get(address) === peerId,
  isRoundOpen: (task, round, kind) => task === TASK && (round === 3n || (round === 2n && kind === 'model-published')),
  maxMessageBytes: 4096,
})

function json(message: Record<string, unknown>): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message))
}

describe('gossip message validation', () => {
  it('accepts a correctly signed message of each kind from a registered sender', async () => {
    for (const message of samples()) {
      const { topic, data } = wire(message)
      const outcome = await validate(topic, data, ALICE_PEER)
      expect(outcome.action).toBe('accept')
      if (outcome.action === 'accept') expect(outcome.message).toEqual(sign(message))
    }
  })

  it('rejects each kind of bad message with its reason', async () => {
    const [update] = samples()
    const good = wire(update!)
    const record = JSON.parse(new TextDecoder().decode(good.data)) as Record<string, unknown>
    const cases: Array<[string, Promise<unknown>, string]> = [
      ['oversized', validate(good.topic, new Uint8Array(4097), ALICE_PEER), 'oversized'],
      ['not JSON', validate(good.topic, new TextEncoder().encode('{nope'), ALICE_PEER), 'malformed'],
      ['not UTF-8', validate(good.topic, Uint8Array.of(0xff, 0xfe), ALICE_PEER), 'malformed'],
      ['array', validate(good.topic, json([] as unknown as Record<string, unknown>), ALICE_PEER), 'schema'],
      ['extra field', validate(good.topic, json({ ...record, extra: 1 }), ALICE_PEER), 'schema'],
      ['missing field', validate(good.topic, json({ ...record, commitment: undefined }), ALICE_PEER), 'schema'],
      ['bad commitment', validate(good.topic, json({ ...record, commitment: '0x12' }), ALICE_PEER), 'schema'],
      ['bad cid', validate(good.topic, json({ ...record, cid: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG' }), ALICE_PEER), 'schema'],
      ['numeric round', validate(good.topic, json({ ...record, round: 3 }), ALICE_PEER), 'schema'],
      ['huge round', validate(good.topic, json({ ...record, round: '18446744073709551616' }), ALICE_PEER), 'schema'],
      ['version 2', validate(good.topic, json({ ...record, v: 2 }), ALICE_PEER), 'schema'],
      ['other topic', validate(topicFor(TASK, 'verdict'), good.data, ALICE_PEER), 'wrong-topic'],
      ['other task', validate(topicFor('digits', 'update-shared'), good.data, ALICE_PEER), 'wrong-topic'],
      ['foreign topic', validate('news', good.data, ALICE_PEER), 'wrong-topic'],
      ['no wallet signature', validate(good.topic, json({ ...record, signature: '' }), ALICE_PEER), 'unsigned'],
      ['no libp2p signature', validate(good.topic, good.data, undefined), 'unsigned'],
      ['signed by another wallet', validate(good.topic, wire(update!, mallory).data, ALICE_PEER), 'bad-signature'],
      ['field changed after signing', validate(good.topic, json({ ...record, cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' }), ALICE_PEER), 'bad-signature'],
      ['garbage signature', validate(good.topic, json({ ...record, signature: '0x' + 'ff'.repeat(65) }), ALICE_PEER), 'bad-signature'],
      ['unregistered wallet', validate(good.topic, wire(samples(mallory)[0]!, mallory).data, '12D3KooWMallory'), 'unregistered'],
      ['registered wallet, other peer id', validate(good.topic, good.data, '12D3KooWBob'), 'unregistered'],
      ['closed round', validate(good.topic, wire(samples(alice, 2n)[0]!).data, ALICE_PEER), 'round-closed'],
    ]
    for (const [name, outcome, reason] of cases) {
      expect(await outcome, name).toMatchObject({ action: 'reject', reason })
    }
  })

  it('passes the message kind to the round check', async () => {
    const [update, , model] = samples(alice, 2n)
    expect(await validate(wire(update!).topic, wire(update!).data, ALICE_PEER)).toMatchObject({ action: 'reject', reason: 'round-closed' })
    expect(await validate(wire(model!).topic, wire(model!).data, ALICE_PEER)).toMatchObject({ action: 'accept' })
  })

  it('applies the optional authorize hook last, with the checked message', async () => {
    const seen: string[] = []
    const strict = createMessageValidator({
      isRegistered: (address, peerId) => registry.get(address) === peerId,
      isRoundOpen: () => true,
      authorize: (message, peerId) => {
        seen.push(`${message.kind}:${message.sender}:${peerId}`)
        return message.kind !== 'verdict'
      },
    })
    const [update, verdict] = samples()
    expect(await strict(wire(update!).topic, wire(update!).data, ALICE_PEER)).toMatchObject({ action: 'accept' })
    expect(await strict(wire(verdict!).topic, wire(verdict!).data, ALICE_PEER)).toMatchObject({ action: 'reject', reason: 'unauthorized' })
    expect(seen).toEqual([`update-shared:${alice.address}:${ALICE_PEER}`, `verdict:${alice.address}:${ALICE_PEER}`])
    // Bad messages never reach the hook.
    await strict(wire(update!).topic, wire(update!, mallory).data, ALICE_PEER)
    expect(seen).toHaveLength(2)
  })

  it('ignores (does not penalise) a message when the chain lookup fails', async () => {
    const failing = createMessageValidator({ isRegistered: () => Promise.reject(new Error('rpc down')), isRoundOpen: () => true })
    const { topic, data } = wire(samples()[0]!)
    expect(await failing(topic, data, ALICE_PEER)).toMatchObject({ action: 'ignore' })
  })

  it('treats the sender address case-insensitively but returns it checksummed', async () => {
    const message = { ...samples()[0]!, sender: alice.address.toLowerCase() }
    const { topic, data } = wire(message)
    const outcome = await validate(topic, data, ALICE_PEER)
    expect(outcome).toMatchObject({ action: 'accept', message: { sender: alice.address } })
  })

  it('decodes rounds as bigint and round-trips through the wire form', () => {
    const signed = sign(samples()[2]!)
    const decoded = decodeGossipMessage(topicFor(TASK, 'model-published'), encodeGossipMessage(signed))
    expect(decoded).toEqual({ ok: true, message: signed })
  })

  it('parses only fedchain topics', () => {
    expect(parseTopic('fedchain/breast-cancer/verdict')).toEqual({ taskId: 'breast-cancer', kind: 'verdict' })
    expect(parseTopic('fedchain/a/b/verdict')).toBeUndefined()
    expect(parseTopic('fedchain/breast-cancer/other')).toBeUndefined()
    expect(() => topicFor('no spaces', 'verdict')).toThrow(/task id/)
  })
})
