import { describe, expect, it } from 'vitest'
import { cryptoUniformSource, InvalidArgumentError, seededUniformSource } from '../src/index.js'

describe('seededUniformSource', () => {
  it('is reproducible and differs between seeds (and between a number and its string)', () => {
    const draw = (seed: number | string | bigint): number[] => {
      const words = new Uint32Array(8)
      seededUniformSource(seed).fillUint32(words)
      return Array.from(words)
    }
    expect(draw(42)).toEqual(draw(42))
    expect(draw(42)).not.toEqual(draw(43))
    expect(draw(42)).not.toEqual(draw('42'))
    expect(draw(42n)).toEqual(draw(42n))
  })

  it('gives single words identical to bulk words', () => {
    const a = seededUniformSource('x')
    const bulk = new Uint32Array(5)
    seededUniformSource('x').fillUint32(bulk)
    expect([a.nextUint32(), a.nextUint32(), a.nextUint32(), a.nextUint32(), a.nextUint32()]).toEqual(Array.from(bulk))
  })

  it('has uniform bits (each of the 32 bit positions set about half the time)', () => {
    const words = new Uint32Array(1 << 16)
    seededUniformSource(7).fillUint32(words)
    for (let bit = 0; bit < 32; bit++) {
      let ones = 0
      for (const w of words) ones += (w >>> bit) & 1
      // 5 standard deviations of Binomial(65536, 1/2) is 640.
      expect(Math.abs(ones - words.length / 2), `bit ${bit}`).toBeLessThan(640)
    }
  })

  it('rejects a non-finite seed', () => {
    expect(() => seededUniformSource(Number.NaN)).toThrow(InvalidArgumentError)
  })
})

describe('cryptoUniformSource', () => {
  it('never repeats a batch and fills large buffers', () => {
    const source = cryptoUniformSource({ batchWords: 4 })
    const first = [source.nextUint32(), source.nextUint32(), source.nextUint32(), source.nextUint32()]
    const second = [source.nextUint32(), source.nextUint32(), source.nextUint32(), source.nextUint32()]
    expect(first).not.toEqual(second)
    const words = new Uint32Array(1 << 16)
    source.fillUint32(words)
    let high = 0
    for (const w of words) if (w >= 2 ** 31) high++
    expect(Math.abs(high - words.length / 2)).toBeLessThan(640)
    expect(source.kind).toBe('csprng')
  })

  it('rejects a bad batch size', () => {
    expect(() => cryptoUniformSource({ batchWords: 0 })).toThrow(/batchWords/)
  })
})
