#!/usr/bin/env bash
# The bake benchmark: for each N (default 100 500 1000), N running Instances with two disks each are
# baked into N MachineImages at once by the packaged operator, on a real API server with the
# simulator at zero delay. Prints images/s, create→Available p50/p99, the operator's API requests by
# verb and resource, writes per image, peak RSS and live heap, and the floor measured in the same
# run; the summary table also goes to target/benchmark/results.md.
#
#   bash hack/benchmark.sh            # N = 100, 500, 1000
#   bash hack/benchmark.sh 100 200    # chosen sizes
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=$(IFS=,; echo "${*:-100,500,1000}")
bash hack/provision-test-binaries.sh
exec ./mvnw -B verify -Pbenchmark -Dkiln.benchmark.sizes="$sizes"
