#!/usr/bin/env bash
# lvtest compare on the real system Luas: agreement, a real divergence
# between dialects with the first differing line, the odd one out, error
# kinds vs --strict-errors, address normalisation, JSON output.
. "$(dirname "$0")/lib.sh"
set -e

same=$(prog same.lua <<'LUA'
local t = {}
for i = 1, 10 do t[i] = i * i end
print(table.concat(t, " "), ("x"):rep(3), #t)
print({}, t, t)
LUA
)
run_lvtest compare "$same" --vm ref --vm lua5.1 --vm lua5.2 --vm lua5.3 --vm lua5.4 --vm luajit
is_rc 0 "a portable program agrees everywhere: exit 0"
has "agree (6 VMs" out "... on all six VMs (addresses normalised)"

div=$(prog div.lua <<'LUA'
print("half", 10 / 2)
LUA
)
run_lvtest compare "$div" --vm ref --vm lua5.4 --vm lua5.3 --vm lua5.1
is_rc 1 "10/2 diverges between 5.1 and 5.3+: exit 1"
has "DIVERGE" out "... reported as a divergence"
has "lua5.1" out "... naming lua5.1"
has 'ref: "half\t5.0"' out "... showing the 5.3 line"
has 'lua5.1: "half\t5"' out "... and the 5.1 line"
has "odd one out: lua5.1" out "... naming the odd one out"
has "dialect" out "... and saying the split follows dialects"

run_lvtest compare "$div" --vm ref --vm lua5.4 --vm lua5.3 --vm lua5.1 --by-dialect
is_rc 0 "--by-dialect: no group disagrees within itself: exit 0"

msg=$(prog msg.lua <<'LUA'
local t = nil
local ok, e = pcall(function() return t.x end)
print(ok)
error("stop: " .. tostring(t == nil))
LUA
)
run_lvtest compare "$msg" --vm lua5.1 --vm lua5.4
is_rc 0 "error messages of the same kind agree by default"
run_lvtest compare "$msg" --vm lua5.1 --vm lua5.4 --strict-errors
is_rc 0 "equal error values agree with --strict-errors"
msg2=$(prog msg2.lua <<'LUA'
local t = nil
error(select(2, pcall(function() return t.x end)))
LUA
)
run_lvtest compare "$msg2" --vm lua5.1 --vm lua5.4
is_rc 0 "different messages, same kind: agree by default"
run_lvtest compare "$msg2" --vm lua5.1 --vm lua5.4 --strict-errors
is_rc 1 "different messages diverge with --strict-errors"

bin=$(prog bin.lua <<'LUA'
io.write("\255\0\1 tail")
LUA
)
run_lvtest compare "$bin" "$div" --vm ref --vm lua5.1 --json "$T_TMP/out.json"
is_rc 1 "compare with --json still exits 1 on the divergence"
python3 - "$T_TMP/out.json" <<'PY'
import base64, json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "lvtest-results" and d["version"] == 1, d.get("schema")
progs = d["programs"]
assert len(progs) == 2, len(progs)
def find(name):
    return [p for p in progs if p["name"].endswith(name)][0]
b = find("bin.lua")
assert [r["vm"] for r in b["results"]] == ["ref", "lua5.1"], b["results"]
for r in b["results"]:
    out = r["output"]
    assert isinstance(out, dict), out
    assert base64.b64decode(out["base64"]) == b"\xff\x00\x01 tail", out
v = find("div.lua")["verdict"]
assert v["agree"] is False, v
print("json ok")
PY
ok $? "the JSON document carries non-UTF-8 output exactly (base64)"

done_testing
