#!/usr/bin/env bash
# The floor under the service's cost per reply: bare sendMessage exchanges between Vert.x's HTTP
# client and the fake Bot API (5 ms answers), with no bot, scheduler, session or JSON model.
#
# Usage: bash bench/http-floor.sh [KIND=webclient|httpclient] [WARMUP=60000] [CALLS=40000]
#                                 [CONCURRENCY=500] [TIMEOUT_MS=0] [RUNS=3]
#
# Prints one FLOOR line per run: the client process's CPU per call (us_per_call), the same
# without the JIT's compiler threads (no_jit_us) and its kernel part (sys_us). Compare with the
# service's us_per_update from bench/e2e.sh poll-1000 with the same warm-up (docs/benchmarks-history.md).
# The WIRE line splits a call: the client's mean time per call, the fake's (handler start to answer
# written), and the difference, the loopback connection both ways plus the fake's hand-off.
# Needs the test classes (the fake): ./mvnw -o -q package -DskipTests first.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-webclient}
warmup=${2:-60000}
calls=${3:-40000}
concurrency=${4:-500}
timeout_ms=${5:-0}
runs=${6:-3}
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
classpath=$(bench_classpath)
mkdir -p target/floor-classes
javac -d target/floor-classes -cp "$classpath" bench/e2e/FloorClient.java bench/e2e/HttpFloor.java
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= runs; r++)); do
  java -cp "target/floor-classes:$classpath" HttpFloor "$kind" "$warmup" "$calls" \
    "$concurrency" "$timeout_ms"
done
