#!/usr/bin/env bash
# End to end on a real cluster: creates a kind cluster, builds Ebb's image (src/main/docker/
# Dockerfile.jvm) and a CPU-only tiny model server image, loads both into kind, installs the Helm
# chart into a namespace enforcing the restricted Pod Security Standard, applies the local sample
# for a laptop (hack/kind/tiny-local.yaml), waits for Ready and invokes the model through the
# gateway with curl and the sample's API key.
#
# Needs docker (with a running daemon) and kind; without them it prints SKIPPED and why, and exits
# 0. CI does not run it: CI has no Docker, and runs the end-to-end test on a real node instead
# (LocalNodeE2EIT on hack/local-cluster.sh). helm and kubectl come from .ci/provision-helm.sh.
#
# EBB_KIND_CLUSTER (default ebb-e2e) names the cluster; EBB_KIND_KEEP=1 keeps it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[kind-e2e] $*" >&2; }
skip() {
  echo "[kind-e2e] SKIPPED: $*"
  exit 0
}

command -v docker >/dev/null || skip "docker is not installed"
if ! docker_error=$(docker info 2>&1 >/dev/null); then
  skip "docker is installed but no daemon answers: $(echo "$docker_error" | grep -m1 . || true)"
fi
command -v kind >/dev/null || skip "kind is not installed (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)"

cluster="${EBB_KIND_CLUSTER:-ebb-e2e}"
helm=$(bash .ci/provision-helm.sh)
kubectl="$(dirname "$(dirname "$helm")")/kubectl/kubectl"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
image="ghcr.io/ebb-dev/ebb:$version"
model_image="ebb-e2e/tiny-model-server:1"
ns=ebb-system
app_ns=ml-e2e

if ! kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  log "creating kind cluster $cluster"
  kind create cluster --name "$cluster" --wait 120s
fi
export KUBECONFIG
KUBECONFIG=$(mktemp)
kind get kubeconfig --name "$cluster" >"$KUBECONFIG"
cleanup() {
  [[ -n "${forward:-}" ]] && kill "$forward" 2>/dev/null || true
  rm -f "$KUBECONFIG"
  if [[ "${EBB_KIND_KEEP:-}" != 1 ]]; then
    log "deleting kind cluster $cluster (EBB_KIND_KEEP=1 keeps it)"
    kind delete cluster --name "$cluster" >&2
  fi
}
trap cleanup EXIT

if [[ ! -f target/quarkus-app/quarkus-run.jar || ! -f target/test-classes/dev/ebb/testing/TinyModelServer.class ]]; then
  log "building Ebb (mvn package, tests skipped)"
  mvn -B -q package -DskipTests
fi
log "building $image and $model_image"
docker build -q -f src/main/docker/Dockerfile.jvm -t "$image" . >&2
docker build -q -f hack/kind/Dockerfile.tiny-model-server -t "$model_image" target/test-classes >&2
kind load docker-image --name "$cluster" "$image" "$model_image" >&2

log "installing the chart into $ns (restricted Pod Security Standard enforced)"
"$kubectl" create namespace "$ns" --dry-run=client -o yaml | "$kubectl" apply -f - >&2
"$kubectl" label namespace "$ns" --overwrite pod-security.kubernetes.io/enforce=restricted >&2
"$helm" upgrade --install ebb helm/ebb --namespace "$ns" \
  --set image.pullPolicy=Never --set local.autoscalingTick=1s \
  --wait --timeout 5m >&2
"$kubectl" -n "$ns" get pods -o wide >&2

log "applying hack/kind/tiny-local.yaml into $app_ns"
"$kubectl" create namespace "$app_ns" --dry-run=client -o yaml | "$kubectl" apply -f - >&2
"$kubectl" -n "$app_ns" apply --server-side -f hack/kind/tiny-local.yaml >&2
"$kubectl" -n "$app_ns" wait --for=condition=Ready --timeout=5m \
  inferenceendpoint/tiny-local inferencecomponent/tiny scalingpolicy/tiny >&2
"$kubectl" -n "$app_ns" get ie,ic,sp,deploy,pods >&2

endpoint=$("$kubectl" -n "$app_ns" get ie tiny-local -o jsonpath='{.status.endpointName}')
"$kubectl" -n "$ns" port-forward svc/ebb-gateway 18080:80 >/dev/null 2>&1 &
forward=$!
for _ in $(seq 1 30); do
  curl -fsS -o /dev/null "http://localhost:18080/endpoints/$endpoint/invocations" -H 'X-Api-Key: kind-e2e-key' -d ping 2>/dev/null && break
  sleep 1
done
answer=$(curl -fsS "http://localhost:18080/endpoints/$endpoint/invocations" \
  -H 'Content-Type: text/plain' -H 'X-Api-Key: kind-e2e-key' -d 'hello from kind')
[[ "$answer" == "hello from kind" ]] || { log "unexpected answer: $answer"; exit 1; }
refused=$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:18080/endpoints/$endpoint/invocations" -d 'no key')
[[ "$refused" == 401 ]] || { log "a request without a key got $refused, not 401"; exit 1; }
echo "[kind-e2e] PASSED: Ebb $version from the chart served $endpoint through the gateway ('$answer'; 401 without a key)"
