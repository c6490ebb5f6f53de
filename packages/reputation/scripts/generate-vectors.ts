/**
 * Writes vectors/reputation.json and vectors/reward-split.json from the compiled package.
 * Run after a build: `pnpm --filter @fedchain/reputation run vectors`
 * (or `pnpm -s build && node scripts/generate-vectors.ts` in packages/reputation).
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createReputationVectors, createRewardSplitVectors } from '../dist/test-vectors.js'

const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors')

function write(name: string, content: unknown): void {
  const path = join(vectorsDir, name)
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`)
  process.stdout.write(`wrote ${path}\n`)
}

write('reputation.json', createReputationVectors())
write('reward-split.json', createRewardSplitVectors())
