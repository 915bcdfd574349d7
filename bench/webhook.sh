#!/usr/bin/env bash
# Webhook load benchmark (issue 4): requests/s and p50/p99 at 40 connections.
#
#   bash bench/webhook.sh [updates=20000] [chats=1000] [connections=40] [runs=3]
#
# Builds the service (tests skipped), starts it in webhook mode against the in-process fake Bot API
# (sendMessage answers after 5 ms) and posts from N connections, Telegram-style: each chat's
# updates one after another. Prints one "measured RESULT" line per run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -B -q package -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp=$(bench_classpath)
for run in $(seq 1 "${4:-3}"); do
  java -cp "$cp" bench/WebhookBench.java "${1:-20000}" "${2:-1000}" "${3:-40}" | grep RESULT
done
