#!/usr/bin/env bash
# `make package` (CPack) makes one .deb; unpacked into a temporary root with
# dpkg -x, its caravan plans a route with the dataset it carries and serves the
# web map it carries, with no flag or variable pointing at either. Both are
# marked in the unpacked copy, so the answers cannot come from the build tree.
#   package_test.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $what"; else failed=$((failed + 1)); echo "not ok - $what"; fi
}

(cd "$build" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
debs=("$tmp"/out/*.deb)
check "one .deb is made (${debs[*]##*/})" test "${#debs[@]}" -eq 1 -a -f "${debs[0]}"
deb=${debs[0]}
echo "# $(du -h "$deb" | cut -f1) ${deb##*/}"
info=$(dpkg-deb --info "$deb")
check "the package is named caravan" grep -q '^ Package: caravan$' <<<"$info"
check "it depends on tzdata and the shared libraries it links" grep -Eq '^ Depends: .*tzdata.*' <<<"$info"
check "it depends on libc (from dpkg-shlibdeps)" grep -Eq '^ Depends: .*libc6' <<<"$info"

root=$tmp/root
dpkg -x "$deb" "$root"
for f in usr/bin/caravan usr/share/caravan/central-asia/dataset.toml usr/share/man/man1/caravan.1 \
         usr/share/bash-completion/completions/caravan usr/share/zsh/vendor-completions/_caravan \
         usr/include/caravan/route.h usr/include/caravan/request.h; do
  check "the package holds /$f" test -e "$root/$f"
done
check "the package holds the CMake package" test -n "$(find "$root/usr/lib" -name caravanConfig.cmake)"

sed -i 's/^version = .*/version = "0.0.0-unpacked"/' "$root/usr/share/caravan/central-asia/dataset.toml"
out=$(cd / && env -u CARAVAN_DATA -u CARAVAN_WEB "$root/usr/bin/caravan" route xian tashkent --depart 2026-03-02T08:00+08:00)
check "caravan route runs from the unpacked package" grep -q '^Xi.an → Tashkent: 1 × FEU' <<<"$out"
check "… on the dataset the package carries" grep -q 'Dataset central-asia 0.0.0-unpacked' <<<"$out"
check "… with options leg by leg" grep -q 'border' <<<"$out"
# A scenario by its id is read from the packaged dataset: it changes the answer.
run_json() { (cd / && env -u CARAVAN_DATA "$root/usr/bin/caravan" route xian tashkent --depart 2026-03-02T08:00+08:00 "$@" --format json); }
# The answers go through files: a Pareto set's JSON is longer than an argument may be.
run_json --scenario green-lanes >"$tmp/with.json"
run_json >"$tmp/without.json"
check "… with a scenario of the dataset it carries, by id" \
  python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["query"]["scenarios"] != ["green-lanes"])' \
  "$tmp/with.json"
check "… which changes the answer" \
  python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["itineraries"] == json.load(open(sys.argv[2]))["itineraries"])' \
  "$tmp/with.json" "$tmp/without.json"

if [ -f "$root/usr/share/caravan/web/index.html" ]; then
  echo '<!-- unpacked copy -->' >>"$root/usr/share/caravan/web/index.html"
  (cd / && exec env -u CARAVAN_DATA -u CARAVAN_WEB "$root/usr/bin/caravan" serve --port 0 --db :memory: \
    >"$tmp/serve.out" 2>"$tmp/serve.err") &
  server=$!
  url=""
  for _ in $(seq 1 300); do
    url=$(grep -m1 '^http://127.0.0.1:' "$tmp/serve.out" || true)
    [ -n "$url" ] && break
    sleep 0.1
  done
  page=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' "$url" || true)
  check "caravan serve finds the web map it carries, without --web" grep -q 'unpacked copy' <<<"$page"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
