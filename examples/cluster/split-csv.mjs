#!/usr/bin/env node
// Splits a CSV (header + rows) into N per-hospital CSVs, stratified round-robin by label so every
// hospital sees both classes. Usage: node split-csv.mjs <input.csv> <label column> <n> <out dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [input, labelColumn, countText, outDir] = process.argv.slice(2)
const count = Number(countText)
if (!input || !labelColumn || !Number.isInteger(count) || count < 1 || !outDir) {
  process.stderr.write('usage: node split-csv.mjs <input.csv> <label column> <hospitals> <out dir>\n')
  process.exit(2)
}
const [header, ...rows] = readFileSync(input, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '')
const labelIndex = header.split(',').indexOf(labelColumn)
if (labelIndex < 0) {
  process.stderr.write(`no column ${labelColumn} in ${input}\n`)
  process.exit(2)
}
const parts = Array.from({ length: count }, () => [])
const seen = new Map()
for (const row of rows) {
  const label = row.split(',')[labelIndex]
  const k = seen.get(label) ?? 0
  seen.set(label, k + 1)
  parts[k % count].push(row)
}
mkdirSync(outDir, { recursive: true })
for (const [i, part] of parts.entries()) {
  const path = join(outDir, `hospital-${i + 1}.csv`)
  writeFileSync(path, `${header}\n${part.join('\n')}\n`)
  process.stdout.write(`${path}: ${part.length} rows\n`)
}
