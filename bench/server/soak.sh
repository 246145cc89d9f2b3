#!/usr/bin/env bash
# Soak test of `caravan serve` (a benchmark, not a test): a mix of endpoints
# with wrk at 80% of the peak measured first, for SOAK_SECONDS (default 600),
# while 50 slow clients hold connections and one client keeps sending wrong
# tokens. Reports requests/s, latency percentiles, non-2xx answers to the valid
# requests, the server's resident memory over time, and what the hostile
# clients got. Bounded: every part stops itself; the server is started here on
# 127.0.0.1 with a free port and stopped at the end.
#
#   bench/server/soak.sh [BUILD_DIR]        (default build/release)
#
# Two wrk runs side by side make the mix, so the heavy share never exceeds the
# server's heavy-request limit (a 429 there would be the limit working, not a
# failure):
#   light  CONNECTIONS (16) connections: routes over 6 pairs x 168 departures
#          (planned once, then from the cache), routes with a scenario, place
#          search, scenario list and detail, healthz
#   heavy  HEAVY (2) connections: a 3-place matrix, a 30-day simulation of one
#          lane and a route with a 200-sample Monte Carlo, the last two under
#          a fresh seed each time (never cached)
set -euo pipefail
BUILD="${1:-build/release}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
PEAK_SECONDS="${PEAK_SECONDS:-30}"
CALIBRATE_SECONDS="${CALIBRATE_SECONDS:-20}"
CONNECTIONS="${CONNECTIONS:-16}"
HEAVY="${HEAVY:-2}"
SLOW="${SLOW:-50}"
BIN="$BUILD/caravan"
HERE="$(cd "$(dirname "$0")" && pwd)"
[ -x "$BIN" ] || { echo "soak.sh: $BIN not built (make build)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "soak.sh: wrk not installed (scripts/install-deps)" >&2; exit 2; }

work=$(mktemp -d)
server_pid=""
helpers=()
cleanup() {
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the request mixes ----------------------------------------------------------
cat > "$work/light.lua" <<'LUA'
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local od = {{"xian", "tashkent"}, {"xian", "almaty"}, {"kashgar", "tashkent"},
            {"urumqi", "almaty"}, {"almaty", "tashkent"}, {"lianyungang", "almaty"}}
local prefixes = {"alm", "tash", "xi", "khor", "dost", "akt", "bak", "kash"}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = math.random(100000); non2xx = 0; last_bad = "" end
function request()
  n = n + 1
  local k = n % 20
  local p = od[(n % #od) + 1]
  local h = math.floor(n / #od) % 168
  local when = string.format("2026-03-%02dT%02d:00Z", 2 + math.floor(h / 24), h % 24)
  if k < 8 then
    return wrk.format("GET", "/v1/route?from=" .. p[1] .. "&to=" .. p[2] .. "&depart=" .. when)
  elseif k < 10 then
    return wrk.format("GET", "/v1/route?from=" .. p[1] .. "&to=" .. p[2] .. "&depart=" .. when .. "&scenario=green-lanes")
  elseif k < 15 then
    return wrk.format("GET", "/v1/places?q=" .. prefixes[(n % #prefixes) + 1])
  elseif k < 17 then
    return wrk.format("GET", "/v1/scenarios")
  elseif k < 18 then
    return wrk.format("GET", "/v1/scenarios/green-lanes")
  else
    return wrk.format("GET", "/healthz")
  end
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1; last_bad = tostring(status) end
end
-- A fractional delay on average: rounded up or down at random.
function delay() return math.floor(delay_ms + math.random()) end
function done(summary, latency, requests)
  local bad, last = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    if t:get("last_bad") ~= "" then last = t:get("last_bad") end
  end
  io.write(string.format("non2xx %d %s\n", bad, last))
  io.write(string.format("latency_mean_ms %.3f\n", latency.mean / 1000))
end
LUA

sed -e '/^function request()/,/^end$/d' "$work/light.lua" > "$work/heavy.lua"
cat >> "$work/heavy.lua" <<'LUA'
function request()
  n = n + 1
  if n % 3 == 0 then
    return wrk.format("POST", "/v1/matrix", {["Content-Type"] = "application/json"},
                      '{"places": ["xian", "almaty", "tashkent"], "samples": 0, "depart": "2026-03-02T08:00Z"}')
  elseif n % 3 == 1 then
    return wrk.format("POST", "/v1/simulate", {["Content-Type"] = "application/json"},
                      '{"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 2000}], "days": 30, ' ..
                      '"warmup": 5, "start": "2026-03-02", "seed": ' .. n .. '}')
  end
  return wrk.format("GET", "/v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z&samples=200&seed=" .. n)
end
LUA

# ---- helpers ---------------------------------------------------------------------
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$server_pid/status"; }

rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
field() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
pct() { awk -v k="$2" '$1 == k {print $2}' "$1"; }

# run NAME CONNECTIONS SECONDS DELAY_MS LUA: one wrk run, output in $work/NAME.txt
run_wrk() {
  SOAK_DELAY_MS="$4" wrk -t2 -c"$2" -d"$3s" --timeout 30s --latency -s "$5" "$url" > "$work/$1.txt" 2>&1
}

# The per-request delay that brings C connections to `target` req/s, given a
# run at `delay` that reached `got` req/s: the time a request takes apart from
# the delay stays what it was.
next_delay() {  # connections target delay got
  awk -v c="$1" -v t="$2" -v d="$3" -v g="$4" 'BEGIN { busy = c * 1000 / g - d; x = c * 1000 / t - busy; if (x < 0) x = 0; printf "%.3f", x }'
}

# ---- start -----------------------------------------------------------------------
export CARAVAN_TOKEN="soak-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
"$BIN" serve --port 0 --db "$work/scenarios.sqlite" > "$work/url" 2> /dev/null &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
[ -n "$url" ] || { echo "soak.sh: server did not start" >&2; exit 3; }
port=${url##*:}; port=${port%/}
# Every kind of request in the mixes must succeed before load is put on it.
for path in "v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z" "v1/route?from=xian&to=tashkent&scenario=green-lanes" \
            "v1/places?q=alm" "v1/scenarios" "v1/scenarios/green-lanes" "healthz" \
            "v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z&samples=200&seed=1"; do
  curl -sf -o /dev/null "$url$path" || { echo "soak.sh: $path failed before the load" >&2; exit 3; }
done
curl -sf -o /dev/null -X POST -d '{"places": ["xian", "almaty", "tashkent"], "samples": 0}' "${url}v1/matrix"
curl -sf -o /dev/null -X POST -d '{"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 2000}], "days": 30, "warmup": 5}' "${url}v1/simulate"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
commit=$(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "caravan serve soak: commit $commit, $(nproc) cores ($cpu), $(uname -sr), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine may be shared: other work shows here)"
echo "peak: ${PEAK_SECONDS}s, light ${CONNECTIONS} + heavy ${HEAVY} connections, no delay"
run_wrk peak-light "$CONNECTIONS" "$PEAK_SECONDS" 0 "$work/light.lua" &
a=$!
run_wrk peak-heavy "$HEAVY" "$PEAK_SECONDS" 0 "$work/heavy.lua"
wait $a
peak_light=$(rate "$work/peak-light.txt"); peak_heavy=$(rate "$work/peak-heavy.txt")
target_light=$(awk -v r="$peak_light" 'BEGIN { printf "%.1f", 0.8 * r }')
target_heavy=$(awk -v r="$peak_heavy" 'BEGIN { printf "%.1f", 0.8 * r }')
echo "  light $peak_light req/s, heavy $peak_heavy req/s; targets (80%): $target_light and $target_heavy req/s"

d_light=$(next_delay "$CONNECTIONS" "$target_light" 0 "$peak_light")
d_heavy=$(next_delay "$HEAVY" "$target_heavy" 0 "$peak_heavy")
run_wrk cal-light "$CONNECTIONS" "$CALIBRATE_SECONDS" "$d_light" "$work/light.lua" &
a=$!
run_wrk cal-heavy "$HEAVY" "$CALIBRATE_SECONDS" "$d_heavy" "$work/heavy.lua"
wait $a
d_light=$(next_delay "$CONNECTIONS" "$target_light" "$d_light" "$(rate "$work/cal-light.txt")")
d_heavy=$(next_delay "$HEAVY" "$target_heavy" "$d_heavy" "$(rate "$work/cal-heavy.txt")")
echo "  delays per request: light ${d_light} ms, heavy ${d_heavy} ms"

# ---- soak ------------------------------------------------------------------------
echo "soak: ${SOAK_SECONDS}s, with ${SLOW} slow clients and one sending wrong tokens"
python3 "$HERE/side_load.py" slow 127.0.0.1 "$port" "$SLOW" "$SOAK_SECONDS" "$work/slow.json" &
helpers+=($!)
python3 "$HERE/side_load.py" bad-token 127.0.0.1 "$port" "$SOAK_SECONDS" "$work/bad-token.json" &
helpers+=($!)
sleep 2  # the slow clients are connected
rss_start=$(rss_kb)
( for _ in $(seq 1 $((SOAK_SECONDS / 10))); do sleep 10; rss_kb; done ) > "$work/rss.txt" &
helpers+=($!)
run_wrk soak-light "$CONNECTIONS" "$SOAK_SECONDS" "$d_light" "$work/light.lua" &
a=$!
run_wrk soak-heavy "$HEAVY" "$SOAK_SECONDS" "$d_heavy" "$work/heavy.lua"
wait $a
for p in "${helpers[@]}"; do wait "$p" 2>/dev/null || true; done
helpers=()
rss_end=$(rss_kb)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

for mix in light heavy; do
  f="$work/soak-$mix.txt"
  errors=$(awk '/Socket errors/ {print}' "$f")
  printf '  %-5s %9s req/s   p50 %8s   p90 %8s   p99 %8s   non-2xx %s%s\n' "$mix" "$(rate "$f")" \
    "$(pct "$f" 50%)" "$(pct "$f" 90%)" "$(pct "$f" 99%)" "$(field "$f" non2xx)" "${errors:+   $errors}"
done
awk -v s="$rss_start" -v e="$rss_end" 'BEGIN { m = s } { if ($1 > m) m = $1 }
  END { printf "  server rss: %.1f MB at the start, %.1f MB at the end, %.1f MB at most; growth %+.1f%%\n",
        s / 1024, e / 1024, m / 1024, 100 * (e - s) / s }' "$work/rss.txt"
# Growth that levels off (the route cache filling to its bound) reads differently from a leak.
awk 'NR % 6 == 0 { printf "%s%.1f", (n++ ? " " : "  server rss every 60 s (MB): "), $1 / 1024 } END { print "" }' "$work/rss.txt"
python3 - "$work/slow.json" "$work/bad-token.json" <<'PY'
import json, sys
slow, bad = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print("  slow clients: cut %d times %s, %d still open at the end" % (slow["cut"], slow["statuses"], slow["open_at_end"]))
print("  wrong tokens: %d requests, answers %s" % (bad["requests"], bad["statuses"]))
PY
