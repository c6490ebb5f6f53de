#!/usr/bin/env bash
# The project's main job on one machine. Run through `make demo` (after `make setup`).
# Five simulated hospitals train a breast-cancer classifier with the full protocol: an embedded
# EVM chain running the aggregator contract, one libp2p node and blob store per hospital on
# 127.0.0.1, record-level DP (ε = 8, δ = 1e-5) in every hospital, committee verification and
# quorum finalization. Then the run is audited against the chain's record.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pnpm -s fedchain doctor
out="runs/demo-breast-cancer"
pnpm -s fedchain simulate --example breast-cancer --nodes 5 --rounds 20 --partition dirichlet:0.5 --dp 8 --delta 1e-5 --out "$out"
echo
echo "Auditing the run: replaying the chain's record, re-opening every commitment and recomputing every aggregate."
pnpm -s fedchain audit --run "$out" | tail -n 2
echo
echo "Open $out/report.html in a browser for the charts (accuracy, ε, reputation, rewards, gas, timings)."
