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

  it('measures norms against the established hospitals too', () => {
    const boosted = updates.map((u) => (u.id.endsWith('attacker') ? { ...u, delta: Float32Array.from(u.delta, (v) => -10 * v) } : u))
    const judge = (policy: Parameters<typeof verifyUpdates>[0]['policy']) => verifyUpdates({ updates: boosted, policy }).map((v) => v.reason)
    // Boosted ten times along the honest direction: against the majority nothing looks large.
    expect(judge({})).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    expect(judge({ referenceIds: new Set(['a-honest', 'b-honest']) })).toEqual(['ok', 'ok', 'norm-too-large', 'norm-too-large', 'norm-too-large'])
  })

  it('falls back to every update when no reference id is present', () => {
    expect(reasons({ referenceIds: new Set(['nobody']) })).toEqual(reasons({}))
  })
})

describe('verifyUpdates with accepted-norm history', () => {
  // Three small hospitals and one with ten times their data, which honestly moves 4× further.
  const d = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i + 1))
  const scaled = (factor: number, k: number) => Float32Array.from(d, (v, i) => factor * v + 0.01 * Math.sin(5 * i + k))
  const updates = (largeFactor: number): ClientUpdate[] => [
    { id: 'large', delta: scaled(largeFactor, 0), examples: 400 },
    { id: 'small-1', delta: scaled(1, 1), examples: 40 },
    { id: 'small-2', delta: scaled(1, 2), examples: 40 },
    { id: 'small-3', delta: scaled(1, 3), examples: 40 },
  ]
  const largeReason = (largeFactor: number, acceptedNorms?: ReadonlyMap<string, number>) =>
    verifyUpdates({ updates: updates(largeFactor), policy: acceptedNorms === undefined ? {} : { acceptedNorms } }).find((v) => v.id === 'large')?.reason
  const normOf = (factor: number) => Math.hypot(...scaled(factor, 0))

  it('forgives a large norm no larger than the hospital last had accepted', () => {
    expect(largeReason(4)).toBe('norm-too-large')
    expect(largeReason(4, new Map([['large', normOf(5)]]))).toBe('ok')
  })

  it('never raises the bound above the recorded norm', () => {
    expect(largeReason(4, new Map([['large', normOf(3.5)]]))).toBe('norm-too-large')
    expect(largeReason(4, new Map([['small-1', normOf(5)]]))).toBe('norm-too-large')
  })

  it('does not forgive an update that is large for its data too', () => {
    // With the data of a small hospital, the same 4× norm is a boosted update.
    const boosted = updates(4).map((u) => (u.id === 'large' ? { ...u, examples: 40 } : u))
    const verdict = verifyUpdates({ updates: boosted, policy: { acceptedNorms: new Map([['large', normOf(5)]]) } }).find((v) => v.id === 'large')
    expect(verdict?.reason).toBe('norm-too-large')
  })
})
