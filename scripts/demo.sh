#!/usr/bin/env bash
# The project's main job on one machine. Run through `make demo` (after `make setup`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pnpm -s fedchain doctor
