#!/usr/bin/env bash
# Builds the local node's container images without a registry or a Docker daemon, as OCI image
# archives that `ctr images import` reads (hack/node/oci-image.py packs them):
#   pause         ebb.dev/node/pause:1           containerd's sandbox image (hack/node/images/pause)
#   model-server  ebb.dev/test/model-server:1    a test model server under SageMaker's container
#                                                contract (hack/node/images/model-server)
#   operator      ghcr.io/ebb-dev/ebb:<version>  Ebb's operator image from target/quarkus-app,
#                                                with the shipped Dockerfile.jvm's user, ports,
#                                                entrypoint contract and read-only root filesystem;
#                                                its base differs (docs/local-cluster.md says how)
#
# Usage: hack/node/images.sh pause|model-server|operator   (prints the archive's path on stdout)
# Archives are cached under $EBB_CACHE_DIR/node/images by a hash of their inputs.
set -euo pipefail
cd "$(dirname "$0")/../.."

CACHE="${EBB_CACHE_DIR:-$HOME/.cache/ebb}/node/images"
mkdir -p "$CACHE"
log() { echo "[images] $*" >&2; }
pack() { python3 hack/node/oci-image.py "$@" >&2; }

# A static Go binary from one of hack/node/images/*, cached by the hash of its sources.
go_image() {
  local src=$1 name=$2 binary=$3 user=$4
  local key out rootfs
  key=$(cat "$src"/*.go "$src"/go.mod hack/node/oci-image.py | sha256sum | cut -c1-16)
  out="$CACHE/$binary-$key.tar"
  if [[ ! -s "$out" ]]; then
    rootfs=$(mktemp -d)
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rootfs/$binary" .)
    mkdir -p "$rootfs/tmp" && chmod 1777 "$rootfs/tmp"
    pack --rootfs "$rootfs" --name "$name" --out "$out.part" \
      --entrypoint "[\"/$binary\"]" --user "$user" --env PATH=/
    mv "$out.part" "$out"
    rm -rf "$rootfs"
  fi
  echo "$out"
}

# A Java runtime made by jlink from this machine's JDK 17 (Debian's openjdk-17), with the few
# shared libraries it links against copied from the host: no base image can be pulled here.
jre_rootfs() {
  local javac java_home rootfs lib
  javac=$(readlink -f "$(command -v javac)")
  java_home=$(dirname "$(dirname "$javac")")
  rootfs="$CACHE/jre-$("$java_home/bin/java" -version 2>&1 | sha256sum | cut -c1-12)"
  if [[ ! -x "$rootfs/opt/java/bin/java" ]]; then
    log "jlink: a Java runtime from $java_home"
    rm -rf "$rootfs.part" && mkdir -p "$rootfs.part/opt"
    # Every module: libraries load modules reflectively (java.desktop's java.beans, jdk.crypto.ec)
    # and a missing one fails only at run time. The AWT native libraries are never loaded.
    "$java_home/bin/jlink" --add-modules ALL-MODULE-PATH --strip-debug --no-header-files \
      --no-man-pages --output "$rootfs.part/opt/java" >&2
    for lib in $( (ldd "$rootfs.part/opt/java/bin/java"; ldd "$rootfs.part/opt/java/lib/server/libjvm.so"
      for so in java net nio zip jli verify jimage management management_ext extnet prefs \
        instrument attach j2pkcs11 jaas j2gss syslookup; do
        [[ -f "$rootfs.part/opt/java/lib/lib$so.so" ]] && ldd "$rootfs.part/opt/java/lib/lib$so.so"
      done) | awk '/=> \//{print $3} /^[ \t]*\/lib64\//{print $1}' | grep -E '^/(usr/)?lib' | sort -u); do
      mkdir -p "$rootfs.part$(dirname "$lib")"
      cp -L "$lib" "$rootfs.part$lib"
    done
    mkdir -p "$rootfs.part/etc" "$rootfs.part/tmp" "$rootfs.part/deployments"
    chmod 1777 "$rootfs.part/tmp"
    # The user and group of Red Hat's OpenJDK images (the chart's runAsUser).
    printf 'root:x:0:0:root:/root:/sbin/nologin\njboss:x:185:185:jboss:/home/jboss:/sbin/nologin\n' >"$rootfs.part/etc/passwd"
    printf 'root:x:0:\njboss:x:185:\n' >"$rootfs.part/etc/group"
    rm -rf "$rootfs" && mv "$rootfs.part" "$rootfs"
  fi
  echo "$rootfs"
}

operator_image() {
  local app=target/quarkus-app version key out jre rootfs
  [[ -f "$app/quarkus-run.jar" ]] || { log "no $app: run 'mvn package -DskipTests' first"; exit 1; }
  version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
  jre=$(jre_rootfs)
  key=$( (echo "$jre"; find "$app" -type f -print0 | sort -z | xargs -0 sha256sum; cat hack/node/oci-image.py "$0") | sha256sum | cut -c1-16)
  out="$CACHE/ebb-$version-$key.tar"
  if [[ ! -s "$out" ]]; then
    rootfs=$(mktemp -d)
    cp -a "$jre/." "$rootfs/"
    # Dockerfile.jvm's layout: target/quarkus-app copied to /deployments, owned by user 185.
    cp -a "$app/." "$rootfs/deployments/"
    pack --rootfs "$rootfs" --name "ghcr.io/ebb-dev/ebb:$version" --out "$out.part" \
      --owner deployments=185:185 --user 185 --workdir /deployments --port 8080 --port 9000 \
      --env PATH=/opt/java/bin:/usr/bin:/bin --env LANGUAGE=en_US:en \
      --env JAVA_APP_JAR=/deployments/quarkus-run.jar \
      --entrypoint '["java", "-XX:MaxRAMPercentage=50", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]'
    mv "$out.part" "$out"
    rm -rf "$rootfs"
  fi
  echo "$out"
}

case "${1:-}" in
  pause) go_image hack/node/images/pause ebb.dev/node/pause:1 pause 65535 ;;
  model-server) go_image hack/node/images/model-server ebb.dev/test/model-server:1 model-server 1000 ;;
  operator) operator_image ;;
  *) echo "usage: $0 pause|model-server|operator" >&2; exit 2 ;;
esac
