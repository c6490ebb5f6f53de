import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { solidityCompiler } from '../src/index.js'

describe('solidityCompiler', () => {
  it('finds the bundled solc without a download', () => {
    const info = solidityCompiler()
    expect(info.version).toMatch(/^0\.8\.\d+$/)
    expect(existsSync(info.path)).toBe(true)
  })
})
