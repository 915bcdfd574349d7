#!/usr/bin/env bash
# Session-path throughput against pgbench on the same PostgreSQL, in one run (issue 3).
#
#   bash bench/session-path.sh [clients=32] [seconds=10] [runs=3]
#
# Uses the tests' embedded PostgreSQL (or BOTRUNNER_TEST_PG_URL/_USER/_PASSWORD), and the system's
# pgbench and psql (Debian: postgresql-client). Prints one RESULT line per run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
clients=${1:-32}
seconds=${2:-10}
runs=${3:-3}
command -v pgbench >/dev/null || { echo "pgbench not found: install postgresql-client" >&2; exit 1; }
./mvnw -B -q test-compile
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp=$(bench_classpath)
for run in $(seq 1 "$runs"); do
  echo "== run $run"
  java -cp "$cp" bench/SessionPathBench.java "$clients" "$seconds" 2>&1 | grep -vE '^\s*$|INFO|WARN' || true
done
