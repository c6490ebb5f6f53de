#!/usr/bin/env bash
# The project's main job on one machine. Run through `make demo` (after `make setup`).
# Five simulated hospitals train a breast-cancer classifier together with the in-memory
# coordinator (plain FedAvg, no chain or network) and compare it with centralized training.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pnpm -s fedchain doctor
out="runs/demo-breast-cancer"
pnpm -s fedchain simulate --coordinator memory --example breast-cancer --nodes 5 --rounds 20 --out "$out"
