#!/usr/bin/env bash
# Provisions the Kubernetes binaries without internet access: etcd + kube-apiserver + kubectl for
# fabric8 kube-api-test, and the node's kubelet, kube-controller-manager, kube-scheduler and
# kube-proxy for hack/local-cluster.sh. All are built from their Go modules (served by the Go module
# proxy), at pinned versions, into a cache outside the repository. A warm cache makes this a no-op.
#
# Layout produced (what kube-api-test expects, plus the node's binaries beside them):
#   $KUBE_API_TEST_DIR/k8s/<KUBE_VERSION>-linux-amd64/{etcd,kube-apiserver,kubectl,kubelet,
#                                                       kube-controller-manager,kube-scheduler,kube-proxy}
# where etcd is a wrapper (see write_etcd_wrapper) around the etcd server binary, etcd-server.
#
# Usage: .ci/provision-kube.sh            (prints the KUBE_API_TEST_DIR it filled)
set -euo pipefail

KUBE_VERSION="${EBB_KUBE_VERSION:-1.34.4}"
ETCD_VERSION="${EBB_ETCD_VERSION:-3.6.5}"
CACHE="${EBB_CACHE_DIR:-$HOME/.cache/ebb}"
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$CACHE/kube-api-test}"
bin_dir="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION}-linux-amd64"

kube_binaries=(kube-apiserver kubectl kubelet kube-controller-manager kube-scheduler kube-proxy)
missing_kube() {
  for b in "${kube_binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || return 0; done
  return 1
}
ETCD_WRAPPER_MARK="ebb-etcd-loopback-wrapper v1"
# kube-api-test starts etcd with --listen-client-urls/--listen-peer-urls http://0.0.0.0:<port>,
# written into its EtcdProcess with no way to change them; the sandbox binds loopback only, so
# kube-api-test runs this wrapper, which turns the wildcard address into 127.0.0.1.
write_etcd_wrapper() {
  cat >"$bin_dir/etcd" <<WRAPPER
#!/usr/bin/env bash
# $ETCD_WRAPPER_MARK (written by .ci/provision-kube.sh): etcd-server on loopback only.
args=()
for a in "\$@"; do args+=("\${a//0.0.0.0/127.0.0.1}"); done
exec "\$(dirname "\$0")/etcd-server" "\${args[@]}"
WRAPPER
  chmod +x "$bin_dir/etcd"
}
etcd_ready() { [[ -x "$bin_dir/etcd-server" ]] && grep -qs "$ETCD_WRAPPER_MARK" "$bin_dir/etcd"; }
# An older cache holds the server itself as etcd: keep it as etcd-server.
if [[ -x "$bin_dir/etcd" && ! -e "$bin_dir/etcd-server" ]] && ! grep -qs "$ETCD_WRAPPER_MARK" "$bin_dir/etcd"; then
  mv "$bin_dir/etcd" "$bin_dir/etcd-server"
fi
if [[ -x "$bin_dir/etcd-server" ]] && ! etcd_ready; then
  write_etcd_wrapper
fi
if ! missing_kube && etcd_ready; then
  echo "$KUBE_API_TEST_DIR"
  exit 0
fi

log() { echo "[provision-kube] $*" >&2; }
command -v go >/dev/null || { log "go is required (the Go module proxy provides the sources)"; exit 1; }

work="$CACHE/build"
mkdir -p "$work" "$bin_dir"
export GOFLAGS="-buildvcs=false -trimpath"
export CGO_ENABLED=0

# --- kube-apiserver and kubectl from k8s.io/kubernetes --------------------------------------------
# k8s.io/kubernetes replaces its staging modules (k8s.io/api, k8s.io/apiserver, ...) with local
# directories, which a consumer cannot use; each is published as v0.<minor>.<patch>, so a throwaway
# module pins every one of them explicitly.
kmod="$work/kube-$KUBE_VERSION"
if missing_kube; then
  log "building ${kube_binaries[*]} v$KUBE_VERSION from the Go module proxy (several minutes on 2 cores)"
  rm -rf "$kmod" && mkdir -p "$kmod" && cd "$kmod"
  go mod init ebb.dev/kube-build >/dev/null 2>&1
  gomod_file=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  staging_version="v0.${KUBE_VERSION#1.}"
  minor="${KUBE_VERSION#1.}"; minor="${minor%%.*}"
  {
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod_file" |
      awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } >>go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
  go mod tidy >&2
  go build -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" \
    -o "$bin_dir/" "${kube_binaries[@]/#/k8s.io/kubernetes/cmd/}" >&2
fi

# --- etcd from go.etcd.io/etcd/server/v3 -----------------------------------------------------------
emod="$work/etcd-$ETCD_VERSION"
if [[ ! -x "$bin_dir/etcd-server" ]]; then
  log "building etcd v$ETCD_VERSION from the Go module proxy"
  rm -rf "$emod" && mkdir -p "$emod" && cd "$emod"
  go mod init ebb.dev/etcd-build >/dev/null 2>&1
  echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION" >>go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  go mod tidy >&2
  go build -ldflags "-s -w" -o "$bin_dir/etcd-server" go.etcd.io/etcd/server/v3 >&2
fi
write_etcd_wrapper

"$bin_dir/kube-apiserver" --version >&2
"$bin_dir/etcd" --version | sed -n 1p >&2
echo "$KUBE_API_TEST_DIR"
