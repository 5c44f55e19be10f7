#!/usr/bin/env bash
# bench/suites.sh -- what the suite runners cost over the suites' own run
# time, measured in one run (ratios, not absolute times: machines are noisy).
#   1. lua-Harness-style TAP files on lua5.4: lvtest --suite harness -j 2
#      against 'prove -j2 --exec "lua5.4 -l profile_lua54"' on the same files.
#   2. The official Lua 5.1 suite (Debian's copy) on lua5.1: lvtest --suite
#      official (all mode) against 'lua5.1 all.lua' in a copy of the suite,
#      and per-file mode against running each file with lua5.1 in a loop.
# usage: bench/suites.sh [-n FILES] [-r ROUNDS]   (defaults: 60 files, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
nfiles=60 rounds=3
while getopts n:r: o; do case $o in n) nfiles=$OPTARG;; r) rounds=$OPTARG;; *) exit 2;; esac; done
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target lvtest >/dev/null
L=$PWD/build/default/lvtest
S51=/usr/share/gocode/src/github.com/yuin/gopher-lua/_lua5.1-tests
command -v prove >/dev/null || { echo "bench/suites.sh: needs prove (Debian package perl)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lvt-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# $nfiles TAP files of 50 assertions each, with a little work per assertion
mkdir -p "$tmp/h/test_lua"
echo 'PROFILE = "lua54"' >"$tmp/h/test_lua/profile_lua54.lua"
for i in $(seq -w 1 "$nfiles"); do
  cat >"$tmp/h/test_lua/$i-bench.t" <<'LUA'
print("1..50")
for i = 1, 50 do
  local t = {}
  for k = 1, 2000 do t[k] = k * i end
  table.sort(t, function(a, b) return a > b end)
  print(("ok %d - sorted %d"):format(i, #t))
end
LUA
done

now() { date +%s.%N; }
best() {   # best CMD...: the fastest of $rounds runs, in seconds
  local b="" t0 t1 d
  for _ in $(seq "$rounds"); do
    t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
  done
  echo "$b"
}
ratio() { echo "scale=2; $1 / $2" | bc -l; }

p=$(cd "$tmp/h/test_lua" && best prove -j2 --exec "lua5.4 -l profile_lua54" ./*.t)
l=$(best "$L" --suite harness --suite-dir "$tmp/h" --vm lua5.4 -j 2 --no-selftest -q)
printf '%-58s %8.3f s\n' "prove -j2, $nfiles TAP files on lua5.4" "$p"
printf '%-58s %8.3f s   ratio %s\n' "lvtest --suite harness -j 2, the same files" "$l" "$(ratio "$l" "$p")"

if [ -f "$S51/all.lua" ]; then
  cp -r "$S51" "$tmp/s51" && mkdir -p "$tmp/s51/libs/P1"
  a=$(cd "$tmp/s51" && best env LUA_INIT="package.path = '?;'..package.path" lua5.1 -e "_soft=true" all.lua)
  la=$(best "$L" --suite official --suite-dir "$S51" --vm lua5.1 --no-selftest -q)
  printf '%-58s %8.3f s\n' "lua5.1 all.lua (the 5.1 suite; it stops at main.lua)" "$a"
  printf '%-58s %8.3f s   ratio %s\n' "lvtest --suite official (all mode), the same" "$la" "$(ratio "$la" "$a")"
  files=$(cd "$tmp/s51" && grep -o "'[a-z]*\.lua'" all.lua | tr -d "'" | grep -v '^big.lua$' | tr '\n' ' ')
  # the same 1 GiB address-space cap lvtest gives its runs (big.lua hits it)
  loop() { ( ulimit -v 1048576; cd "$tmp/s51" && for f in $files; do
             LUA_INIT="package.path = '?;'..package.path" lua5.1 -e "_soft=true" "$f" </dev/null; done
           lua5.1 -e "local f = coroutine.wrap(loadfile'big.lua') f() f()" </dev/null ); }
  pf=$(best loop)
  lpf=$(best "$L" --suite official --suite-dir "$S51" --vm lua5.1 --official-mode per-file -j 1 --no-selftest -q)
  printf '%-58s %8.3f s\n' "lua5.1 FILE for each file in a loop (big.lua wrapped)" "$pf"
  printf '%-58s %8.3f s   ratio %s\n' "lvtest --official-mode per-file -j 1, the same files" "$lpf" "$(ratio "$lpf" "$pf")"
fi
