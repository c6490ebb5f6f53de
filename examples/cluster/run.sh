#!/usr/bin/env bash
# A fedchain consortium as separate OS processes on 127.0.0.1: one `fedchain chain start`, N
# `fedchain node start` daemons, a task, rounds launched one after the other, and one node killed
# (SIGKILL) right after it committed in round KILL_ROUND and started again on the same data dir.
#
#   examples/cluster/run.sh                 # 4 hospitals, 3 rounds, node 2 killed in round 2
#   NODES=5 ROUNDS=4 KILL_NODE=3 KILL_ROUND=3 examples/cluster/run.sh
#   KILL_NODE="2 3" RESTART_DELAY=70 examples/cluster/run.sh   # half the committee gone past the verify
#                                         # deadline: the round aborts and the next launch re-runs it
#   KILL_AT=at-open RESTART_DELAY=25 examples/cluster/run.sh   # killed as the round opens and kept
#                                         # down past the commit deadline: the round goes on without it
#
# Everything runs from a work directory (WORK, default: a new temp dir) that is kept for inspection.
set -euo pipefail

NODES=${NODES:-4}
ROUNDS=${ROUNDS:-3}
KILL_NODE=${KILL_NODE:-2}
KILL_ROUND=${KILL_ROUND:-2}
KILL_AT=${KILL_AT:-after-commit}   # after-commit | at-open
RESTART_DELAY=${RESTART_DELAY:-2}   # seconds the killed node stays down
PHASE_SECONDS=${PHASE_SECONDS:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/fedchain-cluster-XXXXXX")}
export PATH="$ROOT/.tools/node/bin:$ROOT/.tools/bin:$PATH"
CLI="$ROOT/packages/node/dist/cli/main.js"
# An array, not a function: `"${FEDCHAIN[@]}" … &` makes $! the node process itself, so it can be signalled.
FEDCHAIN=(node "$CLI")

# Development-only secrets: the key password of the demo nodes and the dev chain's account 0.
export FEDCHAIN_KEY_PASSWORD=${FEDCHAIN_KEY_PASSWORD:-cluster-demo-password}
export FEDCHAIN_SCRYPT_N=${FEDCHAIN_SCRYPT_N:-16384}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }
wait_for() { # wait_for <seconds> <description> <command…>
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 $((limit * 10))); do "$@" && return 0; sleep 0.1; done
  echo "timed out after ${limit}s waiting for $what" >&2; return 1
}
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s)}catch{v=JSON.parse(s.trim().split("\n").pop())};console.log(process.argv[1].split(".").reduce((o,k)=>o?.[k],v))})' "$1"; }

[ -f "$CLI" ] || (cd "$ROOT" && pnpm -s build)
mkdir -p "$WORK/nodes" "$WORK/logs"
echo "work dir: $WORK"

say "splitting the breast-cancer data into $NODES hospital CSVs"
node "$HERE/split-csv.mjs" "$ROOT/examples/breast-cancer/data/wdbc.csv" malignant "$NODES" "$WORK/data"

say "starting the development chain"
"${FEDCHAIN[@]}" chain start --port 0 --out "$WORK/chain.json" >"$WORK/logs/chain.out" 2>"$WORK/logs/chain.log" &
CHAIN_PID=$!
PIDS+=("$CHAIN_PID")
chain_ready() {
  test -s "$WORK/chain.json" && return 0
  if ! kill -0 "$CHAIN_PID" 2>/dev/null; then echo "fedchain chain start exited:" >&2; cat "$WORK/logs/chain.log" >&2; exit 1; fi
  return 1
}
wait_for 60 "the chain" chain_ready
RPC=$(json_field rpc <"$WORK/chain.json")
export FEDCHAIN_OWNER_KEY=$(node -e 'console.log(require(process.argv[1]).devAccounts.accounts[0].privateKey)' "$WORK/chain.json")
export FEDCHAIN_FUNDER_KEY=$FEDCHAIN_OWNER_KEY
echo "rpc $RPC, aggregator $(json_field aggregator <"$WORK/chain.json")"

start_node() { # start_node <i>
  "${FEDCHAIN[@]}" node start --data-dir "$WORK/nodes/h$1" --task 1 --fund-from-env FEDCHAIN_FUNDER_KEY --poll-ms 500 \
    >>"$WORK/logs/h$1.out" 2>>"$WORK/logs/h$1.log" &
  NODE_PID[$1]=$!
  PIDS+=($!)
}
declare -a NODE_PID
say "initializing and starting $NODES nodes"
for i in $(seq 1 "$NODES"); do
  "${FEDCHAIN[@]}" node init --data-dir "$WORK/nodes/h$i" --data "$WORK/data/hospital-$i.csv" \
    --schema "$ROOT/examples/breast-cancer/schema.json" --chain "$WORK/chain.json" --name "h$i" --json >"$WORK/logs/h$i.init.json"
  echo "h$i: $(json_field address <"$WORK/logs/h$i.init.json")"
  start_node "$i"
