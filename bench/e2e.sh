#!/usr/bin/env bash
# End-to-end load benchmark of the packaged service against the in-process fake Bot API.
#
# Usage: bash bench/e2e.sh [--runs N] [--updates N] [--warmup N] [--jvm-opts "OPTS"]
#                          [--cases "NAME ..."] [--no-build]
#
#   --runs N         runs per case, each against a fresh service process (default 3)
#   --updates N      updates per measured burst (default 20000; steady cases use rate x 20 s)
#   --warmup N       warm-up updates before each measured run (default 2000)
#   --jvm-opts OPTS  JVM options for the service, e.g. "-Xmx256m -XX:+UseSerialGC" (default none)
#   --cases NAMES    which cases to run (default: all, in the order below)
#   --no-build       reuse target/quarkus-app and target/test-classes if both exist
#   --jar PATH       the service to run (default target/quarkus-app/quarkus-run.jar), e.g. a copy
#                    of an older build for a before/after comparison
#
# Cases (sendMessage answers after 5 ms in all of them):
#   poll-1000     polling, one burst over 1,000 chats (uniform, round-robin)
#   poll-10       polling, one burst over 10 chats
#   poll-zipf     polling, one burst over 1,000 chats drawn Zipf(s=1): a few hot chats
#   poll-steady   polling, 1,000 chats, a steady 500 updates/s for 20 s (not saturated)
#   hook-1000     webhook, one burst over 1,000 chats posted from 40 connections
#   hook-10       webhook, one burst over 10 chats from 40 connections
#   hook-steady   webhook, 1,000 chats, a steady 500 updates/s for 20 s from 40 connections
# Prints every run, then the median of each metric per case. Run from the repo root; works
# offline (Maven's local cache only). Raw output goes to target/bench-results/.
set -euo pipefail

runs=3
updates=20000
warmup=2000
jvm_opts=""
build=1
jar=target/quarkus-app/quarkus-run.jar
cases="poll-1000 poll-10 poll-zipf poll-steady hook-1000 hook-10 hook-steady"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --updates) updates="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jvm-opts) jvm_opts="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --jar) jar="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -x ./mvnw || ! -f bench/e2e/LoadDriver.java ]]; then
  echo "run from the repository root: bash bench/e2e.sh" >&2
  exit 2
fi

# package also compiles the tests, which hold the fake Bot API the driver uses.
if [[ $build -eq 1 || ! -d target/quarkus-app || ! -d target/test-classes ]]; then
  echo "building (./mvnw -B -o -q package -DskipTests) ..."
  ./mvnw -B -o -q package -DskipTests
fi

# shellcheck source=bench/classpath.sh
source bench/classpath.sh
classpath=$(bench_classpath)
rm -rf target/bench-classes
javac -d target/bench-classes -cp "$classpath" bench/e2e/*.java
classpath="target/bench-classes:$classpath"

out_dir=target/bench-results
mkdir -p "$out_dir"
rm -f "$out_dir"/*.txt "$out_dir"/*.log

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "JDK: $(java -version 2>&1 | head -1); RAM: $(free -h | awk '/^Mem:/ {print $2}')"
# Other work on the machine skews every number; the load average puts the runs in context.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: $updates updates, $warmup warm-up, $runs runs per case, JVM options [$jvm_opts]"
echo "service: $jar"

steady=(--rate 500 --updates 10000)
case_args() {
  case "$1" in
    poll-1000) echo --mode polling --chats 1000 --updates "$updates" ;;
    poll-10) echo --mode polling --chats 10 --updates "$updates" ;;
    poll-zipf) echo --mode polling --chats 1000 --dist zipf --updates "$updates" ;;
    poll-steady) echo --mode polling --chats 1000 "${steady[@]}" ;;
    hook-1000) echo --mode webhook --chats 1000 --updates "$updates" ;;
    hook-10) echo --mode webhook --chats 10 --updates "$updates" ;;
    hook-steady) echo --mode webhook --chats 1000 "${steady[@]}" ;;
    *) echo "unknown case: $1" >&2; return 2 ;;
  esac
}

for name in $cases; do
  args=$(case_args "$name")
  for ((r = 1; r <= runs; r++)); do
    echo
    echo "=== $name, run $r/$runs (load average $(cut -d' ' -f1 /proc/loadavg)) ==="
    # shellcheck disable=SC2086 # word splitting of the case's arguments is intended
    java -cp "$classpath" LoadDriver $args --warmup "$warmup" --jvm-opts "$jvm_opts" \
      --jar "$jar" --log "$out_dir/service-$name-$r.log" | tee "$out_dir/run-$name-$r.txt"
  done
done

# Median of each numeric RESULT field per case (lower middle for an even number of runs).
median_table() {
  local name=$1
  grep -h '^RESULT' "$out_dir"/run-"$name"-*.txt | awk -v name="$name" '
    {
      for (i = 2; i <= NF; i++) {
        split($i, kv, "="); key[i] = kv[1]; val[i, NR] = kv[2]
      }
      fields = NF; rows = NR
    }
    END {
      printf "median of %d runs, %s:", rows, name
      for (i = 2; i <= fields; i++) {
        if (val[i, 1] !~ /^[0-9.]+$/ || key[i] == "updates" || key[i] == "chats") continue
        n = 0
        for (r = 1; r <= rows; r++) v[++n] = val[i, r] + 0
        for (a = 2; a <= n; a++) {
          x = v[a]; b = a - 1
          while (b > 0 && v[b] > x) { v[b + 1] = v[b]; b-- }
          v[b + 1] = x
        }
        printf " %s=%s", key[i], v[int((n + 1) / 2)]
      }
      printf "\n"
    }'
}

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "=== medians (each metric's median on its own; lower middle for an even run count) ==="
for name in $cases; do
  median_table "$name"
done
