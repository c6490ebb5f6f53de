/**
 * Gaussian noise for DP-SGD, by the Ziggurat method (Marsaglia & Tsang 2000, 256 layers) with the
 * layer index drawn from bits independent of the abscissa (the correction of Doornik 2005), fed
 * by a {@link UniformSource}: the CSPRNG by default, a seeded generator for tests.
 *
 * The Ziggurat needs 5 random bytes per sample and no transcendental function in 99 % of
 * draws, which is what makes noising a million parameters take a few milliseconds.
 */
import { InvalidArgumentError } from './errors.js'
import { cryptoUniformSource, seededUniformSource } from './random.js'
import type { Seed, UniformSource } from './random.js'

const LAYERS = 256
/** Right edge of the base layer, r, for 256 layers (Marsaglia & Tsang 2000). */
const ZIGGURAT_R = 3.6541528853610088
/** Area of each layer, v, for 256 layers. */
const ZIGGURAT_V = 4.92867323399e-3
const TWO_POW_31 = 2147483648
const TWO_POW_32 = 4294967296

/** kn[i]: |hz| below this accepts immediately; wn[i]: scale from hz to x; fn[i]: f(x_i). */
const kn = new Float64Array(LAYERS)
const wn = new Float64Array(LAYERS)
const fn = new Float64Array(LAYERS)
{
  let dn = ZIGGURAT_R
  let tn = dn
  const q = ZIGGURAT_V / Math.exp(-0.5 * dn * dn)
  kn[0] = (dn / q) * TWO_POW_31
  kn[1] = 0
  wn[0] = q / TWO_POW_31
  wn[LAYERS - 1] = dn / TWO_POW_31
  fn[0] = 1
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn)
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIGGURAT_V / dn + Math.exp(-0.5 * dn * dn)))
    kn[i + 1] = (dn / tn) * TWO_POW_31
    tn = dn
    fn[i] = Math.exp(-0.5 * dn * dn)
    wn[i] = dn / TWO_POW_31
  }
}

/**
 * Each refill of the chunk buffer serves CHUNK_SAMPLES fast-path draws: a signed 32-bit abscissa
 * from the first 4·CHUNK_SAMPLES bytes, and an 8-bit layer index from one byte each of the next
 * CHUNK_SAMPLES bytes (independent bits, 5 bytes per sample).
 */
const CHUNK_WORDS = 65_536 // 256 KiB per CSPRNG call
const CHUNK_SAMPLES = Math.floor((CHUNK_WORDS * 4) / 5)
const INDEX_OFFSET = CHUNK_SAMPLES * 4
/** Uniform words for the rare slow path (rejections and the tail), kept apart from the chunk. */
const AUX_WORDS = 1024

/**
 * Options of {@link GaussianNoise}: nothing for the CSPRNG (production), a `seed` for a
 * reproducible stream (tests, simulation), or any {@link UniformSource}.
 */
export type GaussianNoiseInit =
  | { readonly seed?: undefined; readonly uniform?: undefined }
  | { readonly seed: Seed; readonly uniform?: undefined }
  | { readonly seed?: undefined; readonly uniform: UniformSource }

/**
 * A source of Gaussian samples.
 *
 * @example
 * ```ts
 * const noise = new GaussianNoise()                  // CSPRNG-backed (production)
 * const testNoise = new GaussianNoise({ seed: 42 })  // reproducible
 * noise.addTo(update, noiseMultiplier * clipNorm)
 * ```
 */
export class GaussianNoise {
  /** Where the uniform bits come from: `'csprng'` or `'seeded'`. */
  readonly kind: 'csprng' | 'seeded'
  private readonly _uniform: UniformSource
  private readonly _chunk = new Uint32Array(CHUNK_WORDS)
  private readonly _abscissas = new Int32Array(this._chunk.buffer)
  private readonly _indices = new Uint8Array(this._chunk.buffer)
  private _next = CHUNK_SAMPLES
  private readonly _aux = new Uint32Array(AUX_WORDS)
  private _auxNext = AUX_WORDS
  /** Chunk positions whose draw needs the slow path, handled after the fast loop. */
  private readonly _pending = new Int32Array(CHUNK_SAMPLES)
  /** wn scaled by the current std, so the fast path is a single multiply. */
  private readonly _scaled = new Float64Array(LAYERS)

  constructor(init: GaussianNoiseInit = {}) {
    if (init.uniform !== undefined) this._uniform = init.uniform
    else if (init.seed !== undefined) this._uniform = seededUniformSource(init.seed)
    else this._uniform = cryptoUniformSource()
    this.kind = this._uniform.kind
  }

  /** A CSPRNG-backed generator (the same as `new GaussianNoise()`). */
  static crypto(): GaussianNoise {
    return new GaussianNoise()
  }

  /** A reproducible generator (not for production: its stream is predictable from the seed). */
  static seeded(seed: Seed): GaussianNoise {
    return new GaussianNoise({ seed })
  }

  /** One sample from N(0, 1). */
  standardNormal(): number {
    if (this._next === CHUNK_SAMPLES) this._refill()
    const k = this._next++
    const hz = this._abscissas[k] as number
    const iz = (this._indices[INDEX_OFFSET + k] as number) & (LAYERS - 1)
    if (Math.abs(hz) < (kn[iz] as number)) return hz * (wn[iz] as number)
    return this._slowPath(hz, iz)
  }

