#!/usr/bin/env bash
# lvtest vms: the reference and every system Lua, with dialect and version,
# self-tested; aliases shown once; a VM that cannot start is listed FAILED.
. "$(dirname "$0")/lib.sh"
set -e

run_lvtest vms
is_rc 0 "vms exits 0"
has "NAME" out "a table header"
for row in "ref  *5.4  *Lua 5.4  *pass" "lua5.1  *5.1  *Lua 5.1  *pass" \
           "lua5.2  *5.2  *Lua 5.2  *pass" "lua5.3  *5.3  *Lua 5.3  *pass" \
           "lua5.4  *5.4  *Lua 5.4  *pass" "luajit  *luajit  *Lua 5.1 / LuaJIT 2.1"; do
  if printf '%s\n' "$OUT" | grep -qE "^$row"; then ok 0 "row: $row"; else
    ok 1 "row: $row"; printf '%s\n' "$OUT" | sed 's/^/#   /'; fi
done
has "linked in (Lua 5.4" out "ref says it is linked in, with its release"
has "(also: lua)" out "'lua' is shown as an alias of the binary it is"
n=$(printf '%s\n' "$OUT" | grep -cE '^lua ' || true)
ok "$n" "'lua' has no row of its own"

run_lvtest vms -v
has "capabilities: integer" out "-v shows capabilities"
has "started in" out "-v shows start-up time"

run_lvtest vms --vm "name=broken,cmd=false"
is_rc 0 "vms with a VM that cannot start still exits 0"
if printf '%s\n' "$OUT" | grep -qE '^broken .*FAILED'; then ok 0 "broken is listed FAILED"; else
  ok 1 "broken is listed FAILED"; printf '%s\n' "$OUT" | sed 's/^/#   /'; fi
has "1 failed" out "the summary counts it"

run_lvtest vms --vm "name=lj-joff,cmd=luajit -joff"
if printf '%s\n' "$OUT" | grep -qE '^lj-joff +luajit .*pass +/usr/bin/luajit -joff'; then
  ok 0 "a key=value VM is probed and self-tested"; else
  ok 1 "a key=value VM is probed and self-tested"; printf '%s\n' "$OUT" | sed 's/^/#   /'; fi

done_testing
