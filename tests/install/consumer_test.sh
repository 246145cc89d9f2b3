#!/usr/bin/env bash
# An install staged with DESTDIR holds the library, headers, CMake package,
# dataset, web map, man page and completions; a project outside the tree
# builds against it with find_package(caravan) and plans the same fastest
# route as `caravan route --by time`.
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
check "public headers are installed" test -f "$p/include/caravan/route.h" -a -f "$p/include/caravan/present.h"
check "a static library per module" test "$(find "$p" -name 'libcaravan_*.a' | wc -l)" -eq 10
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
got=$("$tmp/consumer/consumer" "$p/share/caravan/central-asia" xian tashkent "$depart")
want=$(CARAVAN_DATA="$source/data/central-asia" "$caravan" route xian tashkent --by time --depart "$depart" --format json |
  python3 -c 'import json, sys; it = json.load(sys.stdin)["itineraries"][0]; print("arrive %s, %d legs" % (it["arrive"], len(it["legs"])))')
check "the consumer plans what the CLI plans ($got)" test "$got" = "$want"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
