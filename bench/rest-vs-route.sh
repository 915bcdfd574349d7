#!/usr/bin/env bash
# Webhook: Quarkus REST resource vs raw Vert.x route, CPU per update in the same process (issue 16,
# point 5; docs/benchmarks.md "Webhook: Quarkus REST resource vs raw Vert.x route").
#
#   bash bench/rest-vs-route.sh [--processes 3] [--updates 20000] [--warmup 40000]
#       [--initial-warmup 40000] [--variants route,rest,lean] [--chats 1000] [--connections 40]
#       [--no-build]
#
# Installs botrunner (tests skipped) and packages bench/rest-webhook, a benchmark-only application
# that serves botrunner's raw route at /telegram/webhook (route), a JAX-RS resource doing the same
# work at /rest/telegram/webhook (rest) and a leaner one without the request filter (lean). Then runs
# bench/RestVsRoute.java: per service process every variant warmed up once, then two measured bursts
# per variant in a Latin-square order (route rest lean lean rest route; the next process starts one
# variant later), each after its own warm-up on the same endpoint. Prints the load average before
# and after, one RUN line per burst, per-process ratios, medians and the difference in CPU per
# update. Run from the repository root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

build=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --processes|--updates|--warmup|--initial-warmup|--variants|--chats|--connections) args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $build -eq 1 || ! -f bench/rest-webhook/target/quarkus-app/quarkus-run.jar ]]; then
  echo "building (./mvnw install -DskipTests, then bench/rest-webhook) ..."
  ./mvnw -B -q install -DskipTests
  ./mvnw -B -q -f bench/rest-webhook/pom.xml package
fi

# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp=$(bench_classpath)
rm -rf target/rest-vs-route-classes
javac -d target/rest-vs-route-classes -cp "$cp" bench/e2e/ServiceProcess.java bench/RestVsRoute.java

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(java -version 2>&1 | head -1)"
echo "before: $(uptime)"
mkdir -p target/rest-vs-route
java -cp "target/rest-vs-route-classes:$cp" RestVsRoute "${args[@]}" \
  --log-dir target/rest-vs-route | tee target/rest-vs-route/results.txt
echo "after: $(uptime)"
