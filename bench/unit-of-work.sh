#!/usr/bin/env bash
# What a unit of work (ctx.transaction) costs, beside the session-only path (issue 25): the
# packaged service's demo bot against PostgreSQL, through bench/e2e.sh (CPU of the service per
# update, p99 from hand-over to reply), in three variants, interleaved, on a fresh schema each run:
#   none   the session write and the reply (today's path)
#   plain  + one statement of the bot's own (SELECT 1) on the pool, outside any unit
#   unit   the same statement in the update's unit of work: the session write, the processed mark
#          and the reply's outbox row in its transaction, the reply sent after the commit
#
# Usage: bash bench/unit-of-work.sh [rounds=3] [case=poll-1000] [updates=20000]
# Needs a PostgreSQL the script may wipe: BENCH_PG_HOST (localhost), BENCH_PG_PORT (5432),
# BENCH_PG_USER (postgres), BENCH_PG_PASSWORD (postgres), and psql on the PATH or in BENCH_PSQL.
# Build first: ./mvnw package -DskipTests && ./mvnw test-compile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rounds=${1:-3}
case_name=${2:-poll-1000}
updates=${3:-20000}
host=${BENCH_PG_HOST:-localhost}
port=${BENCH_PG_PORT:-5432}
user=${BENCH_PG_USER:-postgres}
password=${BENCH_PG_PASSWORD:-postgres}
psql=${BENCH_PSQL:-psql}
db="QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://$host:$port/postgres"
db="$db QUARKUS_DATASOURCE_USERNAME=$user QUARKUS_DATASOURCE_PASSWORD=$password"
out=target/bench-results/unit-of-work
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  for variant in none plain unit; do
    # A fresh schema: the driver's update ids and chats start again in every run.
    PGPASSWORD=$password "$psql" -q -h "$host" -p "$port" -U "$user" -d postgres \
      -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
    echo "== round $round: $variant"
    bash bench/e2e.sh --no-build --runs 1 --cases "$case_name" --updates "$updates" \
      --env "$db BOT_EXAMPLE_STATEMENT=$variant" 2>&1 | tee "$out/$case_name-$variant-$round.txt" |
      grep -E '^\| *botrunner|RESULT|run 1' || true
  done
done
