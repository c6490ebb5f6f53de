// Runs every benchmark script in this folder (each `*.bench.ts`) one after the other, plus the
// contract's gas benchmark, which lives in its package. Each prints its own table and writes JSON
// under bench/results/. `node run-all.ts gas protocol` runs only those whose names start so.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const contractGas = join(here, '..', 'packages', 'aggregator-contract', 'bench', 'gas.bench.ts')
const scripts = [...readdirSync(here).map((f) => join(here, f)), contractGas]
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => basename(f).startsWith(name)))
  .sort((a, b) => basename(a).localeCompare(basename(b)))

if (scripts.length === 0) {
  console.error(`no benchmark matched ${only.join(', ') || '*.bench.ts'} in ${here}`)
  process.exit(1)
}

let failed = 0
for (const script of scripts) {
  console.log(`\n=== ${basename(script)} ===`)
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit', cwd: dirname(script) })
  if (result.status !== 0) {
    failed++
    console.error(`${basename(script)} exited with ${result.status ?? result.signal}`)
  }
}
process.exit(failed === 0 ? 0 : 1)
