#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, for the end-to-end test, benchmarks and
# the sandbox: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet (containerd +
# runc, cgroupfs driver), kube-proxy (iptables) and a CNI bridge, plus a fake GPU device plugin
# (test code) that advertises nvidia.com/gpu through kubelet's own device-plugin API.
#
# Everything runs inside a network namespace of its own (EBB_NODE_NETNS, default ebb-node): the
# node's address, the pod bridge and every pod exist only there, with no uplink and no masquerade,
# so nothing is routed off this machine. The host reaches the API server (and anything else it
# asks for with `forward`) through socat relays on 127.0.0.1 joined by unix sockets.
#
#   hack/local-cluster.sh install         install the Debian packages it needs (up does too)
#   hack/local-cluster.sh up              start (idempotent); prints the host kubeconfig's path
#   hack/local-cluster.sh down            stop every process it started, remove its pods, mounts,
#                                         network namespace and cgroups, restore kernel settings
#   hack/local-cluster.sh status          what runs; exits 1 when the cluster is not up
#   hack/local-cluster.sh load NAME|FILE  import an image: pause, model-server, operator (Ebb's
#                                         image from target/quarkus-app) or an OCI archive
#   hack/local-cluster.sh forward HOST_PORT ADDR:PORT      127.0.0.1:HOST_PORT on the host leads
#                                                          to ADDR:PORT inside the node (a
#                                                          ClusterIP too: kube-proxy balances)
#   hack/local-cluster.sh expose ADDR:PORT HOST_PORT       ADDR:PORT inside the node (the node's
#                                                          address) leads to 127.0.0.1:HOST_PORT
#   hack/local-cluster.sh exec CMD...     run CMD inside the node's network namespace
#   hack/local-cluster.sh kubectl ARGS... kubectl (the one built with the node) as the admin
#
# Needs root (namespaces, mounts, cgroups, iptables). Installs what it needs: Debian's containerd,
# runc, containernetworking-plugins, socat, iptables, conntrack and openssl; the Kubernetes
# binaries from .ci/provision-kube.sh (Go module proxy); the images from hack/node/images.sh.
# Warm caches make `up` take seconds. Logs: $EBB_NODE_DIR/logs.
set -euo pipefail
cd "$(dirname "$0")/.."

NS="${EBB_NODE_NETNS:-ebb-node}"
RUN="${EBB_NODE_DIR:-/var/lib/ebb-node}"
NODE_NAME=ebb-node
NODE_IP=10.87.0.1
POD_SUBNET=10.88.0.0/24
POD_GATEWAY=10.88.0.1
SERVICE_RANGE=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
API_HOST_PORT="${EBB_NODE_API_PORT:-16443}"
GPUS="${EBB_NODE_GPUS:-2}"
CACHE="${EBB_CACHE_DIR:-$HOME/.cache/ebb}"
KUBE_VERSION="${EBB_KUBE_VERSION:-$(sed -n 's:.*<kube.api.test.version>\(.*\)</kube.api.test.version>.*:\1:p' pom.xml)}"

log() { echo "[local-cluster] $*" >&2; }
die() { echo "[local-cluster] FAILED: $*" >&2; exit 1; }
in_node() { nsenter --net="/run/netns/$NS" "$@"; }

bin_dir() { echo "$CACHE/kube-api-test/k8s/$KUBE_VERSION-linux-amd64"; }
kubectl_node() { in_node "$(bin_dir)/kubectl" --kubeconfig "$RUN/pki/admin-node.kubeconfig" "$@"; }

# --- installation ---------------------------------------------------------------------------------
install_packages() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  command -v socat >/dev/null || missing+=(socat)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v nsenter >/dev/null || missing+=(util-linux)
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

