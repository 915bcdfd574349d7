#!/usr/bin/env bash
# The host test: a team's own Quarkus application (its REST resources with a request-scoped bean
# across asynchronous steps, its JDBC pool, its Flyway migrations, its log lines, its native build
# arguments) must act the same with botrunner added as without it, and its bot must answer.
# Builds this project twice, as it is (target/plain) and with botrunner (-Dwith-botrunner:
# the dependency and src/bot/java, target/with-botrunner), each also as sources-only native
# build, then runs both jars with HostCheck.java and compares what they do.
#
#   bash examples/host-app/check.sh        (after ./mvnw install in the repository root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mvn() { "$root/mvnw" -B -q -f "$here/pom.xml" "$@"; }
native=(-Dnative -DskipTests -Dquarkus.native.sources-only=true)

rm -rf "$here/target"
echo "== build without botrunner"
mvn package -DskipTests
mvn package "${native[@]}"
echo "== build with botrunner"
mvn package -DskipTests -Dwith-botrunner dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$here/target/check-classpath.txt"
mvn package "${native[@]}" -Dwith-botrunner
java -cp "$(cat "$here/target/check-classpath.txt")" "$here/HostCheck.java" \
  "$here/target/plain" "$here/target/with-botrunner"