done
for i in $(seq 1 "$NODES"); do wait_for 60 "h$i to be admitted" grep -q '"active hospital"' "$WORK/logs/h$i.log"; done
echo "all $NODES nodes admitted"

# One feature scaling for the whole task: each hospital shares only its row count and per-feature
# means and variances; the task owner merges them into the pooled mean and std.
say "collecting each hospital's feature statistics (aggregates only)"
STATS=()
for i in $(seq 1 "$NODES"); do
  "${FEDCHAIN[@]}" node stats --data-dir "$WORK/nodes/h$i" --out "$WORK/stats/h$i.json"
  STATS+=(--standardization "$WORK/stats/h$i.json")
done

say "creating the task (model and manifest served by h1)"
"${FEDCHAIN[@]}" task create --chain "$WORK/chain.json" --model breast-cancer --rounds "$ROUNDS" --store-in "$WORK/nodes/h1" "${STATS[@]}" \
  --commit-seconds "$PHASE_SECONDS" --share-seconds "$PHASE_SECONDS" --verify-seconds "$PHASE_SECONDS" --seed 1 --json | tee "$WORK/logs/task.json"

kill_and_restart() { # kill_and_restart <round>: kills every node of KILL_NODE (space-separated)
  local i pattern
  for i in $KILL_NODE; do
    if [ "$KILL_AT" = at-open ]; then pattern="\"following task\""; else pattern="\"committed\".*\"round\":$1[,}]"; fi
    wait_for 60 "h$i to reach the kill point" grep -q "$pattern" "$WORK/logs/h$i.log"
    kill -9 "${NODE_PID[$i]}"
    echo "killed h$i (SIGKILL, $KILL_AT) in round $1"
  done
  sleep "$RESTART_DELAY"
  for i in $KILL_NODE; do
    start_node "$i"
    echo "restarted h$i on the same data dir"
  done
}

say "running $ROUNDS rounds"
printf '%-6s %-10s %-8s %s\n' round outcome seconds tx | tee "$WORK/rounds.txt"
finalized=0
attempt=0
while [ "$finalized" -lt "$ROUNDS" ] && [ "$attempt" -lt $((ROUNDS + 3)) ]; do
  attempt=$((attempt + 1))
  started=$(date +%s.%N)
  "${FEDCHAIN[@]}" round launch --chain "$WORK/chain.json" --task 1 --wait --json >"$WORK/logs/round-$attempt.json" &
  launch=$!
  if [ "$attempt" -eq "$KILL_ROUND" ]; then kill_and_restart "$attempt"; fi
  wait "$launch"
  outcome=$(json_field outcome <"$WORK/logs/round-$attempt.json")
  seconds=$(node -e "console.log(($(date +%s.%N) - $started).toFixed(1))")
  printf '%-6s %-10s %-8s %s\n' "$attempt" "$outcome" "$seconds" "$(json_field outcomeTx <"$WORK/logs/round-$attempt.json")" | tee -a "$WORK/rounds.txt"
  [ "$outcome" = finalized ] && finalized=$((finalized + 1))
done

say "what the chain recorded"
node "$HERE/check-commitments.mjs" "$WORK/chain.json" 1

say "what the nodes saw"
for i in $(seq 1 "$NODES"); do
  url=$(grep '"status endpoint"' "$WORK/logs/h$i.log" | tail -n 1 | json_field url)
  curl -s "$url/status.json" >"$WORK/logs/h$i.status.json" || true
  node -e '
    const s = require(process.argv[1]); const pct = (x) => x == null ? "-" : (100 * x).toFixed(1) + "%";
    console.log(`${process.argv[2]}: phase ${s.phase}, reputation ${s.reputation?.toFixed(3)}, rewards ${(Number(s.rewards ?? 0) / 1e18).toFixed(1)} FED, local accuracy by round: ${s.summary.rounds.map((r) => `${r.round}:${r.status === "finalized" ? pct(r.accuracy) : r.status}`).join(" ")}`)
  ' "$WORK/logs/h$i.status.json" "h$i"
done
for i in $KILL_NODE; do
  commits=$(grep -c '"msg":"committed"' "$WORK/logs/h$i.log" || true)
  resent=$(grep -c 'commitment re-sent' "$WORK/logs/h$i.log" || true)
  echo "h$i log: $commits commitment transaction(s) sent, $resent resend(s) after restart"
done
echo "logs, data dirs and chain.json: $WORK"