  /**
   * Fills `out` with independent N(0, std²) samples.
   * @returns `out`
   * @throws {InvalidArgumentError} when `std` is negative or not finite
   */
  fill<T extends Float32Array | Float64Array>(out: T, std = 1): T {
    checkStd(std)
    this._generate(out, std, false)
    return out
  }

  /**
   * Adds independent N(0, std²) noise to every entry of `vector`, in place.
   * @returns `vector`
   * @throws {InvalidArgumentError} when `std` is negative or not finite
   */
  addTo<T extends Float32Array | Float64Array>(vector: T, std: number): T {
    checkStd(std)
    if (std === 0) return vector
    this._generate(vector, std, true)
    return vector
  }

  private _generate(out: Float32Array | Float64Array, std: number, add: boolean): void {
    const scaled = this._scaled
    for (let i = 0; i < LAYERS; i++) scaled[i] = (wn[i] as number) * std
    const abscissas = this._abscissas
    const indices = this._indices
    const pending = this._pending
    const n = out.length
    let i = 0
    while (i < n) {
      if (this._next === CHUNK_SAMPLES) this._refill()
      let k = this._next
      const end = Math.min(CHUNK_SAMPLES, k + (n - i))
      // The hot loop only takes the Ziggurat's fast path (99 % of draws) and queues the rest,
      // so it stays small enough for V8 to keep in registers; two copies instead of a branch
      // on `add` per sample.
      let queued = 0
      if (add) {
        for (; k < end; k++, i++) {
          const hz = abscissas[k] as number
          const iz = (indices[INDEX_OFFSET + k] as number) & (LAYERS - 1)
          if (Math.abs(hz) < (kn[iz] as number)) out[i] = (out[i] as number) + hz * (scaled[iz] as number)
          else pending[queued++] = k
        }
      } else {
        for (; k < end; k++, i++) {
          const hz = abscissas[k] as number
          const iz = (indices[INDEX_OFFSET + k] as number) & (LAYERS - 1)
          if (Math.abs(hz) < (kn[iz] as number)) out[i] = hz * (scaled[iz] as number)
          else pending[queued++] = k
        }
      }
      // Output index of chunk sample k is k + offset within this chunk.
      const offset = i - k
      for (let p = 0; p < queued; p++) {
        const j = pending[p] as number
        const x = this._slowPath(abscissas[j] as number, (indices[INDEX_OFFSET + j] as number) & (LAYERS - 1)) * std
        out[j + offset] = add ? (out[j + offset] as number) + x : x
      }
      this._next = k
    }
  }

  private _refill(): void {
    this._uniform.fillUint32(this._chunk)
    this._next = 0
  }

  private _auxWord(): number {
    if (this._auxNext === AUX_WORDS) {
      this._uniform.fillUint32(this._aux)
      this._auxNext = 0
    }
    return this._aux[this._auxNext++] as number
  }

  /** A uniform in the open interval (0, 1). */
  private _uniformOpen(): number {
    return (this._auxWord() + 0.5) / TWO_POW_32
  }

  /** The rejection and tail steps of the Ziggurat (about 1 % of draws), fed by the aux buffer. */
  private _slowPath(hz0: number, iz0: number): number {
    let hz = hz0
    let iz = iz0
    for (;;) {
      const x = hz * (wn[iz] as number)
      if (iz === 0) {
        // Tail beyond r: Marsaglia's exponential rejection method.
        let tx: number
        let ty: number
        do {
          tx = -Math.log(this._uniformOpen()) / ZIGGURAT_R
          ty = -Math.log(this._uniformOpen())
        } while (ty + ty < tx * tx)
        return hz > 0 ? ZIGGURAT_R + tx : -ZIGGURAT_R - tx
      }
      const f0 = fn[iz - 1] as number
      const f1 = fn[iz] as number
      if (f1 + this._uniformOpen() * (f0 - f1) < Math.exp(-0.5 * x * x)) return x
      hz = this._auxWord() | 0
      iz = this._auxWord() & (LAYERS - 1)
      if (Math.abs(hz) < (kn[iz] as number)) return hz * (wn[iz] as number)
    }
  }
}

let defaultNoise: GaussianNoise | undefined

/** The process-wide CSPRNG-backed generator used when no source is given. */
export function defaultGaussianNoise(): GaussianNoise {
  defaultNoise ??= new GaussianNoise()
  return defaultNoise
}

/**
 * Adds N(0, std²) noise to every entry of `vector` in place — for DP-SGD, std = σ·C (noise
 * multiplier times clipping norm).
 * @param source - the generator; the process-wide CSPRNG one when omitted
 * @returns `vector`
 * @throws {InvalidArgumentError} when `std` is negative or not finite
 */
export function addGaussianNoise<T extends Float32Array | Float64Array>(vector: T, std: number, source: GaussianNoise = defaultGaussianNoise()): T {
  return source.addTo(vector, std)
}

function checkStd(std: number): void {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new InvalidArgumentError('std', `must be a finite number ≥ 0, got ${std}`, 'pass noiseMultiplier × clipNorm')
  }
}
