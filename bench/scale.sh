#!/usr/bin/env bash
# A fleet of N InferenceComponents on SageMaker (the simulator), over N/100 endpoints, run by the
# packaged operator as the chart deploys it: its own process with the chart's environment, JVM
# flags and RBAC, against a real kube-apiserver + etcd with an audit log. Per fleet size, from a
# fresh start: apply, wait until all are Ready, a steady window, a mass delete. Prints key=value
# lines last, one block per size:
#   ready_s                        apply -> every component Ready
#   rss_steady_mb                  the operator's resident set at the end of the steady window
#                                  (rss_steady_max_mb: the most during it)
#   rss_peak_mb                    the most over the whole run, mass delete included
#                                  (rss_converge_peak_mb, rss_delete_peak_mb: per phase)
#   heap_live_mb                   live objects after a full GC, at steady state
#   metrics_bytes, metrics_series  one scrape of /q/metrics at steady state
#   sagemaker_calls_per_component  every SageMaker call of the run (create, steady, delete) / N
#   list_calls_create, list_calls_delete   List* calls (but ListTags, one resource's tags) while
#                                  converging / while deleting
#   steady_writes                  the operator's writes to the API server in the steady window,
#                                  from the audit log (Lease renewals of leader election excluded;
#                                  steady_writes_by_resource lists all)
#   steady_sagemaker_mutations     SageMaker calls other than Describe/List/Get in the window
#   delete_s                       delete of every component and endpoint -> all gone
#   sagemaker_leftovers            models, configs, endpoints, components left in the simulator
#
# Usage: bench/scale.sh [N ...]   (default 1000; e.g. bench/scale.sh 1000 3000 10000)
# Knobs (Maven -D after --): -Debb.bench.steady-seconds=120, -Debb.bench.nmt=true (the JVM's
# native memory breakdown), -Debb.bench.jvm-options="..." (instead of the chart's jvm.options),
# -Debb.bench.env.NAME=value (an environment variable of the operator's, e.g. MALLOC_ARENA_MAX).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=()
while (($#)) && [[ "$1" != "--" ]]; do sizes+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
((${#sizes[@]})) || sizes=(1000)
EBB_HELM=$(bash .ci/provision-helm.sh)
export EBB_HELM

log=$(mktemp)
status=0
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ScaleBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Debb.bench.scale=true -Debb.bench.components="$(IFS=,; echo "${sizes[*]}")" "$@" >"$log" 2>&1 ||
  status=$?
# With -Debb.bench.nmt=true: the JVM's native memory, live heap, mappings and class loaders.
sed -n '/\[ebb-bench\] native memory/,/\[ebb-bench\] operator log/p' "$log" | grep -v 'operator log' || true
# Each size's block as measured (a size that failed leaves the earlier ones).
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^([a-z0-9_]+=|$)' || true
if ((status)); then
  tail -80 "$log"
  exit "$status"
fi
