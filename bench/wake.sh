#!/usr/bin/env bash
# Requests sent while a backend-local component has zero copies. One command: it builds the Go
# tools (the echo model server), runs the rounds and prints key=value lines last:
#   wake_overhead_ms_p50   Ebb's own time per wake: first request -> scale command accepted, plus
#                          model server listening -> first request at it (the model server's own
#                          start is excluded; the fake kubelet reports Ready 5 s late, as real
#                          probes do, so requests go out by the gateway's own probe)
#   failed                 requests that did not succeed
# Knobs: -Debb.bench.rounds=10 -Debb.bench.concurrent=20 -Debb.bench.readiness-lag-ms=5000
set -euo pipefail
cd "$(dirname "$0")/.."

tools=$(mktemp -d)
(cd bench/tools && go build -o "$tools" ./...)
log="$tools/bench.log"
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=WakeBench \
  -Debb.bench.tools="$tools" "$@" >"$log" 2>&1 || {
  tail -50 "$log"
  exit 1
}
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^[a-z0-9_]+='
