#!/usr/bin/env bash
# Makes sure the real Kubernetes control-plane binaries used by the integration tests are present,
# and fetches the upstream VolumeSnapshot CRDs the tests install.
#
# kube-api-test looks for etcd, kube-apiserver and kubectl in
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/
# The upstream test tier (`tier2`) adds kube-controller-manager and kube-scheduler there, and puts
# kwok, the CSI sidecars and snapshot-controller, and the project's test CSI driver into
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/tier2/
# When they are missing and Go is available, they are built from their Go modules (a cold build takes
# 15-30 minutes on two cores; the result is cached per machine). Without Go, nothing is built and
# kube-api-test downloads the binaries itself on first use (needs internet).
set -euo pipefail

K8S_VERSION="${KILN_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${KILN_ETCD_VERSION:-3.6.16}"
SNAPSHOTTER_VERSION="${KILN_SNAPSHOTTER_VERSION:-8.7.0}"
PROVISIONER_VERSION="${KILN_PROVISIONER_VERSION:-5.3.0}"
KWOK_VERSION="${KILN_KWOK_VERSION:-0.7.0}"

BASE_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN_DIR="$BASE_DIR/k8s/${K8S_VERSION}-linux-amd64"
CRD_DIR="$BASE_DIR/crds/external-snapshotter-v${SNAPSHOTTER_VERSION}"
TIER2_DIR="$BASE_DIR/tier2"
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK_DIR="${KILN_BUILD_CACHE:-$HOME/.cache/kiln}/build-k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"

log() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

have_binaries() {
  [[ -x "$BIN_DIR/etcd" && -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kubectl" ]]
}

go_build_env() {
  export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
}

# Builds the given k8s.io/kubernetes commands (names under cmd/) into $BIN_DIR.
build_kubernetes() {
  local dir="$WORK_DIR/kubernetes" minor major cmd packages=()
  for cmd in "$@"; do packages+=("k8s.io/kubernetes/cmd/$cmd"); done
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
  log "building $* v$K8S_VERSION"
  (cd "$dir" && go_build_env && go build -trimpath -ldflags "$ldflags" -o "$dir/bin/" "${packages[@]}") \
    || fail "building Kubernetes v$K8S_VERSION failed (see the Go output above)"
  for cmd in "$@"; do install -m 0755 "$dir/bin/$cmd" "$BIN_DIR/"; done
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
  [[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kubectl" ]] || build_kubernetes kube-apiserver kubectl
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

# Builds a command from a module that cannot be `go install`ed (replace directives): from a writable
# copy of the module's source, where its own go.mod and go.sum apply.
build_from_module_source() {
  local module="$1" version="$2" target="$3" dir src
  shift 3
  dir="$WORK_DIR/$(basename "${module%/v*}")-$version"
  if [[ ! -f "$dir/go.mod" ]]; then
    src="$(cd "$WORK_DIR" && GOFLAGS=-mod=mod go mod download -json "$module@v$version" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    [[ -d "$src" ]] || fail "could not download $module v$version"
    rm -rf "$dir" && cp -r "$src" "$dir" && chmod -R u+w "$dir"
  fi
  # Nested modules are not part of a module's zip: name their published release instead.
  if grep -q '^replace github.com/kubernetes-csi/external-snapshotter/client/v8 => ./client' "$dir/go.mod"; then
    (cd "$dir" && go mod edit -replace \
      "github.com/kubernetes-csi/external-snapshotter/client/v8=github.com/kubernetes-csi/external-snapshotter/client/v8@v$version")
  fi
  log "building $* from $module v$version"
  (cd "$dir" && go_build_env && go build -trimpath -ldflags "-s -w -X main.version=v$version" -o "$target/" "$@") \
    || fail "building $module v$version failed (see the Go output above)"
}

# The test CSI driver is rebuilt whenever its source changes.
build_test_csi_driver() {
  local src="$PROJECT_DIR/src/test/go/kiln-test-csi" stamp
  stamp="$(cat "$src"/go.mod "$src"/go.sum "$src"/*.go | sha256sum | cut -c1-16)"
  if [[ -x "$TIER2_DIR/kiln-test-csi" && "$(cat "$TIER2_DIR/kiln-test-csi.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return
  fi
  log "building the test CSI driver"
  (cd "$src" && go_build_env && go build -trimpath -o "$TIER2_DIR/kiln-test-csi" .) \
    || fail "building the test CSI driver failed (see the Go output above)"
  echo "$stamp" > "$TIER2_DIR/kiln-test-csi.stamp"
}

provision_tier2() {
  command -v go >/dev/null 2>&1 || fail "the upstream test tier is built from Go modules: install Go"
  provision_binaries
  mkdir -p "$TIER2_DIR" "$WORK_DIR"
  [[ -x "$BIN_DIR/kube-controller-manager" && -x "$BIN_DIR/kube-scheduler" ]] \
    || build_kubernetes kube-controller-manager kube-scheduler
  local versions="$TIER2_DIR/versions"
  [[ -x "$TIER2_DIR/kwok" && -f "$versions" ]] && grep -qx "kwok=$KWOK_VERSION" "$versions" 2>/dev/null || {
    log "building kwok v$KWOK_VERSION"
    (go_build_env && GOBIN="$TIER2_DIR" go install -trimpath "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION") \
      || fail "building kwok v$KWOK_VERSION failed"
  }
  [[ -x "$TIER2_DIR/snapshot-controller" && -x "$TIER2_DIR/csi-snapshotter" ]] \
    && grep -qx "snapshotter=$SNAPSHOTTER_VERSION" "$versions" 2>/dev/null \
    || build_from_module_source github.com/kubernetes-csi/external-snapshotter/v8 "$SNAPSHOTTER_VERSION" \
      "$TIER2_DIR" ./cmd/snapshot-controller ./cmd/csi-snapshotter
  [[ -x "$TIER2_DIR/csi-provisioner" ]] && grep -qx "provisioner=$PROVISIONER_VERSION" "$versions" 2>/dev/null \
    || build_from_module_source github.com/kubernetes-csi/external-provisioner/v5 "$PROVISIONER_VERSION" \
      "$TIER2_DIR" ./cmd/csi-provisioner
  printf 'kwok=%s\nsnapshotter=%s\nprovisioner=%s\n' "$KWOK_VERSION" "$SNAPSHOTTER_VERSION" \
    "$PROVISIONER_VERSION" > "$versions"
  build_test_csi_driver
  log "upstream test tier ready in $TIER2_DIR and $BIN_DIR"
}

case "${1:-all}" in
  all) provision_snapshot_crds; provision_binaries ;;
  tier2) provision_snapshot_crds; provision_tier2 ;;
  crds) provision_snapshot_crds ;;
  binaries) provision_binaries ;;
  print-version) echo "$K8S_VERSION" ;;
  *) fail "usage: $0 [all|tier2|crds|binaries|print-version]" ;;
esac
