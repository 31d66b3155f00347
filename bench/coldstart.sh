#!/usr/bin/env bash
# A cold start from zero copies on the real node (hack/local-cluster.sh: kubelet, containerd, the
# fake GPU device plugin), phase by phase. One command: it starts the node (or joins it), installs
# Ebb with its Helm chart, and runs rounds of one request at zero copies through the gateway
# Service (ColdStartBench). It prints key=value lines last, p50 and max per phase:
#   first_request_to_scale_command_ms   Ebb: the request held -> the scale command (Ebb's clock)
#   scale_command_to_scheduled_ms       the scheduler placed the pod on a GPU (its event, in us)
#   scheduled_to_server_started_ms      sandbox, Ebb's fetcher (S3 -> model.tar.gz unpacked) and
#                                       the server's start with `serve` (its own log line)
#   model_fetch_ms                      the fetcher container alone (kubelet's times: 1 s steps)
#   server_started_to_ping_ok_ms        the server loaded its model and answered /ping
#   ping_ok_to_first_request_ms         /ping answered -> the first request reached the server
#                                       (the model server's own log, microseconds)
#   ping_ok_to_kubelet_ready_ms         baseline: /ping answered -> kubelet's Ready (1 s steps),
#                                       when a router that waits for Ready would have sent it
#   first_request_to_first_byte_ms      the whole cold start as the client saw it
#   gap_ratio_vs_kubelet_ready          ping_ok_to_first_request / ping_ok_to_kubelet_ready
# Knobs: -Debb.bench.rounds=3. Needs root (the node). Leaves the node running if it was up.
set -euo pipefail
cd "$(dirname "$0")/.."

export EBB_HELM="${EBB_HELM:-$(bash .ci/provision-helm.sh)}"
log=$(mktemp)
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ColdStartBench \
  -Dfailsafe.failIfNoSpecifiedTests=false -Debb.bench.coldstart=true "$@" >"$log" 2>&1 || {
  tail -80 "$log"
  exit 1
}
grep '^\[ebb-bench\] round' "$log" || true
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^[a-z0-9_]+='
