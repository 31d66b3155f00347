#!/usr/bin/env bash
# The same burst of requests sent to the LLM sample's component at zero copies on SageMaker (the
# simulator, with its CloudWatch alarms and Application Auto Scaling executing the recipe Ebb
# compiled), twice in simulated time: straight to SageMaker Runtime, then through Ebb's gateway.
# One command; prints key=value lines last:
#   failed_without_gateway                 requests of the burst refused (sent once, no retry)
#   failed_with_gateway                    requests of the burst that did not succeed
#   first_success_s_without                first request served after the burst (simulated s;
#                                          the caller retries one request every 10 s)
#   first_success_s_with                   first request served through the gateway (simulated s)
#   scale_command_after_first_request_ms   first request -> the gateway's scale command, its
#                                          SetAlarmState on the scale-from-zero alarm (real ms)
#   scale_command_after_first_request_ms_without   first request -> Application Auto Scaling's
#                                          scaling activity, without the gateway (simulated ms)
#   copies_started_without_gateway / copies_started_with_gateway   copies Application Auto
#                                          Scaling added for the burst
# Knobs: -Debb.bench.burst=20 -Debb.bench.retry-seconds=10
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
mvn -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SageMakerWakeBench -Dfailsafe.failIfNoSpecifiedTests=false \
  -Debb.bench.sagemaker-wake=true "$@" >"$log" 2>&1 || {
  tail -50 "$log"
  exit 1
}
sed -n '/\[ebb-bench\] results/,$p' "$log" | grep -E '^[a-z0-9_]+='
echo
