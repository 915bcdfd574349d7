#!/usr/bin/env bash
# End-to-end load benchmark of the packaged service, and of its peers, against the in-process
# fake Bot API.
#
# Usage: bash bench/e2e.sh [--runs N] [--updates N] [--warmup N] [--warmup-chats N]
#                          [--warmup-shape uniform|as-case]
#                          [--jvm-opts "OPTS"] [--cases "NAME ..."] [--no-build] [--jar PATH]
#                          [--bots "botrunner grammy ceiling"] [--cold "N ..."] [--node PATH]
#                          [--env "NAME=VALUE ..."] [--fake-warmup on|off]
#
#   --runs N         runs per case and bot, each against a fresh bot process (default 3)
#   --updates N      updates per measured burst (default 20000; steady cases use rate x 20 s)
#   --warmup N       warm-up updates before each measured run (default 2000; cold cases: none)
#                    (polling: the service's /q/metrics is read once halfway through it, so
#                    that its first inbound request does not send C2 back to work in the
#                    measured part; see LoadDriver)
#   --warmup-chats N the warm-up's chats, ids disjoint from the measured ones (default 1000;
#                    before this option the warm-up used as many chats as the case: pass
#                    --warmup-chats 10 to repeat older poll-10 and hook-10 runs exactly)
#   --warmup-shape S uniform (default): the warm-up goes round-robin over --warmup-chats chats,
#                    so a hot-chat case is measured right after its traffic changed shape, JIT
#                    recompilations included; as-case: the warm-up has the measured part's shape
#                    (its chat count and distribution, on other chat ids; --warmup-chats is
#                    ignored), which measures that shape in its steady state
#   --fake-warmup W  on (default): before each bot starts, the fake answers 30,000 sendMessage and
#                    300 getUpdates calls of its own, so that its JIT compiler is done before the
#                    measured part (see FakeWarmUp); off: the setting of runs before 2026-12-07
#   --jvm-opts OPTS  JVM options for the service, e.g. "-Xmx256m -XX:+UseSerialGC" (default none)
#   --cases NAMES    which cases to run (default: the poll-* and hook-* ones, in the order below)
#   --no-build       reuse target/quarkus-app and target/test-classes if both exist
#   --jar PATH       the service to run (default target/quarkus-app/quarkus-run.jar), e.g. a copy
#                    of an older build for a before/after comparison
#   --bots NAMES     which bots to measure (default botrunner): botrunner (the service), grammy
#                    (grammY 1.46.0 + @grammyjs/runner 2.0.3), ceiling (framework-free Node
#                    client); see bench/peers/README.md. Within a case, run r measures every bot
#                    once, the order rotating by one each run, so no bot always goes first. The
#                    peers poll only: webhook cases run for botrunner alone. Needs node and npm
#                    (npm install in bench/peers/, lock file and node_modules not committed).
#   --cold SIZES     measured updates of each cold case, one series per size (default
#                    "40000 10000")
#   --node PATH      the Node binary for the peers (default node)
#   --env PAIRS      more settings of the service, e.g. "BOT_EXAMPLE_STYLE=blocking
#                    BOT_BLOCKING_THREADS=worker-pool" (the demo bot's handler written blocking,
#                    on Quarkus's worker pool); they override the case's own
#
# Cases (sendMessage answers after 5 ms in all of them):
#   poll-1000     polling, one burst over 1,000 chats (uniform, round-robin)
#   poll-10       polling, one burst over 10 chats
#   poll-zipf     polling, one burst over 1,000 chats drawn Zipf(s=1): a few hot chats
#   poll-steady   polling, 1,000 chats, a steady 500 updates/s for 20 s (not saturated)
#   hook-1000     webhook, one burst over 1,000 chats posted from 40 connections
#   hook-10       webhook, one burst over 10 chats from 40 connections
#   hook-steady   webhook, 1,000 chats, a steady 500 updates/s for 20 s from 40 connections
#   cold-1000     polling, the first N updates after start (N from --cold), no warm-up, as poll-1000
#   cold-10       the same over 10 chats, as poll-10
#   cold-zipf     the same over 1,000 chats Zipf(s=1), as poll-zipf
#   slow-block    polling, 4,000 updates from 4,000 chats, each answer after a 1 s wait in a
#                 blocking Handler (the demo bot's BOT_EXAMPLE_STYLE=blocking, BOT_EXAMPLE_DELAY=1s;
#                 the peers `await sleep(1000)`), BOT_CONCURRENCY=500: at most 500 updates/s
#   slow-reactive the same with a reactive Middleware (a Uni delayed 1 s); the peers as above
#   slow-5k       polling, 40,000 updates from 40,000 chats, 1 s blocking, BOT_CONCURRENCY=5000
#                 (the peers' sink concurrency too): at most 5,000 updates/s
#   hook-slow     webhook, 4,000 updates from 4,000 chats, 1 s blocking, 40 connections (botrunner
#                 only, as every hook case)
#   (slow cases ignore --updates; their warm-up is --warmup updates with the same 1 s handler)
# A bot counts as started at its first getUpdates call: its start-up is not measured.
#
# Prints every run, the median of each metric per case and bot, and both as markdown tables
# (target/bench-results/tables.md). Run from the repo root; works offline (Maven's local cache
# only, and npm's registry for the peers). Raw output goes to target/bench-results/.
#
# The peers against botrunner, as reported in bench/peers/README.md:
#   bash bench/e2e.sh --bots "botrunner grammy ceiling" --runs 3 --warmup 40000 \
#     --cases "poll-1000 poll-10 poll-zipf cold-1000 cold-10 cold-zipf" --cold "40000 10000"
# A short check that every bot answers every update in order:
#   bash bench/e2e.sh --bots "botrunner grammy ceiling" --runs 1 --updates 2000 --warmup 2000 \
#     --cases "poll-1000 poll-10 poll-zipf cold-1000 cold-10 cold-zipf" --cold 2000
set -euo pipefail