fake_gpu_plugin() {
  local key out
  key=$(cat hack/node/fake-gpu-plugin/*.go hack/node/fake-gpu-plugin/go.* | sha256sum | cut -c1-16)
  out="$CACHE/node/fake-gpu-plugin-$key"
  if [[ ! -x "$out" ]]; then
    log "building the fake GPU device plugin (hack/node/fake-gpu-plugin)"
    (cd hack/node/fake-gpu-plugin && CGO_ENABLED=0 go build -trimpath -o "$out.part" .) >&2
    mv "$out.part" "$out"
  fi
  echo "$out"
}

# --- certificates and kubeconfigs ----------------------------------------------------------------
certificates() {
  local pki="$RUN/pki"
  [[ -s "$pki/admin.kubeconfig" ]] && return
  mkdir -p "$pki" && chmod 700 "$pki"
  log "creating a CA and the cluster's certificates ($pki)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ebb-node-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,IP:$NODE_IP,IP:$API_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" ""
  cert admin "/O=system:masters/CN=ebb-node-admin" ""
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" ""
  cert controller-manager "/CN=system:kube-controller-manager" ""
  cert scheduler "/CN=system:kube-scheduler" ""
  cert kube-proxy "/CN=system:kube-proxy" ""
  for who in kubelet controller-manager scheduler kube-proxy; do
    kubeconfig "$pki/$who.kubeconfig" "https://$NODE_IP:6443" "$who"
  done
  kubeconfig "$pki/admin-node.kubeconfig" "https://$NODE_IP:6443" admin
  kubeconfig "$pki/admin.kubeconfig" "https://127.0.0.1:$API_HOST_PORT" admin
}

cert() {
  local name=$1 subject=$2 san=$3 pki="$RUN/pki"
  openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$pki/$name.key" \
    -out "$pki/$name.csr" 2>/dev/null
  local ext
  ext=$(mktemp)
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth,clientAuth"
    [[ -n "$san" ]] && echo "$san"
  } >"$ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$ext" "$pki/$name.csr"
}

kubeconfig() {
  local file=$1 server=$2 who=$3 pki="$RUN/pki"
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ebb-node
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: $who
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$who.crt")
    client-key-data: $(base64 -w0 <"$pki/$who.key")
contexts:
- name: ebb-node
  context: {cluster: ebb-node, user: $who}
current-context: ebb-node
EOF
  chmod 600 "$file"
}

# --- processes -------------------------------------------------------------------------------------
# start NAME [in-node] CMD...: runs CMD in the background, its own session, logged, pid recorded.
start() {
  local name=$1 where=$2
  shift 2
  local pidfile="$RUN/pids/$name.pid"
  if [[ -s "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return; fi
  mkdir -p "$RUN/pids" "$RUN/logs"
  if [[ "$where" == in-node ]]; then
    setsid nsenter --net="/run/netns/$NS" "$@" >>"$RUN/logs/$name.log" 2>&1 </dev/null &
  else
    setsid "$@" >>"$RUN/logs/$name.log" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 "$((seconds * 2))"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "$what did not come up within ${seconds}s; its log: $RUN/logs (last lines below)
$(tail -n 15 "$RUN/logs/"*.log 2>/dev/null | tail -n 40)"
}

running() { [[ -s "$RUN/pids/$1.pid" ]] && kill -0 "$(cat "$RUN/pids/$1.pid")" 2>/dev/null; }

# --- the node's network ------------------------------------------------------------------------------
network() {
  if [[ ! -e "/run/netns/$NS" ]]; then
    log "creating network namespace $NS (node $NODE_IP, pods $POD_SUBNET, no uplink)"
    ip netns add "$NS"
  fi
  in_node ip link set lo up
  in_node ip addr replace "$NODE_IP/32" dev lo
  # A default route that stays inside the namespace: the API server needs one to pick its
  # advertise address, and Service IPs need a route before kube-proxy's DNAT applies.
  in_node ip route replace default dev lo
  in_node sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
  # Bridged pod-to-pod traffic through a Service IP must pass iptables for the reply's un-DNAT.
  if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] || modprobe br_netfilter 2>/dev/null; then
    in_node sh -c 'echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables' 2>/dev/null || true
  fi
  mkdir -p "$RUN/cni"
  cat >"$RUN/cni/10-ebb-pods.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "ebb-pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "ebb0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$RUN/cni-ipam",
        "ranges": [[{"subnet": "$POD_SUBNET", "gateway": "$POD_GATEWAY"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
EOF
}

# kubelet writes these host-wide kernel settings at start (vm.overcommit_memory, kernel.panic,
# kernel.panic_on_oops); `down` puts the previous values back.
save_kernel_settings() {
  [[ -s "$RUN/kernel-settings" ]] && return
  for key in vm/overcommit_memory kernel/panic kernel/panic_on_oops; do
    echo "$key $(cat "/proc/sys/$key")"
  done >"$RUN/kernel-settings"
}

containerd_config() {
  mkdir -p "$RUN/containerd"
  containerd config default | python3 -c '
import re, sys
run = sys.argv[1]
text = sys.stdin.read()
def set_key(text, section, key, value):
    # Replace key = ... inside [section] (up to the next header).
    head = text.index("[" + section + "]")
    end = text.find("\n[", head + 1)
    end = len(text) if end < 0 else end
    body = re.sub(r"(?m)^(\s*)" + re.escape(key) + r" = .*$", lambda m: m.group(1) + key + " = " + value, text[head:end], count=1)
    return text[:head] + body + text[end:]
text = re.sub(r"(?m)^root = .*$", f"root = \"{run}/containerd/root\"", text, count=1)
text = re.sub(r"(?m)^state = .*$", f"state = \"{run}/containerd/state\"", text, count=1)
text = set_key(text, "grpc", "address", f"\"{run}/containerd.sock\"")
cri = "plugins.\"io.containerd.grpc.v1.cri\""
text = set_key(text, cri, "sandbox_image", "\"ebb.dev/node/pause:1\"")
# The shells here lack CAP_SYS_RESOURCE: without this every pod sandbox fails (toolchain notes).
text = set_key(text, cri, "restrict_oom_score_adj", "true")
text = set_key(text, cri + ".cni", "bin_dir", "\"/usr/lib/cni\"")
text = set_key(text, cri + ".cni", "conf_dir", f"\"{run}/cni\"")
text = set_key(text, "plugins.\"io.containerd.internal.v1.opt\"", "path", f"\"{run}/containerd/opt\"")
print(text)
' "$RUN" >"$RUN/containerd/config.toml"
}

kubelet_config() {
  mkdir -p "$RUN/kubelet"
  cat >"$RUN/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failSwapOn: false
failCgroupV1: false
containerRuntimeEndpoint: unix://$RUN/containerd.sock
enforceNodeAllocatable: []
resolvConf: ""
address: $NODE_IP
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $RUN/pki/ca.crt}
authorization: {mode: Webhook}
# Images exist only as imported here: never let image GC remove them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
volumePluginDir: $RUN/kubelet/volume-plugins
serializeImagePulls: false
EOF
}

kube_proxy_config() {
  cat >"$RUN/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $RUN/pki/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $POD_SUBNET
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# Leave the kernel's conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

ctr_node() { ctr --address "$RUN/containerd.sock" -n k8s.io "$@"; }

load() {
  local what=$1 archive
  case "$what" in
    pause | model-server | operator) archive=$(bash hack/node/images.sh "$what") ;;
    *) archive=$what ;;
  esac
  ctr_node images import --no-unpack=false "$archive" >&2 || die "could not import $archive"
}

# --- commands ---------------------------------------------------------------------------------------
up() {
  [[ $(id -u) == 0 ]] || die "needs root (network namespace, mounts, cgroups, iptables)"
  [[ -d /sys/fs/cgroup ]] || die "no /sys/fs/cgroup"
  install_packages
  local bins plugin
  bins=$(bin_dir)
  EBB_KUBE_VERSION="$KUBE_VERSION" bash .ci/provision-kube.sh >/dev/null
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
    [[ -x "$bins/$b" ]] || die "missing $bins/$b (.ci/provision-kube.sh)"
  done
  plugin=$(fake_gpu_plugin)
  mkdir -p "$RUN/logs" "$RUN/pids" "$RUN/sock"
  certificates
  network
  save_kernel_settings

  start etcd in-node "$bins/etcd" --name ebb-node --data-dir "$RUN/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster ebb-node=http://127.0.0.1:2380 --unsafe-no-fsync --log-level warn
  local pki="$RUN/pki"
  start kube-apiserver in-node "$bins/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --advertise-address "$NODE_IP" --bind-address 0.0.0.0 --secure-port 6443 \
    --service-cluster-ip-range "$SERVICE_RANGE" --allow-privileged=true \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --client-ca-file "$pki/ca.crt" --tls-cert-file "$pki/apiserver.crt" \
    --tls-private-key-file "$pki/apiserver.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key"
  # The host's way in: 127.0.0.1:API_HOST_PORT -> unix socket -> the API server in the node.
  relay_in api "$API_HOST_PORT" 127.0.0.1:6443
  wait_for "kube-apiserver" 90 kubectl_node get --raw /readyz
  start kube-controller-manager in-node "$bins/kube-controller-manager" \
    --kubeconfig "$pki/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$pki/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$pki/controller-manager.kubeconfig" \
    --use-service-account-credentials=true --service-account-private-key-file "$pki/sa.key" \
    --root-ca-file "$pki/ca.crt" --cluster-signing-cert-file "$pki/ca.crt" \
    --cluster-signing-key-file "$pki/ca.key" --leader-elect=false --bind-address 127.0.0.1 \
    --service-cluster-ip-range "$SERVICE_RANGE"
  start kube-scheduler in-node "$bins/kube-scheduler" --kubeconfig "$pki/scheduler.kubeconfig" \
    --authentication-kubeconfig "$pki/scheduler.kubeconfig" \
    --authorization-kubeconfig "$pki/scheduler.kubeconfig" --leader-elect=false \
    --bind-address 127.0.0.1

  containerd_config
  start containerd in-node containerd --config "$RUN/containerd/config.toml"
  wait_for "containerd" 30 ctr_node version
  for image in pause model-server; do
    ctr_node images ls -q | grep -q "$([[ $image == pause ]] && echo ebb.dev/node/pause:1 || echo ebb.dev/test/model-server:1)" ||
      load "$image"
  done

  kubelet_config
  # kubelet serves the device-plugin registration at a fixed path, whatever its --root-dir.
  [[ -d /var/lib/kubelet ]] || echo created >"$RUN/created-var-lib-kubelet"
  start kubelet in-node "$bins/kubelet" --config "$RUN/kubelet/config.yaml" \
    --kubeconfig "$pki/kubelet.kubeconfig" --hostname-override "$NODE_NAME" \
    --node-ip "$NODE_IP" --root-dir "$RUN/kubelet/root" --cert-dir "$RUN/kubelet/pki" \
    --node-labels "ebb.dev/local-node=true,nvidia.com/gpu.product=EBB-FAKE-GPU"
  start fake-gpu-plugin host "$plugin" --count "$GPUS" \
    --plugin-dir /var/lib/kubelet/device-plugins
  kube_proxy_config
  start kube-proxy in-node "$bins/kube-proxy" --config "$RUN/kube-proxy.yaml"

  wait_for "node $NODE_NAME Ready" 120 kubectl_node wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
  wait_for "$GPUS nvidia.com/gpu on $NODE_NAME" 60 sh -c \
    "[ \"\$(nsenter --net=/run/netns/$NS $bins/kubectl --kubeconfig $pki/admin-node.kubeconfig get node $NODE_NAME -o jsonpath='{.status.allocatable.nvidia\\.com/gpu}')\" = $GPUS ]"
  wait_for "the default ServiceAccount" 60 kubectl_node -n default get serviceaccount default
  log "up: node $NODE_NAME Ready with $GPUS nvidia.com/gpu; kubectl: KUBECONFIG=$pki/admin.kubeconfig"
  echo "$pki/admin.kubeconfig"
}

# relay_in NAME HOST_PORT ADDR:PORT: 127.0.0.1:HOST_PORT on the host -> ADDR:PORT in the node.
# A relay already listening there is replaced (it may lead to an earlier target).
relay_in() {
  local name=$1 port=$2 target=$3 sock="$RUN/sock/in-$1.sock"
  stop "relay-in-$name-host" "relay-in-$name-node"
  start "relay-in-$name-node" in-node socat "UNIX-LISTEN:$sock,fork,unlink-early,mode=600" "TCP:$target"
  start "relay-in-$name-host" host socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$sock"
  listening "relay-in-$name-host"
}

# relay_out ADDR:PORT HOST_PORT: ADDR:PORT in the node -> 127.0.0.1:HOST_PORT on the host. Named by
# the address inside, so exposing it again (a new test's simulator) replaces the old relay.
relay_out() {
  local listen=$1 port=$2 name
  name=$(echo "$1" | tr '.:' '--')
  local sock="$RUN/sock/out-$name.sock"
  stop "relay-out-$name-host" "relay-out-$name-node"
  start "relay-out-$name-host" host socat "UNIX-LISTEN:$sock,fork,unlink-early,mode=600" "TCP:127.0.0.1:$port"
  start "relay-out-$name-node" in-node socat "TCP-LISTEN:${listen##*:},bind=${listen%:*},fork,reuseaddr" "UNIX-CONNECT:$sock"
  listening "relay-out-$name-node"
}

# A relay that cannot listen (the port is taken) exits at once: say so rather than leave it dead.
listening() {
  sleep 0.3
  running "$1" || die "relay $1 could not listen: $(tail -n 1 "$RUN/logs/$1.log" 2>/dev/null)"
}

down() {
  [[ -d "$RUN" ]] || { log "nothing to stop ($RUN does not exist)"; return; }
  log "stopping"
  stop kubelet kube-proxy fake-gpu-plugin
  # Pod processes and their shims outlive kubelet and containerd: kill every container first.
  if running containerd; then
    for task in $(ctr_node tasks ls -q 2>/dev/null); do ctr_node tasks kill -s SIGKILL "$task" 2>/dev/null || true; done
    sleep 1
    for task in $(ctr_node tasks ls -q 2>/dev/null); do ctr_node tasks delete -f "$task" >/dev/null 2>&1 || true; done
  fi
  stop containerd
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $RUN/containerd.sock" 2>/dev/null || true
  for pidfile in "$RUN"/pids/*.pid; do [[ -e "$pidfile" ]] && stop "$(basename "$pidfile" .pid)"; done
  # Relays whose pid file is gone (a run interrupted half-way) still hold their ports.
  pkill -KILL -f "socat .*$RUN/sock/" 2>/dev/null || true
  # Whatever still lives in the namespace (a pod process whose shim died) goes too.
  if [[ -e "/run/netns/$NS" ]]; then
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  # Mounts under the state directory (pod volumes, rootfs, sandboxes' shm), deepest first.
  for _ in 1 2 3; do
    mounts=$(awk -v run="$RUN" '$2 ~ "^"run {print $2}' /proc/self/mounts | sort -r)
    [[ -z "$mounts" ]] && break
    for m in $mounts; do umount -l "$m" 2>/dev/null || true; done
  done
  [[ -e "/run/netns/$NS" ]] && ip netns delete "$NS"
  # kubelet's pod cgroups (cgroupfs driver), deepest first; a cgroup still in use stays and is named.
  for hierarchy in /sys/fs/cgroup/*/; do
    [[ -d "$hierarchy/kubepods" ]] && find "$hierarchy/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ -d "$hierarchy/kubepods" ]] && log "cgroup $hierarchy/kubepods still in use"
  done
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock /var/lib/kubelet/device-plugins/ebb-fake-gpu.sock
  [[ -e "$RUN/created-var-lib-kubelet" ]] && rm -rf /var/lib/kubelet
  if [[ -s "$RUN/kernel-settings" ]]; then
    while read -r key value; do echo "$value" >"/proc/sys/$key"; done <"$RUN/kernel-settings"
  fi
  rm -rf "$RUN"
  log "down: no process, mount, network namespace or state of the local cluster is left"
}

stop() {
  local name
  for name in "$@"; do
    local pidfile="$RUN/pids/$name.pid"
    [[ -s "$pidfile" ]] || continue
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

status() {
  local ok=0
  for pidfile in "$RUN"/pids/*.pid; do
    [[ -e "$pidfile" ]] || { echo "not up"; return 1; }
    name=$(basename "$pidfile" .pid)
    if running "$name"; then echo "$name running (pid $(cat "$pidfile"))"; else echo "$name STOPPED"; ok=1; fi
  done
  kubectl_node get nodes -o wide 2>&1 || ok=1
  return $ok
}

case "${1:-}" in
  up) up ;;
  install) install_packages ;;
  down) down ;;
  status) status ;;
  load) shift; for what in "$@"; do load "$what"; done ;;
  forward) relay_in "${2:?host port}" "$2" "${3:?ADDR:PORT}"; echo "127.0.0.1:$2" ;;
  expose) relay_out "${2:?ADDR:PORT}" "${3:?host port}"; echo "$2" ;;
  kubectl) shift; "$(bin_dir)/kubectl" --kubeconfig "$RUN/pki/admin.kubeconfig" "$@" ;;
  exec) shift; in_node env KUBECONFIG="$RUN/pki/admin-node.kubeconfig" "$@" ;;
  *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
