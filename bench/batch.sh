#!/usr/bin/env bash
# Records per second through Ebb's batcher (BatchTransform, backend local) against calling
# /invocations directly in a loop with the same concurrency, over the same records and the same
# model server (the test model server with ECHO=1), SingleRecord so each record is one request
# (BatchBench). One command: it builds the model server, starts the real node (or joins it),
# installs Ebb with its Helm chart and prints key=value lines last:
#   records, concurrency
#   direct_records_per_s        the baseline: HTTP calls from the bench's JVM on loopback
#   direct_retries              requests of the baseline sent again (a pooled connection found closed)
#   batcher_records_per_s       Ebb's `batch` command on this machine, same server, simulator S3
#   batcher_vs_direct_ratio     batcher / direct: the batcher's own overhead
#   node_records_per_s          the BatchTransform on the real node, timed by kubelet from the
#                               batcher's start to its end (whole seconds; JVM start included)
#   node_vs_direct_ratio        node / direct
# Knobs: -Debb.bench.objects=4 -Debb.bench.lines=5000 -Debb.bench.concurrency=4. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

export EBB_HELM="${EBB_HELM:-$(bash .ci/provision-helm.sh)}"
log=$(mktemp)
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BatchBench \
  -Dfailsafe.failIfNoSpecifiedTests=false -Debb.bench.batch=true "$@" >"$log" 2>&1 || {
  tail -80 "$log"
  exit 1
}
grep '^\[ebb-bench\]' "$log" | grep -v results || true
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^[a-z0-9_]+='
