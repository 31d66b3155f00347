#!/usr/bin/env bash
# The gateway against a direct call and against nginx (Debian's package) as a reverse proxy, in
# front of the same upstream on loopback, in one run. One command: it builds the Go tools, installs
# nginx if it is missing, and prints key=value lines last:
#   added_p50_ms / added_p99_ms    gateway minus direct, at 1,000 requests per second
#   throughput_ratio_vs_nginx      maximum throughput (64 connections), gateway / nginx
#   memory_growth_mb               heap after GC, end minus start of a sustained run
# Latency and throughput are measured in rounds that interleave direct, gateway and nginx windows;
# each key is the median over the rounds, and <key>_spread its min..max.
# Knobs (system properties): -Debb.bench.rounds=5 -Debb.bench.rate=1000 -Debb.bench.seconds=10
# (each latency window) -Debb.bench.max-seconds=5 (each throughput window) -Debb.bench.sustained=60
# -Debb.bench.jvm-options='...' (the gateway's JVM flags instead of the chart's), -Debb.bench.env.NAME=value
# (an environment variable of the operator's instead of the chart's, e.g. MALLOC_ARENA_MAX).
# The gateway is the packaged operator in a process of its own (target/quarkus-app, with the chart's
# JVM flags), against a private API server; nothing else runs beside it.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null; then
  apt-get update -qq >/dev/null && apt-get install -y -qq nginx-light >/dev/null
fi
# The gateway runs with the chart's JVM flags, read from the rendered chart.
EBB_HELM=$(bash .ci/provision-helm.sh)
export EBB_HELM
tools=$(mktemp -d)
(cd bench/tools && go build -o "$tools" ./...)
log="$tools/bench.log"
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=GatewayBench \
  -Debb.bench.tools="$tools" -Debb.bench.nginx="$(command -v nginx)" "$@" >"$log" 2>&1 || {
  tail -50 "$log"
  exit 1
}
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^[a-z0-9_]+=' 
