#!/usr/bin/env bash
# Webhook: Quarkus REST resource vs raw Vert.x route, CPU per update in the same process (issue 16,
# point 5; docs/benchmarks-history.md "Webhook: Quarkus REST resource vs raw Vert.x route").
#
#   bash bench/rest-vs-route.sh [--processes 3] [--updates 20000] [--warmup 40000]
#       [--initial-warmup 40000] [--variants route,rest,lean] [--chats 1000] [--connections 40]
#       [--without-rest N] [--no-build]
#
# Installs botrunner (tests skipped; into target/bench-m2) and packages bench/rest-webhook, a
# benchmark-only application that serves botrunner's raw route at /telegram/webhook (route), a
# JAX-RS resource doing the same work at /rest/telegram/webhook (rest) and a leaner one without the
# request filter (lean). Then runs bench/RestVsRoute.java: per service process every variant warmed
# up once, then two measured bursts per variant in a Latin-square order (route rest lean lean rest
# route; the next process starts one variant later), each after its own warm-up on the same
# endpoint. Prints the load average before and after, one RUN line per burst, per-process ratios,
# medians and the difference in CPU per update. With --without-rest N it then also runs the raw
# route alone in N pairs of processes, the same application built with and without
# quarkus-rest/quarkus-rest-jackson (-Dno-rest), taking turns, to see what the route pays for the
# extension being there. Run from the repository root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

build=1
without_rest=0
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --without-rest) without_rest="$2"; shift 2 ;;
    --processes|--updates|--warmup|--initial-warmup|--variants|--chats|--connections)
      args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# botrunner is installed into a local repository of this checkout (target/bench-m2), read before
# the user's (~/.m2, the "tail"): on a machine shared with other checkouts, an install of theirs
# into ~/.m2 would otherwise replace the botrunner that bench/rest-webhook is built against.
repo=(-Dmaven.repo.local="$root/target/bench-m2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
if [[ $build -eq 1 || ! -f bench/rest-webhook/target/quarkus-app/quarkus-run.jar ]]; then
  echo "building (./mvnw install -DskipTests, then bench/rest-webhook) ..."
  ./mvnw -B -q install -DskipTests "${repo[@]}"
  ./mvnw -B -q -f bench/rest-webhook/pom.xml package "${repo[@]}"
fi
if [[ $without_rest -gt 0 ]] \
  && [[ $build -eq 1 || ! -f bench/rest-webhook/target-no-rest/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -q -f bench/rest-webhook/pom.xml package -Dno-rest "${repo[@]}"
fi
# The botrunner inside the benchmark application must be this checkout's.
for app in bench/rest-webhook/target bench/rest-webhook/target-no-rest; do
  lib=$app/quarkus-app/lib/main/dev.botrunner.botrunner-0.1.0-SNAPSHOT.jar
  if [[ -f $lib ]] && ! cmp -s "$lib" target/botrunner-0.1.0-SNAPSHOT.jar; then
    echo "$lib is not this checkout's target/botrunner-0.1.0-SNAPSHOT.jar: rebuild (no --no-build)" >&2
    exit 1
  fi
done

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

for pair in $(seq 1 "$without_rest"); do
  for build_dir in target target-no-rest; do
    echo "=== raw route alone, pair $pair, bench/rest-webhook/$build_dir (uptime: $(uptime))"
    java -cp "target/rest-vs-route-classes:$cp" RestVsRoute "${args[@]}" --variants route \
      --processes 1 --jar "bench/rest-webhook/$build_dir/quarkus-app/quarkus-run.jar" \
      --log-dir "target/rest-vs-route/$build_dir-$pair" | grep -E 'RUN|MEDIAN'
  done
done | tee target/rest-vs-route/without-rest.txt
if [[ $without_rest -gt 0 ]]; then echo "after: $(uptime)"; fi
