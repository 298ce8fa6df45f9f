#!/usr/bin/env bash
# Kiln without a cluster: a local etcd and kube-apiserver (the provisioned test binaries), the CRDs,
# the cluster simulator as node and snapshot-capable CSI driver, and Kiln's controllers. Prints the
# kubeconfig and the kubectl commands to try the examples; Ctrl-C stops everything.
#   bash hack/sandbox.sh              builds first (a few minutes the first time)
#   bash hack/sandbox.sh --no-build   runs what the last build left in target/
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then
  echo "[sandbox] provisioning etcd, kube-apiserver and kubectl (cached after the first time)"
  bash hack/provision-test-binaries.sh | sed 's/^/  /'
  echo "[sandbox] building"
  ./mvnw -B -q process-test-classes
fi
[[ -f target/sandbox.classpath ]] || { echo "[sandbox] target/ holds no build: run without --no-build" >&2; exit 1; }

bin="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${KILN_K8S_VERSION:-1.34.4}-linux-amd64"
command -v kubectl >/dev/null 2>&1 || echo "[sandbox] kubectl: export PATH=$bin:\$PATH"
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/sandbox.classpath)" dev.kiln.testing.Sandbox
