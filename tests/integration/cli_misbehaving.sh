#!/usr/bin/env bash
# The real lvtest binary against deliberately misbehaving VMs (real programs
# in tests/vms/ that speak LVX and then fail in one way each, on the program
# that contains "MISBEHAVE"): the right outcome, lvtest keeps going, the
# program after the bad one still runs, nothing is lost, exit status 1.
. "$(dirname "$0")/lib.sh"
set -e
: "${LVT_TEST_VMS:?LVT_TEST_VMS must name the misbehaving VMs directory}"

# The test VMs echo a program's source as its output (and answer lvtest's
# probe and self-tests like a Lua would); these are valid Lua too.
before=$(prog before.lua <<'LUA'
print("first program")
LUA
)
bad=$(prog bad.lua <<'LUA'
print("MISBEHAVE now")
LUA
)
after=$(prog after.lua <<'LUA'
print("third program")
LUA
)

# mode  expected outcome of bad.lua  text expected in its report
check_mode() {
  local mode=$1 want=$2 says=$3 t0 t1
  t0=$(date +%s)
  run_lvtest run "$before" "$bad" "$after" --vm "name=$mode,cmd=$LVT_TEST_VMS/$mode,lvx=1" \
    --timeout 5s --max-output 64K --mem-limit 128M
  t1=$(date +%s)
  is_rc 1 "$mode: exit 1 (a result is not ok)"
  if printf '%s\n' "$OUT" | grep -A1 -- '== .*before.lua' | grep -q -- "-- $mode: ok"; then
    ok 0 "$mode: the program before runs"; else ok 1 "$mode: the program before runs"; fi
  if printf '%s\n' "$OUT" | grep -A1 -- '== .*bad.lua' | grep -q -- "-- $mode: $want"; then
    ok 0 "$mode: the bad program is '$want'"; else
    ok 1 "$mode: the bad program is '$want'"; printf '%s\n' "$OUT" | head -30 | sed 's/^/#   /'; fi
  has "$says" out "$mode: the report says '$says'"
  if printf '%s\n' "$OUT" | grep -A2 -- '== .*after.lua' | grep -q "third program"; then
    ok 0 "$mode: the program after still runs, with its output"; else
    ok 1 "$mode: the program after still runs, with its output"; printf '%s\n' "$OUT" | sed 's/^/#   /'; fi
  [ $((t1 - t0)) -lt 20 ]; ok $? "$mode: lvtest did not hang ($((t1 - t0)) s)"
}

check_mode segv crash "signal 11"
check_mode hang timeout "timeout"
check_mode flood crash "protocol"
check_mode garbage crash "protocol"
check_mode midframe crash "exit status 0"
check_mode closeout crash "protocol"
check_mode alloc memory "memory"

# floodstderr answers correctly after 8 MiB of stderr: ok, stderr kept but capped.
run_lvtest run "$bad" "$after" --vm "name=floodstderr,cmd=$LVT_TEST_VMS/floodstderr,lvx=1" --timeout 10s -v
is_rc 0 "floodstderr: a stderr flood does not block the VM nor fail the run"
has "third program" out "floodstderr: the program after runs"

# A VM that crashes on every program (and at start-up) is reported and excluded.
touch "$T_TMP/die"
run_lvtest run "$before" --vm "name=dies,cmd=env LVX_VM_DIE_IF=$T_TMP/die $LVT_TEST_VMS/echo,lvx=1" --vm lua5.4
is_rc 1 "a VM that cannot start: exit 1"
has "excluded VM dies" out "it is named as excluded, with the reason"
has "-- lua5.4: ok" out "the other VM still runs the program"

done_testing
