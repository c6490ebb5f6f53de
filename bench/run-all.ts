// Runs every benchmark script in this folder (each `*.bench.ts`) one after the other.
// Each script prints its own table and writes JSON under bench/results/.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort()

if (scripts.length === 0) {
  console.error(`no benchmark matched ${only.join(', ') || '*.bench.ts'} in ${here}`)
  process.exit(1)
}

let failed = 0
for (const script of scripts) {
  console.log(`\n=== ${script} ===`)
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit', cwd: here })
  if (result.status !== 0) {
    failed++
    console.error(`${script} exited with ${result.status ?? result.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
