#!/usr/bin/env bash
# JVM start-up benchmark: time from process start to /q/health/ready answering UP, and the
# process's RSS at that moment, for several JVM configurations.
#
# Usage: bash bench/startup.sh [--runs N] [--no-build]
#
#   --runs N     runs per configuration, each a fresh process (default 3)
#   --no-build   reuse target/bench-startup/{jvm,aot} from an earlier run
#
# The service runs in webhook mode with BOT_WEBHOOK_INSECURE=true and no BOT_WEBHOOK_URL, so it
# makes no call to Telegram (the token is a dummy), memory sessions. Configurations:
#   jdk17-default   JDK 17 (java on PATH), no flags
#   jdk17-serial    JDK 17, -XX:+UseSerialGC -XX:TieredStopAtLevel=1
#   jdk25-default   JDK 25 ($JDK25, default /usr/lib/jvm/temurin-25-jdk-amd64), no flags
#   jdk25-aot       JDK 25, -XX:AOTCache=app.aot on the aot-jar packaging; the cache comes from
#                   one training run (-XX:AOTCacheOutput) that starts, serves the probes and
#                   /q/metrics, and is stopped with SIGTERM
#   jdk25-aot-serial  the same with -XX:+UseSerialGC -XX:TieredStopAtLevel=1
# Prints every run and the median per configuration. Offline (Maven's local cache only).
set -euo pipefail

runs=3
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -x ./mvnw ]] || { echo "run from the repository root" >&2; exit 2; }

JDK17_JAVA="${JAVA:-java}"
JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work=target/bench-startup
mkdir -p "$work"

if [[ $build == 1 ]]; then
  ./mvnw -B -o -q package -DskipTests
  rm -rf "$work/jvm" && cp -r target/quarkus-app "$work/jvm"
  ./mvnw -B -o -q package -DskipTests -Dquarkus.package.jar.type=aot-jar
  rm -rf "$work/aot" && cp -r target/quarkus-app "$work/aot"
fi

# shellcheck source=bench/startup-lib.sh
source bench/startup-lib.sh

if [[ $build == 1 || ! -f "$work/aot/app.aot" ]]; then
  rm -f "$work/aot/app.aot"
  TRAIN=1 start_service "$work/aot" "$JDK25/bin/java" -XX:AOTCacheOutput=app.aot > /dev/null
  [[ -f "$work/aot/app.aot" ]] || { echo "no AOT cache written; see $work/last.log" >&2; exit 1; }
fi

serial=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1)
declare -A results
run_config() {
  local name="$1" dir="$2" java="$3"; shift 3
  local line times=() rsss=()
  for i in $(seq 1 "$runs"); do
    line=$(start_service "$dir" "$java" "$@")
    echo "$name run $i: ready after ${line% *} ms, RSS $(( ${line#* } / 1024 )) MB"
    times+=("${line% *}"); rsss+=("${line#* }")
  done
  local mt mr
  mt=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  mr=$(printf '%s\n' "${rsss[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  results[$name]="$mt ms, $(( mr / 1024 )) MB"
}

run_config jdk17-default "$work/jvm" "$JDK17_JAVA"
run_config jdk17-serial "$work/jvm" "$JDK17_JAVA" "${serial[@]}"
run_config jdk25-default "$work/jvm" "$JDK25/bin/java"
run_config jdk25-aot "$work/aot" "$JDK25/bin/java" -XX:AOTCache=app.aot
run_config jdk25-aot-serial "$work/aot" "$JDK25/bin/java" -XX:AOTCache=app.aot "${serial[@]}"

echo
echo "median of $runs (time to ready, RSS at ready):"
for name in jdk17-default jdk17-serial jdk25-default jdk25-aot jdk25-aot-serial; do
  echo "  $name: ${results[$name]}"
done
nproc_now=$(nproc); load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "machine: $nproc_now cores, load average $load at the end; java: $("$JDK17_JAVA" -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1)"
