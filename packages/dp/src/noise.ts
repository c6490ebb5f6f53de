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
 * A source of Gaussian samples. Each instance holds about 0.5 MB of buffers (one CSPRNG batch and
 * its bookkeeping): create one per process or per party and reuse it.
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
    const iz = this._indices[INDEX_OFFSET + k] as number
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
    const scaled = this._scaled
    for (let i = 0; i < LAYERS; i++) scaled[i] = (wn[i] as number) * std
    const abscissas = this._abscissas
    const indices = this._indices
    const pending = this._pending
    const n = out.length
    let i = 0
    while (i < n) {
      if (this._next === CHUNK_SAMPLES) this._refill()
      const k = this._next
      const end = Math.min(CHUNK_SAMPLES, k + (n - i))
      const queued = add
        ? addFastPath(out, i, abscissas, indices, k, end, scaled, pending, scale)
        : fillFastPath(out, i, abscissas, indices, k, end, scaled, pending)
      // Output index of chunk sample j is j + offset.
      const offset = i - k
      for (let p = 0; p < queued; p++) {
        const j = pending[p] as number
        const x = this._slowPath(abscissas[j] as number, indices[INDEX_OFFSET + j] as number) * std
        out[j + offset] = add ? (out[j + offset] as number) * scale + x : x
      }
      i += end - k
      this._next = end
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
 * The fast path of the Ziggurat over chunk samples [k, end), writing out[i…]. Only the fast path
 * (98.5 % of draws) is taken here; the positions needing the slow path are queued in `pending`
 * and their count returned. These are module functions called once per chunk rather than loops
 * inside a method because V8 optimizes a function called many times far better than one long
 * loop replaced on the stack; two copies instead of a branch on add/fill per sample.
 */
function addFastPath(
  out: Float32Array | Float64Array,
  i0: number,
  abscissas: Int32Array,
  indices: Uint8Array,
  k0: number,
  end: number,
  scaled: Float64Array,
  pending: Int32Array,
  scale: number,
): number {
  let queued = 0
  for (let k = k0, i = i0; k < end; k++, i++) {
    const hz = abscissas[k] as number
    const iz = indices[INDEX_OFFSET + k] as number
    if (Math.abs(hz) < (kn[iz] as number)) out[i] = (out[i] as number) * scale + hz * (scaled[iz] as number)
    else pending[queued++] = k
  }
  return queued
}

function fillFastPath(
  out: Float32Array | Float64Array,
  i0: number,
  abscissas: Int32Array,
  indices: Uint8Array,
  k0: number,
  end: number,
  scaled: Float64Array,
  pending: Int32Array,
): number {
  let queued = 0
  for (let k = k0, i = i0; k < end; k++, i++) {
    const hz = abscissas[k] as number
    const iz = indices[INDEX_OFFSET + k] as number
    if (Math.abs(hz) < (kn[iz] as number)) out[i] = hz * (scaled[iz] as number)
    else pending[queued++] = k
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
