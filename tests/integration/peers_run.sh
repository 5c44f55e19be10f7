#!/usr/bin/env bash
# Each peer runs what lvx.lua runs, with the same outcomes: the start-up
# self-test programs one by one (ok with its output, error with the value's
# type, a busy loop stopped by the wall clock, a program after it), an
# instruction budget (gopher-lua has no debug.sethook: its wall clock),
# os.exit that pcall cannot catch, output captured byte for byte, files
# only in scratch. A peer that is not installed fails here (run
# ci/bootstrap).
. "$(dirname "$0")/lib.sh"
set -e
PEERS="lj-joff lj-hot gopher-lua fengari wasmoon"

outcome() {   # outcome VM TEXT NAME: "-- VM: TEXT" in $OUT
  if printf '%s\n' "$OUT" | grep -qF -- "-- $1: $2"; then ok 0 "$3"; else
    ok 1 "$3"; printf '%s\n' "$OUT" | head -30 | sed 's/^/#   /'; printf '%s\n' "$ERR" | head -5 | sed 's/^/#   err: /'; fi
}

okp=$(prog ok.lua <<'LUA'
print('lvt' .. 'ok') return 1
LUA
)
errp=$(prog err.lua <<'LUA'
error('x')
LUA
)
errt=$(prog errt.lua <<'LUA'
error(setmetatable({}, {__tostring = function() return "custom" end}))
LUA
)
loop=$(prog loop.lua <<'LUA'
while true do end
LUA
)
after=$(prog after.lua <<'LUA'
print(1 + 1)
LUA
)
exitp=$(prog exit.lua <<'LUA'
print(pcall(function() os.exit(3) end))
print("not reached")
LUA
)
bytes=$(prog bytes.lua <<'LUA'
io.write("a\0b", 1, "\255\n") print("x", nil, true)
LUA
)
files=$(prog files.lua <<'LUA'
print(io.open("/tmp/lvt-peers-outside.txt", "w"))
local f = io.open("inside.txt", "w") f:write("kept") f:close()
print(io.open("inside.txt"):read("*a"))
LUA
)

for vm in $PEERS; do
  args=(--vm "$vm" --json "$T_TMP/$vm.json")
  run_lvtest run "$okp" "$errp" "$errt" "$after" "${args[@]}"
  outcome "$vm" "ok" "$vm: a trivial program is ok"
  has "lvtok" out "$vm: ... with its output"
  has "error (string): " out "$vm: error('x') is an error with a string value"
  has "error (table): custom" out "$vm: an error object keeps its type and its __tostring text"
  run_lvtest run "$loop" "$after" --vm "$vm" --timeout 1s
  outcome "$vm" "timeout" "$vm: a busy loop is a timeout"
  has "2" out "$vm: a program after the timeout runs"
  run_lvtest run "$loop" --vm "$vm" --instr-limit 200000 --timeout 2s
  if [ "$vm" = gopher-lua ]; then
    outcome "$vm" "timeout" "$vm: no debug.sethook: the wall clock stops the loop"
    has "wall-clock" out "$vm: ... and says so"
  elif [ "$vm" = lj-hot ]; then
    # LuaJIT runs no count hook inside a compiled trace, and lj-hot
    # compiles the loop at once: the wall clock stops it (README).
    outcome "$vm" "timeout" "$vm: a trace-compiled loop is stopped by the wall clock"
  else
    outcome "$vm" "timeout" "$vm: the instruction budget stops the loop"
    has "instruction limit" out "$vm: ... and says so"
  fi
  run_lvtest run "$exitp" "$after" --vm "$vm"
  outcome "$vm" "exit (code 3)" "$vm: os.exit inside pcall is the exit outcome"
  hasnt "not reached" out "$vm: ... pcall did not catch it"
  run_lvtest run "$bytes" --vm "$vm" --json "$T_TMP/b.json"
  python3 - "$T_TMP/b.json" "$vm" <<'PY'
import json, sys, base64
d = json.load(open(sys.argv[1]))
def find(o):
    if isinstance(o, dict):
        if o.get("vm") == sys.argv[2] and "output" in o: return o["output"]
        for v in o.values():
            r = find(v)
            if r is not None: return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r is not None: return r
out = find(d)
if isinstance(out, dict): out = base64.b64decode(out.get("base64", ""))
elif isinstance(out, str): out = out.encode("utf-8")
want = b"a\x00b1\xff\nx\tnil\ttrue\n"
assert out == want, (out, want)
PY
  ok $? "$vm: output captured byte for byte (NUL, 0xff)"
  run_lvtest run "$files" --vm "$vm"
  if [ "$vm" = fengari ]; then
    has "attempt to call a nil value" out "$vm: no io.open on fengari (recorded in its capabilities)"
  else
    has "writing outside the scratch directory is disabled by lvtest" out "$vm: writes outside scratch refused"
    has "kept" out "$vm: files written in scratch read back"
  fi
  [ ! -e /tmp/lvt-peers-outside.txt ]; ok $? "$vm: nothing written outside scratch"
done

done_testing