runs=3
updates=20000
warmup=2000
warmup_chats=1000
warmup_shape=uniform
jvm_opts=""
bots=botrunner
cold="40000 10000"
node=node
build=1
jar=target/quarkus-app/quarkus-run.jar
service_env=""
fake_warmup=on
cases="poll-1000 poll-10 poll-zipf poll-steady hook-1000 hook-10 hook-steady"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --updates) updates="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --warmup-chats) warmup_chats="$2"; shift 2 ;;
    --warmup-shape) warmup_shape="$2"; shift 2 ;;
    --bots) bots="$2"; shift 2 ;;
    --cold) cold="$2"; shift 2 ;;
    --node) node="$2"; shift 2 ;;
    --jvm-opts) jvm_opts="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --jar) jar="$2"; shift 2 ;;
    --env) service_env="$2"; shift 2 ;;
    --fake-warmup) fake_warmup="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $fake_warmup != on && $fake_warmup != off ]]; then
  echo "--fake-warmup must be on or off, got: $fake_warmup" >&2
  exit 2
fi
if [[ $warmup_shape != uniform && $warmup_shape != as-case ]]; then
  echo "--warmup-shape must be uniform or as-case, got: $warmup_shape" >&2
  exit 2
fi

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
rm -f "$out_dir"/*.txt "$out_dir"/*.log "$out_dir"/tables.md

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "JDK: $(java -version 2>&1 | head -1); RAM: $(free -h | awk '/^Mem:/ {print $2}')"
# Other work on the machine skews every number; the load average puts the runs in context.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
warm_desc="over $warmup_chats chats"
[[ $warmup_shape == as-case ]] && warm_desc="shaped as each case"
echo "settings: $updates updates, $warmup warm-up $warm_desc, $runs runs per case" \
  "and bot, cold sizes [$cold], JVM options [$jvm_opts], settings [$service_env]"
echo "service: $jar; bots: $bots"

read -r -a bot_list <<< "$bots"
peers=0
for bot in "${bot_list[@]}"; do
  case "$bot" in
    botrunner) ;;
    grammy|ceiling) peers=1 ;;
    *) echo "unknown bot: $bot (botrunner, grammy, ceiling)" >&2; exit 2 ;;
  esac
done
if [[ $peers -eq 1 ]]; then
  echo "Node: $("$node" --version); installing bench/peers (npm install) ..."
  # Exact versions in package.json; the lock file npm writes stays out of git (.gitignore).
  (cd bench/peers && npm install --no-audit --no-fund --loglevel=error)
  version() { "$node" -p "require('./bench/peers/node_modules/$1/package.json').version"; }
  echo "installed: grammy $(version grammy), @grammyjs/runner $(version @grammyjs/runner)"
fi

steady=(--rate 500 --updates 10000)
slow=(--chats 4000 --updates 4000 --delay-ms 1000 --concurrency 500)
# Cold cases run once per --cold size, as CASE-SIZE (cold-1000-40000).
case_args() {
  case "$1" in
    poll-1000) echo --mode polling --chats 1000 --updates "$updates" ;;
    poll-10) echo --mode polling --chats 10 --updates "$updates" ;;
    poll-zipf) echo --mode polling --chats 1000 --dist zipf --updates "$updates" ;;
    poll-steady) echo --mode polling --chats 1000 "${steady[@]}" ;;
    hook-1000) echo --mode webhook --chats 1000 --updates "$updates" ;;
    hook-10) echo --mode webhook --chats 10 --updates "$updates" ;;
    hook-steady) echo --mode webhook --chats 1000 "${steady[@]}" ;;
    cold-1000-*) echo --mode polling --chats 1000 --updates "${1##*-}" ;;
    cold-10-*) echo --mode polling --chats 10 --updates "${1##*-}" ;;
    cold-zipf-*) echo --mode polling --chats 1000 --dist zipf --updates "${1##*-}" ;;
    slow-block) echo --mode polling "${slow[@]}" --style blocking ;;
    slow-reactive) echo --mode polling "${slow[@]}" --style reactive ;;
    slow-5k) echo --mode polling --chats 40000 --updates 40000 --delay-ms 1000 --style blocking \
      --concurrency 5000 ;;
    hook-slow) echo --mode webhook "${slow[@]}" --style blocking ;;
    *) echo "unknown case: $1" >&2; return 2 ;;
  esac
}

ids=()
for name in $cases; do
  if [[ $name == cold-* ]]; then
    for size in $cold; do ids+=("$name-$size"); done
  else
    ids+=("$name")
  fi
done
for id in "${ids[@]}"; do case_args "$id" > /dev/null; done  # fail on a bad name before running

failed=()
for id in "${ids[@]}"; do
  args=$(case_args "$id")
  warm=$warmup
  [[ $id == cold-* ]] && warm=0
  warm_args=(--warmup-chats "$warmup_chats")
  if [[ $warmup_shape == as-case ]]; then
    # LoadDriver's defaults: as many warm-up chats as measured ones, drawn the same way.
    warm_args=(--warmup-dist same)
  fi
  for ((r = 1; r <= runs; r++)); do
    for ((b = 0; b < ${#bot_list[@]}; b++)); do
      # Rotated by one each run: run 1 is bot 1, 2, 3; run 2 is bot 2, 3, 1; and so on.
      bot=${bot_list[(b + r - 1) % ${#bot_list[@]}]}
      if [[ $bot != botrunner && $id == hook-* ]]; then
        continue  # the peers poll only
      fi
      echo
      echo "=== $id, $bot, run $r/$runs (load average $(cut -d' ' -f1 /proc/loadavg)) ==="
      # A failed run is reported at the end; the others still run, so a long series survives it.
      # shellcheck disable=SC2086 # word splitting of the case's arguments is intended
      if ! java -cp "$classpath" LoadDriver $args --bot "$bot" --case "$id" --warmup "$warm" \
        "${warm_args[@]}" --jvm-opts "$jvm_opts" --jar "$jar" --node "$node" \
        --env "$service_env" --fake-warmup "$fake_warmup" \
        --log "$out_dir/service-$id-$bot-$r.log" | tee "$out_dir/run-$id-$bot-$r.txt"; then
        failed+=("$id $bot run $r (log: $out_dir/service-$id-$bot-$r.log)")
      fi
    done
  done
done

# Median of each numeric RESULT field per case and bot (lower middle for an even number of runs).
median_table() {
  local id=$1 bot=$2
  compgen -G "$out_dir/run-$id-$bot-*.txt" > /dev/null || return 0
  { grep -h '^RESULT' "$out_dir"/run-"$id"-"$bot"-*.txt || true; } | awk -v name="$id, $bot" '
    {
      for (i = 2; i <= NF; i++) {
        split($i, kv, "="); key[i] = kv[1]; val[i, NR] = kv[2]
      }
      fields = NF; rows = NR
    }
    END {
      if (rows == 0) exit
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
for id in "${ids[@]}"; do
  for bot in "${bot_list[@]}"; do
    median_table "$id" "$bot"
  done
done

echo
echo "=== markdown (also in $out_dir/tables.md) ==="
java -cp target/bench-classes Report "$out_dir" "${ids[*]}" "$bots" "$runs" \
  | tee "$out_dir/tables.md"

if [[ ${#failed[@]} -gt 0 ]]; then
  echo
  echo "FAILED runs (${#failed[@]}), left out of the medians:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
