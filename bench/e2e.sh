#!/usr/bin/env bash
# End-to-end load benchmark of the packaged service against the in-process fake Bot API.
#
# Usage: bash bench/e2e.sh [--runs N] [--updates N] [--warmup N] [--jvm-opts "OPTS"] [--no-build]
#
#   --runs N         runs per case, each against a fresh service process (default 3)
#   --updates N      updates per measured run (default 20000)
#   --warmup N       warm-up updates before each measured run (default 2000)
#   --jvm-opts OPTS  JVM options for the service, e.g. "-Xmx256m -XX:+UseSerialGC" (default none)
#   --no-build       reuse target/quarkus-app and target/test-classes if both exist
#
# Cases: N updates over 1,000 chats (wide) and over 10 chats (hot chats). sendMessage answers
# after 5 ms. Prints every run, then the median of each metric per case. Run from the repo root;
# works offline (Maven's local cache only). Raw output goes to target/bench-results/.
set -euo pipefail

runs=3
updates=20000
warmup=2000
jvm_opts=""
build=1

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --updates) updates="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jvm-opts) jvm_opts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ ! -x ./mvnw || ! -f bench/LoadDriver.java ]]; then
  echo "run from the repository root: bash bench/e2e.sh" >&2
  exit 2
fi

# package also compiles the tests, which hold the fake Bot API the driver uses.
if [[ $build -eq 1 || ! -d target/quarkus-app || ! -d target/test-classes ]]; then
  echo "building (./mvnw -B -o -q package -DskipTests) ..."
  ./mvnw -B -o -q package -DskipTests
fi

cp_file=target/bench-classpath.txt
if [[ ! -s $cp_file || pom.xml -nt $cp_file ]]; then
  ./mvnw -B -o -q dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file"
fi
classpath="target/classes:target/test-classes:$(cat "$cp_file")"

out_dir=target/bench-results
mkdir -p "$out_dir"
rm -f "$out_dir"/*.txt "$out_dir"/*.log

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "JDK: $(java -version 2>&1 | head -1); RAM: $(free -h | awk '/^Mem:/ {print $2}')"
# Other work on the machine skews every number; the load average puts the runs in context.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "settings: $updates updates, $warmup warm-up, $runs runs per case, JVM options [$jvm_opts]"

for chats in 1000 10; do
  for ((r = 1; r <= runs; r++)); do
    echo
    echo "=== $chats chats, run $r/$runs ==="
    java -cp "$classpath" bench/LoadDriver.java \
      --updates "$updates" --chats "$chats" --warmup "$warmup" --jvm-opts "$jvm_opts" \
      --log "$out_dir/service-$chats-$r.log" | tee "$out_dir/run-$chats-$r.txt"
  done
done

# Median of each RESULT field per case (lower middle for an even number of runs).
median_table() {
  local chats=$1
  grep -h '^RESULT' "$out_dir"/run-"$chats"-*.txt | awk -v chats="$chats" '
    {
      for (i = 2; i <= NF; i++) {
        split($i, kv, "="); key[i] = kv[1]; val[i, NR] = kv[2]
      }
      fields = NF; rows = NR
    }
    END {
      printf "median of %d runs, %s chats:", rows, chats
      for (i = 2; i <= fields; i++) {
        if (key[i] == "updates" || key[i] == "chats") continue
        n = 0
        for (r = 1; r <= rows; r++) v[++n] = val[i, r] + 0
        # insertion sort: a handful of runs
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
for chats in 1000 10; do
  median_table "$chats"
done
