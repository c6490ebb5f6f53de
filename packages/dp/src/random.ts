/**
 * Uniform 32-bit random sources: a CSPRNG (node:crypto, the default for anything that protects
 * privacy) and a seeded xoshiro128** generator (tests, reproducible simulations). `Math.random`
 * is never used.
 */
import { createHash, randomFillSync } from 'node:crypto'
import { InvalidArgumentError } from './errors.js'

/** A source of independent uniform 32-bit words. */
export interface UniformSource {
  /** `'csprng'` for the operating system's cryptographic generator, `'seeded'` for xoshiro128**. */
  readonly kind: 'csprng' | 'seeded'
  /** One uniform integer in [0, 2³²). */
  nextUint32(): number
  /** Fills `out` with uniform words (the fast path: one call per batch). */
  fillUint32(out: Uint32Array): void
}

/** Options of {@link cryptoUniformSource}. */
export interface CryptoUniformSourceInit {
  /** Words fetched from the CSPRNG per refill of the single-word buffer. @default 16384 (64 KiB) */
  readonly batchWords?: number
}

const DEFAULT_CRYPTO_BATCH_WORDS = 16_384 // 64 KiB per refill

/**
 * Uniform words from node:crypto (`randomFillSync`, the OS CSPRNG through OpenSSL), fetched in
 * large batches because each call has a fixed cost of about a microsecond.
 */
export function cryptoUniformSource(init: CryptoUniformSourceInit = {}): UniformSource {
  const batchWords = init.batchWords ?? DEFAULT_CRYPTO_BATCH_WORDS
  if (!Number.isSafeInteger(batchWords) || batchWords < 1) {
    throw new InvalidArgumentError('batchWords', `must be a positive integer, got ${batchWords}`)
  }
  const buffer = new Uint32Array(batchWords)
  let position = batchWords
  return {
    kind: 'csprng',
    nextUint32(): number {
      if (position === batchWords) {
        randomFillSync(buffer)
        position = 0
      }
      return buffer[position++] as number
    },
    fillUint32(out: Uint32Array): void {
      // randomFillSync caps one call at 2³¹−1 bytes; chunk to stay well within it.
      const chunk = 1 << 24
      for (let start = 0; start < out.length; start += chunk) {
        randomFillSync(out.subarray(start, Math.min(out.length, start + chunk)))
      }
    },
  }
}

/** A seed for {@link seededUniformSource}: any number, bigint or string. */
export type Seed = number | bigint | string

/**
 * The xoshiro128** generator (Blackman & Vigna 2018): 128-bit state, period 2¹²⁸ − 1, fast with
 * 32-bit integer arithmetic. The state is derived from SHA-256 of the seed, so seeds 1 and 2
 * give unrelated streams and the stream is the same on every platform.
 *
 * Not cryptographically secure: for tests and simulations only.
 */
export function seededUniformSource(seed: Seed): UniformSource {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new InvalidArgumentError('seed', `must be a finite number, a bigint or a string, got ${seed}`)
  }
  const digest = createHash('sha256').update(`${typeof seed}:${String(seed)}`).digest()
  let s0 = digest.readUInt32LE(0)
  let s1 = digest.readUInt32LE(4)
  let s2 = digest.readUInt32LE(8)
  let s3 = digest.readUInt32LE(12)
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1 // the all-zero state is the generator's only fixed point

  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  return {
    kind: 'seeded',
    nextUint32: next,
    fillUint32(out: Uint32Array): void {
      for (let i = 0; i < out.length; i++) out[i] = next()
    },
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
