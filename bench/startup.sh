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

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export BOT_TOKEN=123456789:AAbench-dummy-token-not-real-0123456789
export BOT_API_URL=http://127.0.0.1:9
export BOT_MODE=webhook
export BOT_WEBHOOK_INSECURE=true

# start_service DIR JAVA FLAGS... : starts it, waits for ready, prints "<ms> <rss_kb>", stops it.
start_service() {
  local dir="$1" java="$2"; shift 2
  local port; port=$(free_port)
  local t0; t0=$(date +%s%N)
  (cd "$dir" && QUARKUS_HTTP_PORT=$port exec "$java" "$@" -jar quarkus-run.jar) \
    > "$work/last.log" 2>&1 &
  local pid=$!
  local deadline=$(( t0 + 120000000000 ))
  until curl -fs "http://127.0.0.1:$port/q/health/ready" 2>/dev/null | grep -q '"UP"'; do
    if (( $(date +%s%N) > deadline )) || ! kill -0 "$pid" 2>/dev/null; then
      echo "service did not become ready; see $work/last.log" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.01
  done
  local t1; t1=$(date +%s%N)
  local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  if [[ -n "${TRAIN:-}" ]]; then
    for _ in 1 2 3; do
      curl -fs "http://127.0.0.1:$port/q/health/live" > /dev/null
      # No -f: with the dummy token and no Telegram the startup probe stays DOWN (503) here; the
      # call only exercises the code path for the AOT training run.
      curl -s "http://127.0.0.1:$port/q/health/started" > /dev/null
      curl -fs "http://127.0.0.1:$port/q/metrics" > /dev/null
    done
  fi
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}

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
