// One line per run directory: strategy, final accuracy, centralized baseline, gap, gas per
// participant and round, wall time. Usage: node examples/digits/summarize.mjs <run dir>…
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const rows = process.argv.slice(2).map((dir) => {
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
  return {
    strategy: s.config.strategy,
    model: s.config.model?.kind,
    accuracy: `${(100 * s.final.accuracy).toFixed(1)}%`,
    centralized: `${(100 * s.baseline.centralizedAccuracy).toFixed(1)}%`,
    gapPp: (100 * (s.final.accuracy - s.baseline.centralizedAccuracy)).toFixed(2),
    gasPerParticipantRound: Math.round(s.gas.perParticipantRound),
    wallS: (s.timing.wallMs / 1000).toFixed(1),
  }
})
console.table(rows)
