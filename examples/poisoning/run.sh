#!/usr/bin/env bash
# 10 hospitals, 30% attackers, full protocol: one clean run and one run per attack.
# Usage: bash examples/poisoning/run.sh   (after make setup)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="runs/poisoning"
common=(--example breast-cancer --nodes 10 --rounds 10 --partition iid --seed 1 --verify on)
pnpm -s fedchain simulate "${common[@]}" --out "$out/clean" > /dev/null
for attack in sign-flip scale label-flip free-rider; do
  pnpm -s fedchain simulate "${common[@]}" --malicious "0.3:$attack" --out "$out/$attack" > /dev/null
done
node examples/poisoning/summarize.mjs 0.5 "$out/clean" "$out/sign-flip" "$out/scale" "$out/label-flip" "$out/free-rider"
