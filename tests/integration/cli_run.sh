#!/usr/bin/env bash
# lvtest run on the reference and the real system Luas: outputs, error
# values with types, os.exit, timeouts, and later programs still running.
. "$(dirname "$0")/lib.sh"
set -e

hello=$(prog hello.lua <<'LUA'
print("hello", 10 / 2)
io.write(1.0, " ", 3, "\n")
LUA
)
run_lvtest run "$hello" --vm ref --vm lua5.1 --vm lua5.4 --vm luajit
is_rc 0 "all ok: exit 0"
has "-- ref: ok" out "ref ran it"
for v in ref lua5.4; do
  if printf '%s\n' "$OUT" | grep -A2 -- "-- $v: ok" | grep -qP '^hello\t5\.0$'; then
    ok 0 "$v prints 10/2 as 5.0"; else ok 1 "$v prints 10/2 as 5.0"; fi
done
if printf '%s\n' "$OUT" | grep -A2 -- "-- lua5.1: ok" | grep -qP '^hello\t5$'; then
  ok 0 "lua5.1 prints 10/2 as 5"; else ok 1 "lua5.1 prints 10/2 as 5"; fi
has "1 3" out "io.write(1.0) writes 1 on every VM"

err=$(prog err.lua <<'LUA'
print("before")
error({code = 7})
LUA
)
run_lvtest run "$err" --vm ref --vm lua5.3
is_rc 1 "an error: exit 1"
has "-- ref: error" out "ref: error outcome"
has "error (table)" out "the error value's type is reported"
has "before" out "output before the error is kept"

ex=$(prog exit.lua <<'LUA'
print("leaving")
pcall(os.exit, 3)
print("not reached")
LUA
)
run_lvtest run "$ex" --vm ref --vm lua5.2 --vm luajit
is_rc 1 "os.exit: exit 1 (not ok)"
n=$(printf '%s\n' "$OUT" | grep -c -- ": exit (code 3)" || true)
[ "$n" = 3 ]; ok $? "os.exit(3) is the exit outcome with its code on 3 VMs, even under pcall (got $n)"
hasnt "not reached" out "nothing runs after os.exit"

loop=$(prog loop.lua <<'LUA'
while true do end
LUA
)
run_lvtest run "$loop" "$hello" --vm ref --vm lua5.4 --timeout 500ms
is_rc 1 "a timeout: exit 1"
n=$(printf '%s\n' "$OUT" | grep -c -- ": timeout" || true)
[ "$n" = 2 ]; ok $? "the busy loop times out on both VMs (got $n)"
n=$(printf '%s\n' "$OUT" | grep -c -- ": ok" || true)
[ "$n" = 2 ]; ok $? "the next program runs on both VMs after the timeout (got $n)"

run_lvtest run "$loop" --vm lua5.1 --instr-limit 100000
has "instruction limit" out "--instr-limit stops a busy loop with a reason"

syn=$(prog syn.lua <<'LUA'
local x = = 1
LUA
)
run_lvtest run "$syn" --vm ref
has "-- ref: error" out "a syntax error is an error outcome"
has "syn.lua:1:" out "... with the chunk name and line"

done_testing
