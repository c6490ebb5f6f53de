#!/usr/bin/env bash
# 10 hospitals with label-skewed handwritten digits (Dirichlet 0.3), an MLP, the full protocol,
# one run per aggregation strategy. Usage: bash examples/digits/run.sh   (after make setup)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="runs/digits"
strategies=(fedavg fedavgm fedadam median)
for strategy in "${strategies[@]}"; do
  pnpm -s fedchain simulate --example digits --nodes 10 --partition dirichlet:0.3 --rounds 30 --local-epochs 2 \
    --strategy "$strategy" --seed 1 --out "$out/$strategy" > /dev/null
done
node examples/digits/summarize.mjs "${strategies[@]/#/$out/}"
