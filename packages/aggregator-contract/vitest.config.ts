import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // Each file starts its own in-process chain (≈ 3 s) and runs whole rounds.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
