# Shared by the start-up benchmarks (bench/startup.sh, bench/startup-compare.sh): starts the
# packaged service in webhook mode with a dummy token, so it makes no call to Telegram, and
# measures it. Needs $work (a scratch directory) set by the caller.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export BOT_TOKEN=123456789:AAbench-dummy-token-not-real-0123456789
export BOT_API_URL=http://127.0.0.1:9
export BOT_MODE=webhook
export BOT_WEBHOOK_INSECURE=true

# start_service DIR JAVA FLAGS... : starts it, waits for ready, prints "<ms> <rss_kb>", stops it.
start_service() {
  local dir="$1" java="$2"; shift 2
  local port; port=$(free_port)
  local t0; t0=$(date +%s%N)
  (cd "$dir" && QUARKUS_HTTP_PORT=$port exec "$java" "$@" -jar quarkus-run.jar) \
    > "$work/last.log" 2>&1 &
  local pid=$!
  local deadline=$(( t0 + 120000000000 ))
  until curl -fs "http://127.0.0.1:$port/q/health/ready" 2>/dev/null | grep -q '"UP"'; do
    if (( $(date +%s%N) > deadline )) || ! kill -0 "$pid" 2>/dev/null; then
      echo "service did not become ready; see $work/last.log" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.01
  done
  local t1; t1=$(date +%s%N)
  local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  if [[ -n "${TRAIN:-}" ]]; then
    for _ in 1 2 3; do
      curl -fs "http://127.0.0.1:$port/q/health/live" > /dev/null
      # No -f: with the dummy token and no Telegram the startup probe stays DOWN (503) here; the
      # call only exercises the code path for the AOT training run.
      curl -s "http://127.0.0.1:$port/q/health/started" > /dev/null
      curl -fs "http://127.0.0.1:$port/q/metrics" > /dev/null
    done
  fi
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}

