#!/usr/bin/env bash
# The golden runner fails with a diff when an answer changes, and --update
# writes the answer of today back.
#   golden_runner_test.sh CARAVAN_BINARY
set -euo pipefail
caravan=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
golden=$here/golden/route-unknown-place.txt
sed 's/unknown place/strange place/' "$golden" >"$tmp/changed.txt"
passed=0 failed=0
check() {
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $what"; else failed=$((failed + 1)); echo "not ok - $what"; fi
}
rc=0
out=$("$here/golden/run" "$caravan" "$tmp/changed.txt") || rc=$?
check "a changed answer fails (exit $rc)" test "$rc" -eq 1
check "… and shows the old line" grep -q '^-caravan: to: strange place' <<<"$out"
check "… and the new line" grep -q '^+caravan: to: unknown place' <<<"$out"
"$here/golden/run" --update "$caravan" "$tmp/changed.txt" >/dev/null
check "--update writes today's answer" cmp -s "$tmp/changed.txt" "$golden"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
