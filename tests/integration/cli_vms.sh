#!/usr/bin/env bash
# lvtest vms: the reference and every system Lua, with dialect and version,
# self-tested; aliases shown once; a VM that cannot start is listed FAILED;
# -v shows capabilities, 'prelude' only for VMs that really run preludes.
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

# -v, with two VMs that ignore the run frame's 'prelude' field: a real
# lua5.4 whose driver predates it, and the test VM 'echo'
: "${LVT_TEST_VMS:?LVT_TEST_VMS must name the test VMs directory}"
old=$(old_driver)
! grep -q 'prelude = prelude' "$old"; ok $? "the old driver does not pass the prelude on"
run_lvtest vms -v --vm "name=old,cmd=lua5.4 $old,lvx=1" --vm "name=echo,cmd=$LVT_TEST_VMS/echo,lvx=1"
has "capabilities: integer" out "-v shows capabilities"
has "started in" out "-v shows start-up time"
caps() { printf '%s\n' "$OUT" | awk -v n="$1" '$1 == n { getline; print; exit }'; }
for vm in ref lua5.4 luajit; do
  caps "$vm" | grep -qE '[ ,]prelude[;,]'; ok $? "$vm runs preludes: capability 'prelude'"
done
for vm in old echo; do
  c=$(caps "$vm")
  case $c in
    *capabilities:*prelude*) ok 1 "$vm ignores the prelude: probed without 'prelude'"; echo "#   $c" ;;
    *capabilities:*) ok 0 "$vm ignores the prelude: probed without 'prelude'" ;;
    *) ok 1 "$vm ignores the prelude: probed without 'prelude'"; echo "#   no capabilities: $c" ;;
  esac
done

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
