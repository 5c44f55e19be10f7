#!/usr/bin/env bash
# The peers in 'lvtest vms': lj-joff and lj-hot (luajit in two modes),
# gopher-lua, fengari and wasmoon (installed by ci/bootstrap into lvtest's
# cache) are listed, probed and self-tested (ok, error, forced crash,
# timeout, recovery); a peer that is not installed is a failure here, with
# the reason lvtest gives (CI runs ci/bootstrap first). Also: why a peer
# is absent, and naming peers with --vm.
. "$(dirname "$0")/lib.sh"
set -e

row() {   # row NAME REGEX DESCRIPTION: a row of $OUT matching ^NAME +REGEX
  local line
  line=$(printf '%s\n' "$OUT" | grep -E "^$1 " || true)
  if printf '%s\n' "$line" | grep -qE "^$1 +$2"; then ok 0 "$3"; else
    ok 1 "$3"
    if printf '%s\n' "$line" | grep -q ' absent '; then
      echo "#   $1 is not installed here: $(printf '%s' "$line" | sed 's/.* absent *//')"
      echo "#   (run ci/bootstrap; CI does)"
    else
      printf '%s\n' "$OUT" | sed 's/^/#   /'
    fi
  fi
}

run_lvtest vms
is_rc 0 "vms exits 0"
row lj-joff "luajit +Lua 5.1 / LuaJIT 2\.[0-9.a-z-]+ +pass +/[^ ]*luajit -joff$" \
    "lj-joff: luajit -joff, self-tested"
row lj-hot "luajit +Lua 5.1 / LuaJIT 2\.[0-9.a-z-]+ +pass +/[^ ]*luajit -Ohotloop=1 -Ohotexit=1$" \
    "lj-hot: luajit -Ohotloop=1 -Ohotexit=1, self-tested"
row gopher-lua "5\.1 +GopherLua [0-9.]+ +pass +/.*glua$" "gopher-lua: dialect 5.1, self-tested"
row fengari "5\.3 +Lua 5\.3 +pass +/[^ ]*node fengari\.js \(npm fengari [0-9.]+\)$" \
    "fengari: dialect 5.3, a Node shim, self-tested"
row wasmoon "5\.4 +Lua 5\.4 +pass +/[^ ]*node wasmoon\.js \(npm wasmoon [0-9.]+\)$" \
    "wasmoon: dialect 5.4, a Node shim, self-tested"
hasnt "absent" out "every peer is installed"
hasnt "FAILED" out "no VM failed to start or a self-test"

# The probe records what a peer lacks (tests needing it are skipped).
run_lvtest vms -v --vm gopher-lua
line=$(printf '%s\n' "$OUT" | grep -A1 '^gopher-lua ' | tail -1)
case $line in
  *capabilities:*goto*|*capabilities:*debug.sethook*) ok 1 "gopher-lua: no goto, no debug.sethook in its capabilities"
    echo "#   $line" ;;
  *capabilities:*) ok 0 "gopher-lua: no goto, no debug.sethook in its capabilities" ;;
  *) ok 1 "gopher-lua: no goto, no debug.sethook in its capabilities"; echo "#   $line" ;;
esac
run_lvtest vms -v --vm fengari
line=$(printf '%s\n' "$OUT" | grep -A1 '^fengari ' | tail -1)
case $line in
  *capabilities:*integer*) case $line in *int64*|*io.open*) ok 1 "fengari: 32-bit integers, no io.open"; echo "#   $line" ;;
                                         *) ok 0 "fengari: 32-bit integers, no io.open" ;; esac ;;
  *) ok 1 "fengari: 32-bit integers, no io.open"; echo "#   $line" ;;
esac

# Named one by one: --vm NAME works for each.
for p in lj-joff lj-hot gopher-lua fengari wasmoon; do
  run_lvtest vms --vm "$p"
  n=$(printf '%s\n' "$OUT" | grep -cE "^$p .* pass " || true)
  [ "$n" = 1 ]; ok $? "--vm $p: listed once, self-tested"
done

# Why a peer is absent: an empty cache, no node on PATH.
export LVT_CACHE_DIR=$T_TMP/empty-cache
run_lvtest vms
for p in gopher-lua fengari wasmoon; do
  if printf '%s\n' "$OUT" | grep -qE "^$p +- +- +absent +not installed: run ci/bootstrap"; then
    ok 0 "empty cache: $p is absent and says what to do"; else
    ok 1 "empty cache: $p is absent and says what to do"; printf '%s\n' "$OUT" | sed 's/^/#   /'; fi
done
has "$T_TMP/empty-cache" out "... naming the cache directory it looked in"
is_rc 0 "vms with absent peers still exits 0"
run_lvtest run /dev/null --vm fengari
is_rc 2 "--vm fengari when it is not installed: exit 2"
has "--vm fengari: not installed: run ci/bootstrap" err "... with the reason"
unset LVT_CACHE_DIR
nonode=$T_TMP/nonode
mkdir -p "$nonode"
ln -s "$(command -v luajit)" "$nonode/luajit"
OUT=$(env PATH="$nonode" "$LVTEST" vms 2>&1 || true)
has "node not found on PATH" out "no node on PATH: the Node peers say so"
row lj-joff "luajit .* pass " "... while lj-joff still runs"

done_testing
