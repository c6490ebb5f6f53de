import { describe, expect, it } from 'vitest'
import { createMessageValidator, GOSSIP_KINDS, topicFor } from '../../src/p2p/index.js'
import { alice, samples, TASK, wire } from './messages-fixture.js'

/** Small deterministic PRNG (mulberry32) so a failure reproduces from the printed seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const JSON_VALUES: unknown[] = [null, true, false, 0, -1, 1e308, 3, '3', '', 'x'.repeat(300), [], {}, [1, 2], { a: 1 }, '0x', '0x' + 'ab'.repeat(32), alice.address, '18446744073709551615', '__proto__']

describe('gossip validator fuzz', () => {
  it('never throws and never accepts a mutated message (2,000 random and mutated inputs)', async () => {
    const seed = 20_261_125
    const rand = prng(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
    const validate = createMessageValidator({ isRegistered: (address) => address === alice.address, isRoundOpen: () => true })
    const valid = samples().map((m) => wire(m))
    const topics = [...GOSSIP_KINDS.map((k) => topicFor(TASK, k)), 'fedchain//verdict', 'x', '']
    let accepted = 0
    let rejected = 0

    for (let i = 0; i < 2000; i++) {
      const base = pick(valid)
      let topic = base.topic
      let data: Uint8Array
      let mutated = true
      switch (i % 5) {
        case 0: {
          // Random bytes of random length.
          data = new Uint8Array(Math.floor(rand() * 600)).map(() => Math.floor(rand() * 256))
          break
        }
        case 1: {
          // Flip 1–4 random bytes of a valid message.
          data = base.data.slice()
          for (let k = 0, n = 1 + Math.floor(rand() * 4); k < n; k++) data[Math.floor(rand() * data.length)]! ^= 1 + Math.floor(rand() * 255)
          break
        }
        case 2: {
          // Replace, delete or add one JSON field.
          const record = JSON.parse(new TextDecoder().decode(base.data)) as Record<string, unknown>
          const keys = Object.keys(record)
          const action = rand()
          if (action < 0.4) record[pick(keys)] = pick(JSON_VALUES)
          else if (action < 0.7) delete record[pick(keys)]
          else record[pick(['extra', 'constructor', '__proto__', 'kind2'])] = pick(JSON_VALUES)
          data = new TextEncoder().encode(JSON.stringify(record))
          mutated = JSON.stringify(record) !== new TextDecoder().decode(base.data)
          break
        }
        case 3: {
          // Truncate or extend.
          data = rand() < 0.5 ? base.data.subarray(0, Math.floor(rand() * base.data.length)) : new Uint8Array([...base.data, ...new TextEncoder().encode(pick([' ', '}', 'x', '\u0000']))])
          mutated = !(data.length === base.data.length + 1 && data[data.length - 1] === 0x20)
          break
        }
        default: {
          // A valid message on a random topic.
          data = base.data
          topic = pick(topics)
          mutated = topic !== base.topic
        }
      }
      const outcome = await validate(topic, data, rand() < 0.95 ? 'peer' : undefined)
      if (outcome.action === 'accept') accepted++
      else rejected++
      if (mutated && outcome.action === 'accept') {
        // A mutation may leave the message semantically equal (e.g. a flipped byte in the hex
        // case of an address); it must then still carry exactly the signed fields.
        const original = wire(samples().find((m) => m.kind === outcome.message.kind)!)
        expect(JSON.parse(new TextDecoder().decode(original.data)).signature, `seed ${seed} iteration ${i}`).toBe(outcome.message.signature)
      }
    }
    expect(accepted + rejected).toBe(2000)
    expect(rejected).toBeGreaterThan(1500)
  })
})
