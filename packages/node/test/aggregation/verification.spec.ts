import { describe, expect, it } from 'vitest'
import { ATTACK_NAMES, createAttack, verifyUpdates, type ClientUpdate } from '../../src/aggregation/index.js'
import { SeededRandom } from '../../src/learning/random.js'

// A quadratic "holdout": the loss of a delta is its squared distance to the true direction.
const size = 40
const random = new SeededRandom(21)
const truth = Float32Array.from({ length: size }, () => random.normal())
const lossOf = (delta: Float32Array) => delta.reduce((s, v, i) => s + (v - (truth[i] as number)) ** 2, 0) / size

function round(attack: string | undefined): ClientUpdate[] {
  const r = new SeededRandom(5)
  return Array.from({ length: 8 }, (_, i) => {
    const honest = truth.map((t) => t + 0.3 * r.normal())
    const malicious = attack !== undefined && i < 2
    return {
      id: `h${i}`,
      delta: malicious ? createAttack(attack).corruptUpdate(honest, r) : honest,
      examples: 50 + 10 * i,
    }
  })
}

describe('update verification', () => {
  it('accepts every honest update of a clean round', () => {
    const verdicts = verifyUpdates({ updates: round(undefined), policy: { byzantine: 0, validation: { lossOf } } })
    expect(verdicts.map((v) => v.reason)).toEqual(new Array(8).fill('ok'))
    expect(verdicts.every((v) => v.score > 0.8)).toBe(true)
  })

  it.each(ATTACK_NAMES.filter((a) => a !== 'label-flip'))('rejects %s updates and only those', (attack) => {
    const verdicts = verifyUpdates({ updates: round(attack), policy: { validation: { lossOf } } })
    expect(verdicts.filter((v) => !v.accepted).map((v) => v.id)).toEqual(['h0', 'h1'])
    for (const v of verdicts.filter((x) => !x.accepted)) expect(v.reason).not.toBe('ok')
  })

  it('names the failed check and reports the metrics', () => {
    const verdicts = verifyUpdates({ updates: round('scale'), policy: { byzantine: 2 } })
    const boosted = verdicts.find((v) => v.id === 'h0')
    expect(boosted?.reason).toBe('norm-too-large')
    expect(boosted?.metrics.normRatio).toBeGreaterThan(3)
    expect(boosted?.metrics.krumScore).toBeGreaterThan(0)
    const mk = verifyUpdates({ updates: round('sign-flip'), policy: { byzantine: 2, minCosineToMedian: -1, maxNormRatio: 100 } })
    expect(mk.filter((v) => v.reason === 'krum-outlier').map((v) => v.id)).toEqual(['h0', 'h1'])
  })

  it('a low cosine is only rejected when the holdout agrees the update does not help', () => {
    // Four updates pull towards +x, one honest outlier pulls towards a useful +y the others miss.
    const holdout = (d: Float32Array) => ((d[0] as number) - 1) ** 2 + ((d[1] as number) - 1) ** 2
    const updates = [0, 1, 2, 3].map((i) => ({ id: `x${i}`, delta: Float32Array.from([1 + 0.01 * i, 0]), examples: 10 }))
    updates.push({ id: 'y', delta: Float32Array.from([-0.2, 1]), examples: 10 })
    const strict = verifyUpdates({ updates, policy: { minCosineToMedian: 0, cosineNeedsLossEvidence: false, validation: { lossOf: holdout } } })
    expect(strict.find((v) => v.id === 'y')?.reason).toBe('cosine-to-median')
    const withEvidence = verifyUpdates({ updates, policy: { minCosineToMedian: 0, validation: { lossOf: holdout } } })
    expect(withEvidence.find((v) => v.id === 'y')?.accepted).toBe(true)
    expect(withEvidence.find((v) => v.id === 'y')?.metrics.lossDelta).toBeLessThan(0)
  })

  it('an absolute norm bound rejects regardless of the others', () => {
    const verdicts = verifyUpdates({ updates: round(undefined), policy: { maxNorm: 1 } })
    expect(verdicts.every((v) => v.reason === 'norm-bound')).toBe(true)
  })
})

describe('verifyUpdates with a trusted cosine reference', () => {
  // Two established hospitals near +d and three attackers sending −d: the coordinate median
  // follows the majority, so without a reference the honest updates look like the outliers.
  const d = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i + 1))
  const near = (sign: number, k: number) => Float32Array.from(d, (v, i) => sign * v + 0.05 * Math.cos(3 * i + k))
  const updates: ClientUpdate[] = [
    { id: 'a-honest', delta: near(1, 1), examples: 10 },
    { id: 'b-honest', delta: near(1, 2), examples: 10 },
    { id: 'c-attacker', delta: near(-1, 3), examples: 10 },
    { id: 'd-attacker', delta: near(-1, 4), examples: 10 },
    { id: 'e-attacker', delta: near(-1, 5), examples: 10 },
  ]
  const reasons = (policy: Parameters<typeof verifyUpdates>[0]['policy']) => verifyUpdates({ updates, policy }).map((v) => [v.id, v.reason])

  it('judges against the established hospitals, not the majority', () => {
    expect(reasons({})).toEqual([
      ['a-honest', 'cosine-to-median'],
      ['b-honest', 'cosine-to-median'],
      ['c-attacker', 'ok'],
      ['d-attacker', 'ok'],
      ['e-attacker', 'ok'],
    ])
    expect(reasons({ referenceIds: new Set(['a-honest', 'b-honest']) })).toEqual([
      ['a-honest', 'ok'],
      ['b-honest', 'ok'],
      ['c-attacker', 'cosine-to-median'],
      ['d-attacker', 'cosine-to-median'],
      ['e-attacker', 'cosine-to-median'],
    ])
  })

  it('falls back to every update when no reference id is present', () => {
    expect(reasons({ referenceIds: new Set(['nobody']) })).toEqual(reasons({}))
  })
})
