#!/usr/bin/env bash
# The man page and the completions the build writes (caravan manpage,
# caravan completion bash|zsh) against what `caravan --help` says: every
# command and every option of the help is in the man page, groff reads the page
# without a warning, and the completions offer the commands and options.
#   shell_docs_test.sh CARAVAN_BINARY SHELL_DOCS_DIR
set -euo pipefail
caravan=$1 docs=$2
passed=0 failed=0
check() {
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $what"; else failed=$((failed + 1)); echo "not ok - $what"; fi
}
man=$docs/caravan.1

# ---- man page -----------------------------------------------------------------
warnings=$(groff -man -ww -z "$man" 2>&1 || true)
check "groff reads caravan.1 without a warning${warnings:+: $warnings}" test -z "$warnings"
text=$(MANWIDTH=200 man -l "$man" 2>/dev/null)
check "the page names the version of the program ($("$caravan" --version))" grep -qF "$("$caravan" --version)" <<<"$text"
# The commands --help lists, and theirs: `route`, `data check`, …
subcommands() { "$caravan" "$@" --help | awk '/^Subcommands:/ {on = 1; next} on && /^$/ {exit} on && /^  [a-z]/ {print $1}'; }
commands=()
for c in $(subcommands); do
  commands+=("$c")
  for s in $(subcommands "$c"); do commands+=("$c $s"); done
done
check "--help lists commands (${commands[*]})" test "${#commands[@]}" -ge 8
for c in "${commands[@]}"; do
  check "the man page has a section for caravan $c" grep -qE "^   caravan $c( |$)" <<<"$text"
  # Every option the command's --help shows is described in the page.
  for o in $("$caravan" $c --help | grep -oE '^  (-[a-z],)?--[a-z-]+' | grep -oE -- '--[a-z-]+' | grep -v -- '--help'); do
    grep -qF -- "$o" <<<"$text" || { failed=$((failed + 1)); echo "not ok - caravan $c $o is not in the man page"; }
  done
done
check "exit codes and the environment are documented" grep -q 'CARAVAN_DATA' <<<"$text"
# The request layer's wording (caravan/request.h) reaches the page.
check "the page says --avoid takes country names" grep -q 'ISO 3166-1 alpha-2 codes or names' <<<"$text"
check "the page says lists are comma-separated or repeated" grep -q 'comma-separated or repeated' <<<"$text"
check "the page lists route's csv format" grep -q 'geojson or csv' <<<"$text"

# ---- bash ---------------------------------------------------------------------
complete_bash() {  # complete_bash WORD... : what bash offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _caravan; echo "${COMPREPLY[*]}"' _ \
    "$docs/caravan.bash" "$@"
}
check "bash: caravan r → route" test "$(complete_bash caravan r)" = "route"
check "bash: caravan data ex → export" test "$(complete_bash caravan data ex)" = "export"
check "bash: caravan route xian tashkent --dep → --depart" test "$(complete_bash caravan route xian tashkent --dep)" = "--depart"
check "bash: caravan data export --fo → --format" test "$(complete_bash caravan data export --fo)" = "--format"
check "bash: caravan route a b --cargo → --cargo-tonnes" test "$(complete_bash caravan route a b --cargo)" = "--cargo-tonnes"
check "bash: caravan compare --base → --base-scenario" test "$(complete_bash caravan compare --base)" = "--base-scenario"
# Values of the request options come from their table: route's --by differs from simulate's.
check "bash: caravan route a b --unit <tab> → TEU FEU FEU_HC KG" \
  test "$(complete_bash caravan route a b --unit '')" = "TEU FEU FEU_HC KG"
check "bash: caravan route a b --by <tab> → pareto time cost co2 generalized" \
  test "$(complete_bash caravan route a b --by '')" = "pareto time cost co2 generalized"
check "bash: caravan simulate --by <tab> → time cost co2" test "$(complete_bash caravan simulate --by '')" = "time cost co2"
check "bash: caravan simulate --service-capacity p → per-run" \
  test "$(complete_bash caravan simulate --service-capacity p)" = "per-run"
check "bash: caravan route a b --mode <tab> → the modes" test "$(complete_bash caravan route a b --mode '')" = "rail road ferry sea air"
check "bash: a place is not completed with commands" test -z "$(complete_bash caravan route x)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
touch "$dir/green-lanes.toml"
check "bash: --scenario completes file names" test "$(complete_bash caravan route a b --scenario "$dir/gr")" = "$dir/green-lanes.toml"
touch "$dir/flows.csv"
check "bash: --demand completes file names" test "$(complete_bash caravan simulate --demand "$dir/fl")" = "$dir/flows.csv"
check "bash: completion's shell argument gets nothing but options after a dash" \
  test "$(complete_bash caravan completion --h)" = "--help"

# ---- zsh ----------------------------------------------------------------------
if command -v zsh >/dev/null; then
  check "zsh parses _caravan" zsh -n "$docs/_caravan"
  complete_zsh() {  # what _caravan hands to _describe, compadd or _files
    zsh -fc '_describe() { print -l -- ${(P)${@[-1]}} }; compadd() { shift; print -l -- "$@" }; _files() { print _files }
             words=(caravan); CURRENT=2; source "$1" >/dev/null; shift
             words=("$@"); CURRENT=$#; _caravan' _ "$docs/_caravan" "$@"
  }
  check "zsh: caravan <tab> offers route with its description" grep -q '^route:Plan' <<<"$(complete_zsh caravan '')"
  check "zsh: caravan data <tab> offers export" grep -q '^export:' <<<"$(complete_zsh caravan data '')"
  check "zsh: caravan route a b -<tab> offers --deadline" grep -q '^--deadline:' <<<"$(complete_zsh caravan route a b -)"
  check "zsh: caravan route a b --by <tab> offers the objectives" \
    test "$(complete_zsh caravan route a b --by '' | tr '\n' ' ')" = "pareto time cost co2 generalized "
  check "zsh: --data completes files" test "$(complete_zsh caravan matrix --data '')" = "_files"
else
  echo "# zsh not installed: zsh checks skipped (scripts/install-deps installs it)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
