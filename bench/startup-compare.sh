#!/usr/bin/env bash
# Start-up before/after a change: time from process start to /q/health/ready answering UP, RSS at
# that moment, and Quarkus's "Installed features" line, for two commits of this repository, runs
# interleaved (before, after, before, after, ...) so that load on the machine hits both alike.
#
# Usage: bash bench/startup-compare.sh BEFORE_REF [AFTER_REF] [--runs N]
#   AFTER_REF defaults to the working tree's HEAD. JDK 17 (java on PATH), default flags.
set -euo pipefail
before="${1:?usage: bench/startup-compare.sh BEFORE_REF [AFTER_REF] [--runs N]}"; shift
after=HEAD
if [[ $# -gt 0 && $1 != --runs ]]; then after="$1"; shift; fi
runs=5
if [[ ${1:-} == --runs ]]; then runs="$2"; fi
[[ -x ./mvnw ]] || { echo "run from the repository root" >&2; exit 2; }
root=$(pwd)
work="$root/target/bench-startup-compare"
rm -rf "$work" && mkdir -p "$work"

build() { # REF NAME: package REF in a temporary worktree, keep its quarkus-app as $work/NAME
  local tree="$work/src-$2"
  git worktree add -q --detach "$tree" "$1"
  (cd "$tree" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true)
  cp -r "$tree/target/quarkus-app" "$work/$2"
  git worktree remove --force "$tree"
}
build "$before" before
build "$after" after

# shellcheck source=bench/startup-lib.sh
source "$root/bench/startup-lib.sh"
declare -A times rsss
for i in $(seq 1 "$runs"); do
  for name in before after; do
    line=$(start_service "$work/$name" java)
    echo "$name run $i: ready after ${line% *} ms, RSS $(( ${line#* } / 1024 )) MB"
    times[$name]+="${line% *} "; rsss[$name]+="${line#* } "
    grep -o 'Installed features: .*' "$work/last.log" > "$work/$name.features" || true
  done
done
median() { tr ' ' '\n' | grep . | sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
echo
for name in before after; do
  echo "$name ($( [[ $name == before ]] && echo "$before" || echo "$after")): median of $runs:" \
    "$(echo "${times[$name]}" | median) ms to ready," \
    "$(( $(echo "${rsss[$name]}" | median) / 1024 )) MB RSS"
  echo "  $(cat "$work/$name.features")"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
  "java: $(java -version 2>&1 | head -1)"
