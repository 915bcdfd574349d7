#!/usr/bin/env bash
# Builds the service for JDK 25's AOT cache and trains the cache with a representative run.
#
# Usage: bash bench/aot.sh [--jdk DIR] [--updates N]
#
#   --jdk DIR      a JDK 25 or newer (default /usr/lib/jvm/temurin-25-jdk-amd64)
#   --updates N    updates of the training burst, after as many warm-up updates (default 40000)
#
# Result: target/quarkus-app-aot/ (Quarkus's aot-jar layout: every class on the class path, so the
# JVM can cache it) and target/quarkus-app-aot/app.aot, written by the training run as it exits
# (-XX:AOTCacheOutput, JEP 514): the classes loaded and linked, and the method profiles (JEP 515)
# of a polling run over 1,000 chats against the fake Bot API. Run the service with
#   <jdk>/bin/java -XX:AOTCache=target/quarkus-app-aot/app.aot -jar target/quarkus-app-aot/quarkus-run.jar
# or measure it: PATH=<jdk>/bin:$PATH bash bench/e2e.sh --no-build \
#   --jar target/quarkus-app-aot/quarkus-run.jar --jvm-opts "-XX:AOTCache=target/quarkus-app-aot/app.aot"
# A cache only serves the JDK build and the jars it was made with; rebuild both together.
set -euo pipefail

jdk=/usr/lib/jvm/temurin-25-jdk-amd64
updates=40000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --updates) updates="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ ! -x "$jdk/bin/java" ]]; then
  echo "no JDK at $jdk (see --jdk)" >&2
  exit 2
fi

echo "building the aot-jar layout with $("$jdk/bin/java" -version 2>&1 | head -1) ..."
JAVA_HOME="$jdk" ./mvnw -B -o -q package -DskipTests -Dquarkus.package.jar.type=aot-jar
rm -rf target/quarkus-app-aot
mv target/quarkus-app target/quarkus-app-aot
echo "rebuilding the default layout (target/quarkus-app) ..."
./mvnw -B -o -q package -DskipTests

echo "training run ($updates warm-up + $updates measured updates, poll-1000) ..."
PATH="$jdk/bin:$PATH" bash bench/e2e.sh --no-build --bots botrunner --runs 1 \
  --cases poll-1000 --updates "$updates" --warmup "$updates" \
  --jar target/quarkus-app-aot/quarkus-run.jar \
  --jvm-opts "-XX:AOTCacheOutput=target/quarkus-app-aot/app.aot" > target/aot-training.txt
ls -l target/quarkus-app-aot/app.aot
