#!/usr/bin/env bash
# An install staged with DESTDIR holds the library, headers, CMake package,
# dataset, web map, man page and completions; a project outside the tree
# builds against it with find_package(caravan), reads the request with the
# installed request layer and plans the same fastest route as
# `caravan route --by time`.
#   consumer_test.sh BUILD_DIR SOURCE_DIR CARAVAN_BINARY EXTRA_CXX_FLAGS
set -euo pipefail
build=$1 source=$2 caravan=$3 cxx_flags=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $what"; else failed=$((failed + 1)); echo "not ok - $what"; fi
}

DESTDIR=$tmp/stage cmake --install "$build" --prefix /usr/local >"$tmp/install.log"
p=$tmp/stage/usr/local
libdir=$(dirname "$(find "$p" -name caravanConfig.cmake)")
check "the program is installed" test -x "$p/bin/caravan"
check "public headers are installed" test -f "$p/include/caravan/route.h" -a -f "$p/include/caravan/request.h"
# core network scenario route stochastic matrix sim synth sweep request present server
check "a static library per module" test "$(find "$p" -name 'libcaravan_*.a' | wc -l)" -eq 12
check "caravanConfig.cmake with its version and targets" \
  test -f "$libdir/caravanConfigVersion.cmake" -a -f "$libdir/caravanTargets.cmake"
check "the dataset is installed" test -f "$p/share/caravan/central-asia/dataset.toml"
check "the man page is installed" test -f "$p/share/man/man1/caravan.1"
check "the bash completion is installed" test -f "$p/share/bash-completion/completions/caravan"
check "the zsh completion is installed where zsh looks under /usr/local" test -f "$p/share/zsh/site-functions/_caravan"
if [ -f "$build/web-ui/index.html" ]; then
  check "the web map is installed" test -f "$p/share/caravan/web/index.html"
fi

cmake -S "$source/tests/install/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$p" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$cxx_flags" >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/consumer" -j 2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
check "find_package(caravan) finds the staged install" grep -q "$p" "$tmp/consumer/CMakeCache.txt"

depart=2026-03-02T00:00Z
cli() {  # cli OPTIONS...: the CLI's first option, as the consumer prints it
  CARAVAN_DATA="$source/data/central-asia" "$caravan" route xian tashkent --depart "$depart" "$@" --format json |
    python3 -c 'import json, sys; it = json.load(sys.stdin)["itineraries"][0]; print("arrive %s, %d legs" % (it["arrive"], len(it["legs"])))'
}
consumer() { "$tmp/consumer/consumer" "$p/share/caravan/central-asia" from=xian to=tashkent depart="$depart" "$@"; }
got=$(consumer by=time)
check "the consumer plans what the CLI plans ($got)" test "$got" = "$(cli --by time)"
# Through the installed request layer: a comma list, and a country by its English name.
got_land=$(consumer by=time mode=rail,road)
got_avoid=$(consumer by=time mode=rail,road avoid=Kyrgyzstan)
check "by rail and road, it plans what the CLI plans ($got_land)" test "$got_land" = "$(cli --by time --mode rail --mode road)"
check "avoiding Kyrgyzstan, it plans what the CLI plans ($got_avoid)" \
  test "$got_avoid" = "$(cli --by time --mode rail,road --avoid KG)"
check "… and avoiding it changes the route" test "$got_avoid" != "$got_land"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
