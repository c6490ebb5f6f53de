// sha256 over every contract source and the Hardhat config (compiler version and settings), in a
// stable order. Shared by the artifact generator and the staleness test.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

function solidityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return solidityFiles(path)
    return entry.name.endsWith('.sol') ? [path] : []
  })
}

/** Hash of contracts/**\/*.sol and hardhat.config.ts under the package root `root`. */
export function contractSourceHash(root: string): string {
  const hash = createHash('sha256')
  const files = [...solidityFiles(join(root, 'contracts')), join(root, 'hardhat.config.ts')]
  for (const file of files.map((f) => relative(root, f)).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0')
  }
  return hash.digest('hex')
}
