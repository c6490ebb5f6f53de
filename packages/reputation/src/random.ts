/**
 * Small seeded PRNG (sfc32, seeded through splitmix32) for reproducible sampling: GTG-Shapley's
 * permutations and the generation of the shared test vectors. Not for secrets.
 */

/** A seeded source of uniform numbers. */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number
  /** Uniform integer in [0, n), n ≤ 2^32. */
  nextInt(n: number): number
  /** Uniform bigint in [0, 2^bits). */
  nextBigInt(bits: number): bigint
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/**
 * Creates a seeded PRNG; the same seed always yields the same sequence on every platform.
 *
 * @param seed - any integer (only its low 32 bits are used).
 */
export function createSeededRandom(seed: number): SeededRandom {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t
  }
  // Warm-up: sfc32's first outputs are correlated with the seed.
  for (let i = 0; i < 12; i++) nextUint32()
  return {
    nextUint32,
    next: () => nextUint32() / 2 ** 32,
    nextInt: (n: number) => Math.floor((nextUint32() / 2 ** 32) * n),
    nextBigInt: (bits: number) => {
      let out = 0n
      for (let got = 0; got < bits; got += 32) out = (out << 32n) | BigInt(nextUint32())
      const extra = (32 - (bits % 32)) % 32
      return out >> BigInt(extra)
    },
  }
}
