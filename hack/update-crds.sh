#!/usr/bin/env bash
# Regenerates the CRDs from the API classes (finished for kubectl by dev.kiln.testing.CrdPolish) and
# copies them where they are committed:
# crds/ (for kubectl apply) and helm/kiln/files/crds/ (installed and upgraded by the chart).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q process-test-classes
for dir in crds helm/kiln/files/crds; do
  mkdir -p "$dir"
  rm -f "$dir"/*.yml
  cp target/crds/*.yml "$dir/"
done
echo "CRDs updated in crds/ and helm/kiln/files/crds/"
