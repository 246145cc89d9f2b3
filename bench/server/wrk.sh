#!/usr/bin/env bash
# Load test of `caravan serve` on loopback with wrk: GET /v1/route on the
# default data. Bounded: each run lasts DURATION seconds; the server is
# started here on 127.0.0.1 with a free port and stopped at the end.
#
#   bench/server/wrk.sh [BUILD_DIR]        (default build/release)
#
# Runs, each with the same wrk settings (2 threads, CONNECTIONS connections):
#   repeated   one query over and over (what a UI toggling back and forth sends;
#              answered from the route cache after the first)
#   distinct   a different departure hour on every request, cycling through a
#              week (168 queries, so each is planned afresh until cached) with
#              the cache turned off: the planner and JSON cost of every request
# and reports requests/s, latency percentiles and the server's resident memory.
set -euo pipefail
BUILD="${1:-build/release}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
BIN="$BUILD/caravan"
[ -x "$BIN" ] || { echo "wrk.sh: $BIN not built (make build)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk.sh: wrk not installed (scripts/install-deps)" >&2; exit 2; }

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/distinct.lua" <<'LUA'
-- A different departure hour per request, cycling through one week.
local n = 0
request = function()
  n = n + 1
  local h = n % 168
  local day = 2 + math.floor(h / 24)
  local path = string.format("/v1/route?from=xian&to=tashkent&depart=2026-03-%02dT%02d:00Z", day, h % 24)
  return wrk.format("GET", path)
end
LUA

start_server() {
  "$BIN" serve --port 0 --db :memory: "$@" > "$work/url" 2> /dev/null &
  server_pid=$!
  for _ in $(seq 1 100); do
    if [ -s "$work/url" ]; then break; fi
    sleep 0.1
  done
  url=$(head -1 "$work/url")
  [ -n "$url" ] || { echo "wrk.sh: server did not start" >&2; exit 3; }
  curl -sf "${url}v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z" > /dev/null  # warm up
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

report() {  # name, wrk output file
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1 == "50%" {print $2}' "$2")
  p99=$(awk '$1 == "99%" {print $2}' "$2")
  printf '%-9s %10s req/s   p50 %8s   p99 %8s   rss %6s MB\n' "$1" "$rps" "$p50" "$p99" "$3"
}

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
hwm_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }

echo "caravan serve under wrk: ${DURATION}s, 2 threads, ${CONNECTIONS} connections, loopback"
start_server
echo "idle     rss $(rss_mb) MB"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${url}v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z" > "$work/repeated.txt"
report repeated "$work/repeated.txt" "$(hwm_mb)"
stop_server

start_server --route-cache 0
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/distinct.lua" "${url}" > "$work/distinct.txt"
report distinct "$work/distinct.txt" "$(hwm_mb)"
stop_server
