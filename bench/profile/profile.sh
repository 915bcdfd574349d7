#!/usr/bin/env bash
# Profiles one end-to-end case with JFR and prints where the service's CPU samples go.
#
#   bash bench/profile/profile.sh [CASE=poll-1000] [WARMUP=40000] [UPDATES=40000] [JVM_OPTS]
#
# JVM_OPTS go to the service as well, e.g. "-Dbot.middleware-thread=event-loop".
# JAR=path/to/quarkus-run.jar profiles another build (e.g. a copy of an older one) instead of
# target/quarkus-app.
# Runs bench/e2e.sh once for CASE with a JFR recording (the JDK's "profile" settings, Java
# samples every 2 ms instead of 10, stacks 256 deep), then charges the samples of the measured
# part (its last DURATION seconds) to cost categories with jfr_categories.py. Needs a JDK whose
# `jfr` has --json and --stack-depth (17 and newer). Output: target/profile/.
set -euo pipefail
case_name=${1:-poll-1000}
warmup=${2:-40000}
updates=${3:-40000}
extra=${4:-}
out=target/profile
mkdir -p "$out"
jfc="$out/fast.jfc"
# Java method samples every 2 ms: the default 10-20 ms gives too few samples per run.
awk '/<event name="jdk.ExecutionSample">/ {inside = 1}
     inside && /name="period"/ {sub(/>[^<]*</, ">2 ms<"); inside = 0}
     {print}' "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" > "$jfc"
rec="$out/$case_name.jfr"
bash bench/e2e.sh --no-build --runs 1 --cases "$case_name" --warmup "$warmup" \
  ${JAR:+--jar "$JAR"} \
  --updates "$updates" --jvm-opts "-XX:FlightRecorderOptions:stackdepth=256
  -XX:StartFlightRecording=filename=$rec,settings=$jfc $extra" | tee "$out/$case_name.txt"
seconds=$(sed -n 's/^RESULT.* seconds=\([0-9.]*\).*/\1/p' "$out/$case_name.txt")
jfr print --json --stack-depth 300 --events jdk.ExecutionSample "$rec" > "$out/$case_name.json"
# The recording ends when the service is stopped, right after the last reply.
since=$(python3 - "$out/$case_name.json" "$seconds" <<'PY'
import datetime, json, sys
times = [e["values"]["startTime"] for e in json.load(open(sys.argv[1]))["recording"]["events"]]
end = datetime.datetime.fromisoformat(max(times)[:26])
print((end - datetime.timedelta(seconds=float(sys.argv[2]))).isoformat())
PY
)
python3 bench/profile/jfr_categories.py "$out/$case_name.json" "$since"
# The JSON is large (hundreds of MB); the .jfr stays for `jfr view hot-methods` and the like.
rm -f "$out/$case_name.json"
