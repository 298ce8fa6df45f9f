#!/usr/bin/env bash
# Makes sure the real Kubernetes control-plane binaries used by the integration tests are present,
# and fetches the upstream VolumeSnapshot CRDs the tests install.
#
# kube-api-test looks for etcd, kube-apiserver and kubectl in
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/
# When they are missing and Go is available, they are built from their Go modules (a cold build takes
# 15-30 minutes on two cores; the result is cached per machine). Without Go, nothing is built and
# kube-api-test downloads the binaries itself on first use (needs internet).
set -euo pipefail

K8S_VERSION="${KILN_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${KILN_ETCD_VERSION:-3.6.16}"
SNAPSHOTTER_VERSION="${KILN_SNAPSHOTTER_VERSION:-8.7.0}"

BASE_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN_DIR="$BASE_DIR/k8s/${K8S_VERSION}-linux-amd64"
CRD_DIR="$BASE_DIR/crds/external-snapshotter-v${SNAPSHOTTER_VERSION}"
WORK_DIR="${KILN_BUILD_CACHE:-$HOME/.cache/kiln}/build-k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"

log() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

have_binaries() {
  [[ -x "$BIN_DIR/etcd" && -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kubectl" ]]
}

go_build_env() {
  export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
}

build_kubernetes() {
  local dir="$WORK_DIR/kubernetes" minor major
  major="${K8S_VERSION%%.*}"
  minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
  mkdir -p "$dir"
  log "resolving k8s.io/kubernetes v$K8S_VERSION from the Go module proxy"
  local upstream_gomod
  upstream_gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$upstream_gomod" ]] || fail "could not download k8s.io/kubernetes v$K8S_VERSION (is the Go module proxy reachable?)"

  # k8s.io/kubernetes points its staging modules at ./staging; a consumer must name their published
  # v0.<minor>.<patch> releases instead, or the module graph cannot be resolved.
  {
    echo "module kiln.dev/testbinaries/kubernetes"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9.-]*\) => ./staging/src/k8s.io/[a-z0-9.-]*$#\t\1 => \1 v0.'"${K8S_VERSION#*.}"'#p' "$upstream_gomod"
    echo ")"
  } > "$dir/go.mod"
  grep -q 'k8s.io/api =>' "$dir/go.mod" || fail "no staging replacements found in $upstream_gomod"

  local ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean"
  done
  log "building kube-apiserver and kubectl v$K8S_VERSION (cold: 15-30 min on 2 cores)"
  (cd "$dir" && go_build_env && go build -trimpath -ldflags "$ldflags" -o "$dir/bin/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl) \
    || fail "building Kubernetes v$K8S_VERSION failed (see the Go output above)"
  install -m 0755 "$dir/bin/kube-apiserver" "$dir/bin/kubectl" "$BIN_DIR/"
}

build_etcd() {
  local dir="$WORK_DIR/etcd"
  mkdir -p "$dir"
  printf 'module kiln.dev/testbinaries/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' \
    "$ETCD_VERSION" > "$dir/go.mod"
  log "building etcd v$ETCD_VERSION"
  (cd "$dir" && go_build_env && go build -trimpath -ldflags "-s -w" -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3) \
    || fail "building etcd v$ETCD_VERSION failed (see the Go output above)"
  install -m 0755 "$dir/bin/etcd" "$BIN_DIR/"
}

provision_binaries() {
  if have_binaries; then
    log "Kubernetes v$K8S_VERSION test binaries present in $BIN_DIR"
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "Go not found: kube-api-test will download the binaries itself on first use (needs internet)"
    return
  fi
  mkdir -p "$BIN_DIR" "$WORK_DIR"
  [[ -x "$BIN_DIR/etcd" ]] || build_etcd
  [[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kubectl" ]] || build_kubernetes
  have_binaries || fail "binaries still missing in $BIN_DIR"
  log "installed: $("$BIN_DIR/kube-apiserver" --version), etcd $("$BIN_DIR/etcd" --version | head -1)"
}

provision_snapshot_crds() {
  if compgen -G "$CRD_DIR/*.yaml" >/dev/null; then
    log "VolumeSnapshot CRDs v$SNAPSHOTTER_VERSION present in $CRD_DIR"
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    fetch_snapshot_crds_without_go
    return
  fi
  log "fetching the VolumeSnapshot CRDs v$SNAPSHOTTER_VERSION"
  local tmp module_dir
  tmp="$(mktemp -d)"
  module_dir="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json \
      "github.com/kubernetes-csi/external-snapshotter/client/v8@v$SNAPSHOTTER_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  rm -rf "$tmp"
  [[ -d "$module_dir/config/crd" ]] || fail "the external-snapshotter module has no config/crd folder"
  mkdir -p "$CRD_DIR"
  cp "$module_dir"/config/crd/snapshot.storage.k8s.io_*.yaml "$CRD_DIR/"
  chmod 0644 "$CRD_DIR"/*.yaml
  log "installed $(ls "$CRD_DIR" | wc -l) CRDs into $CRD_DIR"
}

# Without Go (on a machine with internet): the same files from the project's release tag.
fetch_snapshot_crds_without_go() {
  command -v curl >/dev/null 2>&1 || fail "neither Go nor curl is available to fetch the VolumeSnapshot CRDs"
  log "Go not found: downloading the VolumeSnapshot CRDs v$SNAPSHOTTER_VERSION"
  local base="https://raw.githubusercontent.com/kubernetes-csi/external-snapshotter/v$SNAPSHOTTER_VERSION/client/config/crd"
  mkdir -p "$CRD_DIR"
  for kind in volumesnapshotclasses volumesnapshotcontents volumesnapshots; do
    curl -fsSL "$base/snapshot.storage.k8s.io_$kind.yaml" -o "$CRD_DIR/snapshot.storage.k8s.io_$kind.yaml" \
      || { rm -rf "$CRD_DIR"; fail "cannot download the VolumeSnapshot CRDs; install Go or check the network"; }
  done
}

case "${1:-all}" in
  all) provision_snapshot_crds; provision_binaries ;;
  crds) provision_snapshot_crds ;;
  binaries) provision_binaries ;;
  print-version) echo "$K8S_VERSION" ;;
  *) fail "usage: $0 [all|crds|binaries|print-version]" ;;
esac
