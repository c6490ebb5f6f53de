import { indicesOf } from '@fedchain/aggregator-contract'
import { describe, expect, it } from 'vitest'
import { decideCommitteeVerdict } from '../../src/daemon/index.js'
import { buildNetwork, ensureBackend, initParams, serializeParams, SeededRandom, trainLocal, type Dataset } from '../../src/learning/index.js'
import type { OpenedUpdate } from '../../src/protocol/participant.js'

const network = buildNetwork({ kind: 'logistic-regression', inputs: 4, classes: 2 })
const global = new Float32Array(network.numParams)
const random = new SeededRandom(3)
const honest = (scale = 1) => Float32Array.from({ length: network.numParams }, () => (0.1 + 0.01 * random.normal()) * scale)
const address = (i: number) => `0x${String(i).padStart(40, '0')}`
const opened = (i: number, delta: Float32Array): OpenedUpdate => ({ hospital: address(i), bytes: serializeParams(network, delta), sampleCount: 100n, epsilonSpent: 0n })

const indexOf = new Map([1, 2, 3, 4, 5].map((i) => [address(i), i - 1]))
const reputationOf = new Map([1, 2, 3, 4, 5].map((i) => [address(i), 0.5]))

describe('decideCommitteeVerdict', () => {
  const updates = [1, 2, 3, 4].map((i) => opened(i, honest()))

  it('gives bit-identical bytes whatever the order the updates arrive in', () => {
    const a = decideCommitteeVerdict({ round: 1, network, global, opened: updates, unopened: [], indexOf, reputationOf })
    const b = decideCommitteeVerdict({ round: 1, network, global, opened: [...updates].reverse(), unopened: [], indexOf, reputationOf })
    expect(Buffer.from(a.modelBytes).equals(Buffer.from(b.modelBytes))).toBe(true)
    expect(a.acceptedBitmap).toBe(b.acceptedBitmap)
    expect(a.qualityScores).toBe(b.qualityScores)
    expect(indicesOf(a.acceptedBitmap)).toEqual([0, 1, 2, 3])
  })

  it('rejects boosted, malformed, low-reputation and unopened updates, naming why', () => {
    const boosted = opened(5, honest(50))
    const malformed: OpenedUpdate = { ...opened(3, honest()), bytes: new Uint8Array(10) }
    const lowReputation = new Map(reputationOf).set(address(2), 0.1)
    const verdict = decideCommitteeVerdict({
      round: 1,
      network,
      global,
      opened: [updates[0] as OpenedUpdate, updates[1] as OpenedUpdate, malformed, updates[3] as OpenedUpdate, boosted],
      unopened: [{ hospital: address(4), reason: 'hash mismatch' }],
      indexOf,
      reputationOf: lowReputation,
    })
    const reasons = Object.fromEntries(verdict.rejected.map((r) => [r.hospital, r.reason]))
    expect(reasons[address(2)]).toBe('low-reputation')
    expect(reasons[address(3)]).toMatch(/^malformed/)
    expect(reasons[address(5)]).toBe('norm-too-large')
    expect(reasons[address(4)]).toMatch(/^unopened/)
    expect(indicesOf(verdict.acceptedBitmap)).toEqual([0, 3])
  })

  it('measures norms against the hospitals with an established on-chain reputation', () => {
    // Three boosted newcomers outnumber two established hospitals: against everyone's median
    // nothing looks large, against the established hospitals' the boosted updates do.
    const mixed = [opened(1, honest()), opened(2, honest()), opened(3, honest(20)), opened(4, honest(20)), opened(5, honest(20))]
    const newcomers = new Map([1, 2, 3, 4, 5].map((i) => [address(i), i <= 2 ? 0.8 : 0.4]))
    const verdict = decideCommitteeVerdict({ round: 3, network, global, opened: mixed, unopened: [], indexOf, reputationOf: newcomers })
    expect(indicesOf(verdict.acceptedBitmap)).toEqual([0, 1])
    expect(verdict.rejected.map((r) => r.reason)).toEqual(['norm-too-large', 'norm-too-large', 'norm-too-large'])
    const everyoneNew = decideCommitteeVerdict({ round: 3, network, global, opened: mixed, unopened: [], indexOf, reputationOf: new Map([...newcomers].map(([a]) => [a, 0.4])) })
    expect(indicesOf(everyoneNew.acceptedBitmap)).toEqual([0, 1, 2, 3, 4])
  })
})

/** Rows of a 4-feature binary task whose label follows x₀ + x₁; x₂ and x₃ are noise. */
function synthetic(rows: number, random: SeededRandom): Dataset {
  const d = 4
  const features = Float32Array.from({ length: rows * d }, () => random.normal())
  const labels = Int32Array.from({ length: rows }, (_, i) => ((features[i * d] as number) + (features[i * d + 1] as number) + 0.3 * random.normal() > 0.3 ? 1 : 0))
  return { features, labels, numFeatures: d, numClasses: 2 }
}

describe('decideCommitteeVerdict with the task’s validation set', () => {
  it('rejects an update that passes the norm and cosine checks but hurts the validation loss, which it accepts without one', async () => {
    await ensureBackend()
    const random = new SeededRandom(1)
    const base = initParams(network, random)
    const validation = synthetic(300, random)
    const hospitals = [1, 2, 3, 4].map(() => synthetic(100, random))
    // Hospital 4 trains on every other label flipped: its update still points roughly the honest
    // way (cosine > 0) with an ordinary norm, but moves the model away from the truth.
    const flipped = (data: Dataset): Dataset => ({ ...data, labels: data.labels.map((y, i) => (i % 2 === 0 ? 1 - y : y)) })
    const trained = hospitals.map((data, i) => opened(i + 1, trainLocal({ network, global: base, data: i === 3 ? flipped(data) : data, random: new SeededRandom(10 + i), epochs: 1, batchSize: 32 }).delta))
    const common = { round: 2, network, global: base, opened: trained, unopened: [], indexOf, reputationOf }

    const without = decideCommitteeVerdict(common)
    expect(indicesOf(without.acceptedBitmap)).toEqual([0, 1, 2, 3])
    expect(without.rejected).toEqual([])

    const withSet = decideCommitteeVerdict({ ...common, validation })
    expect(withSet.rejected).toEqual([{ hospital: address(4), reason: 'validation-loss' }])
    expect(indicesOf(withSet.acceptedBitmap)).toEqual([0, 1, 2])

    // Every member holding the same rows reaches the same bytes, whatever order the updates came in.
    const again = decideCommitteeVerdict({ ...common, opened: [...trained].reverse(), validation: { ...validation, features: Float32Array.from(validation.features) } })
    expect(Buffer.from(again.modelBytes).equals(Buffer.from(withSet.modelBytes))).toBe(true)
    expect(again.acceptedBitmap).toBe(withSet.acceptedBitmap)
    expect(again.qualityScores).toBe(withSet.qualityScores)
  })
})
