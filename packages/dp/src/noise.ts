/**
 * Gaussian noise for DP-SGD, by the Ziggurat method (Marsaglia & Tsang 2000, 256 layers) with the
 * layer index drawn from bits independent of the abscissa (the correction of Doornik 2005), fed
 * by a {@link UniformSource}: the CSPRNG by default, a seeded generator for tests.
 *
 * The Ziggurat needs 5 random bytes per sample and no transcendental function in 98.5 % of
 * draws, which is what makes noising a million parameters take a few milliseconds.
 */
import { clipFactor } from './clip.js'
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
 * Bulk draws work on module-level scratch arrays, refilled for every chunk of up to CHUNK_SAMPLES
 * samples: for m samples, 5m random bytes — a signed 32-bit abscissa each from the first 4m bytes
 * and an 8-bit layer index each from the next m bytes (independent bits). Module-level constants
 * rather than per-instance buffers because V8 compiles loops over constant typed arrays markedly
 * faster (~25 % for this loop); nothing is kept in them between calls, so instances stay
 * independent and every sample uses fresh bytes.
 */
const CHUNK_SAMPLES = 52_428
const bulkWords = new Uint32Array(Math.ceil((CHUNK_SAMPLES * 5) / 4)) // 256 KiB per CSPRNG call
const bulkAbscissas = new Int32Array(bulkWords.buffer)
const bulkIndices = new Uint8Array(bulkWords.buffer)
/** Chunk positions whose draw needs the slow path, handled after the fast loop. */
const pending = new Int32Array(CHUNK_SAMPLES)
/** wn scaled by the current std, so the fast path is a single multiply. */
const scaled = new Float64Array(LAYERS)

/** Single draws (`standardNormal`) come from a small per-instance buffer with the same layout. */
const SINGLE_SAMPLES = 1024
const SINGLE_WORDS = (SINGLE_SAMPLES * 5) / 4
const SINGLE_INDEX_OFFSET = SINGLE_SAMPLES * 4
/** Uniform words for the rare slow path (rejections and the tail), kept apart from the rest. */
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
  private readonly _single = new Uint32Array(SINGLE_WORDS)
  private readonly _singleAbscissas = new Int32Array(this._single.buffer)
  private readonly _singleIndices = new Uint8Array(this._single.buffer)
  private _singleNext = SINGLE_SAMPLES
  private readonly _aux = new Uint32Array(AUX_WORDS)
  private _auxNext = AUX_WORDS

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
    if (this._singleNext === SINGLE_SAMPLES) {
      this._uniform.fillUint32(this._single)
      this._singleNext = 0
    }
    const k = this._singleNext++
    const hz = this._singleAbscissas[k] as number
    const iz = this._singleIndices[SINGLE_INDEX_OFFSET + k] as number
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
    this._generate(out, std, false, 1)
    return out
  }

  /**
   * Adds independent N(0, std²) noise to every entry of `vector`, in place, after scaling the
   * entry by `scale`: v[i] ← v[i]·scale + N(0, std²) (one pass for clip-then-noise).
   * @returns `vector`
   * @throws {InvalidArgumentError} when `std` is negative or not finite, or `scale` is not finite
   */
  addTo<T extends Float32Array | Float64Array>(vector: T, std: number, scale = 1): T {
    checkStd(std)
    if (!Number.isFinite(scale)) throw new InvalidArgumentError('scale', `must be a finite number, got ${scale}`)
    if (std === 0) {
      if (scale !== 1) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale
      return vector
    }
    this._generate(vector, std, true, scale)
    return vector
  }

  private _generate(out: Float32Array | Float64Array, std: number, add: boolean, scale: number): void {
    for (let k = 0; k < LAYERS; k++) scaled[k] = (wn[k] as number) * std
    const n = out.length
    for (let i = 0; i < n; ) {
      const m = Math.min(CHUNK_SAMPLES, n - i)
      const indexOffset = 4 * m
      this._uniform.fillUint32(bulkWords.subarray(0, Math.ceil((5 * m) / 4)))
      const queued = add ? addFastPath(out, i, m, indexOffset, scale) : fillFastPath(out, i, m, indexOffset)
      // The queued entries were already scaled (add) or zeroed (fill) by the fast loop.
      for (let p = 0; p < queued; p++) {
        const k = pending[p] as number
        const x = this._slowPath(bulkAbscissas[k] as number, bulkIndices[indexOffset + k] as number) * std
        out[i + k] = add ? (out[i + k] as number) + x : x
      }
      i += m
    }
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

  /** The rejection and tail steps of the Ziggurat (about 1.5 % of draws), fed by the aux buffer. */
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

/*
 * The Ziggurat's fast path over the m samples of the current bulk chunk, writing out[i0…i0+m).
 * Only the fast path (98.5 % of draws) is taken here; the positions needing the slow path get
 * 0 noise for now and are queued in `pending` (their count is returned). Branch-free stores and
 * module functions called once per chunk (rather than one long loop inside a method) are what
 * V8 compiles best; two copies instead of a branch on add/fill per sample.
 */
function addFastPath(out: Float32Array | Float64Array, i0: number, m: number, indexOffset: number, scale: number): number {
  let queued = 0
  for (let k = 0; k < m; k++) {
    const hz = bulkAbscissas[k] as number
    const iz = bulkIndices[indexOffset + k] as number
    const fast = Math.abs(hz) < (kn[iz] as number)
    out[i0 + k] = (out[i0 + k] as number) * scale + (fast ? hz * (scaled[iz] as number) : 0)
    if (!fast) pending[queued++] = k
  }
  return queued
}

function fillFastPath(out: Float32Array | Float64Array, i0: number, m: number, indexOffset: number): number {
  let queued = 0
  for (let k = 0; k < m; k++) {
    const hz = bulkAbscissas[k] as number
    const iz = bulkIndices[indexOffset + k] as number
    const fast = Math.abs(hz) < (kn[iz] as number)
    out[i0 + k] = fast ? hz * (scaled[iz] as number) : 0
    if (!fast) pending[queued++] = k
  }
  return queued
}

let defaultNoise: GaussianNoise | undefined

/** Parameters of {@link clipAndAddNoise}. */
export interface ClipAndAddNoiseParameters {
  /** Clipping bound C (> 0). */
  readonly maxNorm: number
  /** Standard deviation of the noise (σ·C for DP-FedAvg). */
  readonly std: number
  /** The generator. @default the process-wide CSPRNG-backed one */
  readonly source?: GaussianNoise
}

/**
 * Clips `vector` to L2 norm `maxNorm` and adds N(0, std²) noise, in place and in one pass over the
 * data after the norm (the DP-FedAvg client step: clip the update, then noise it).
 * @returns the clipping factor applied (1 when the vector was within the bound)
 * @throws {InvalidArgumentError} on a bad bound or std, or a vector holding NaN or an infinity
 */
export function clipAndAddNoise(vector: Float32Array | Float64Array, { maxNorm, std, source = defaultGaussianNoise() }: ClipAndAddNoiseParameters): number {
  const factor = clipFactor(vector, maxNorm)
  source.addTo(vector, std, factor)
  return factor
}

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
