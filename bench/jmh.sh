#!/usr/bin/env bash
# JMH micro-benchmarks (scheduler, update decoding). Not part of the test run.
#
#   bash bench/jmh.sh                       # everything, 1 and 2 threads
#   bash bench/jmh.sh SchedulerBenchmark -p keys=1000   # any JMH arguments after the first
#
# Installs the service jar into the local Maven repository (tests skipped), builds bench/jmh and
# runs JMH from its class path. Results: target/jmh-*.json next to this script's module.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -B -q install -DskipTests -Dquarkus.package.jar.enabled=true >/dev/null
cd bench/jmh
../../mvnw -B -q package
cp="target/classes:$(cat target/classpath.txt)"
if [ $# -gt 0 ]; then
  exec java -cp "$cp" org.openjdk.jmh.Main "$@"
fi
for threads in 1 2; do
  java -cp "$cp" org.openjdk.jmh.Main -t "$threads" -rf json -rff "target/jmh-t$threads.json" \
    SchedulerBenchmark
done
java -cp "$cp" org.openjdk.jmh.Main -rf json -rff target/jmh-decoding.json UpdateDecodingBenchmark
