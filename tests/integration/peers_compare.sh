#!/usr/bin/env bash
# lvtest compare explains one real divergence per peer, and the peers
# agree where they should:
#   fengari     32-bit integers (math.maxinteger, wrap-around) against ref, lua5.3
#   gopher-lua  no goto (a 5.2 feature LuaJIT has) against luajit, lj-joff
#   wasmoon     another 5.4 release: os.date's %c pads the day with 0
#   lj-joff / lj-hot  the same binary: agree on the samples, differ on jit.status()
# and the shipped samples run on every VM (none crashes or hangs). A peer
# that is not installed fails here (run ci/bootstrap).
. "$(dirname "$0")/lib.sh"
set -e
cd "$LVT_SOURCE_DIR"

odd_one() {   # odd_one VM NAME: the comparison names VM as the odd one out
  if printf '%s\n' "$OUT" | grep -qE "odd one out: $1\$"; then ok 0 "$2"; else
    ok 1 "$2"; printf '%s\n' "$OUT" | head -30 | sed 's/^/#   /'; printf '%s\n' "$ERR" | head -5 | sed 's/^/#   err: /'; fi
}

p=$(prog intrange.lua <<'LUA'
print(math.maxinteger)
print(math.maxinteger + 1 < 0)
print(1 << 31)
LUA
)
run_lvtest compare "$p" --vm ref --vm lua5.3 --vm fengari
is_rc 1 "fengari: a divergence (exit 1)"
odd_one fengari "fengari is the odd one out"
has 'fengari: "2147483647"' out "... shown at the first differing line: 32-bit math.maxinteger"
has 'ref: "9223372036854775807"' out "... against ref's 64-bit one"

p=$(prog goto.lua <<'LUA'
goto skip
print("not skipped")
::skip::
print("after the label")
LUA
)
run_lvtest compare "$p" --vm luajit --vm lj-joff --vm gopher-lua
is_rc 1 "gopher-lua: a divergence (exit 1)"
odd_one gopher-lua "gopher-lua is the odd one out"
has "gopher-lua: error (string)" out "... it cannot parse goto"
has "luajit: ok" out "... which LuaJIT runs"

p=$(prog date.lua <<'LUA'
print(os.date("!%c", 0))
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365))
LUA
)
run_lvtest compare "$p" --vm ref --vm lua5.4 --vm wasmoon
is_rc 1 "wasmoon: a divergence (exit 1)"
odd_one wasmoon "wasmoon is the odd one out"
has 'wasmoon: "Thu Jan 01 00:00:00 1970"' out "... its C library's %c pads the day"
has 'ref: "Thu Jan  1 00:00:00 1970"' out "... glibc's does not"

run_lvtest compare corpus/seeds/*.lua --vm ref --vm wasmoon
is_rc 0 "wasmoon agrees with ref on every shipped sample"

p=$(prog jit.lua <<'LUA'
local s = 0
for i = 1, 1000 do s = s + i end
print(s, (jit.status()))
LUA
)
run_lvtest compare "$p" --vm lj-joff --vm lj-hot
is_rc 1 "lj-joff and lj-hot: the JIT state differs"
has 'lj-joff: "500500\tfalse"' out "... lj-joff runs with the JIT off"
has 'lj-hot: "500500\ttrue"' out "... lj-hot with it on, and the loop's result is the same"
run_lvtest compare corpus/seeds/*.lua --vm lj-joff --vm lj-hot --vm luajit
is_rc 0 "lj-joff, lj-hot and luajit agree on every shipped sample"

# The shipped samples on every VM found: each one runs, none crashes or hangs.
run_lvtest compare corpus/seeds/*.lua --vm all --json "$T_TMP/all.json"
python3 - "$T_TMP/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = {v["name"] for v in d["vms"] if v.get("usable")}
want = {"ref", "lua5.1", "lua5.2", "lua5.3", "lua5.4", "luajit", "lj-joff", "lj-hot",
        "gopher-lua", "fengari", "wasmoon"}
assert want <= names, sorted(want - names)
bad = [(p["name"], r["vm"], r["outcome"]) for p in d["programs"] for r in p["results"]
       if r["outcome"] in ("crash", "timeout", "memory", "unsupported")]
assert not bad, bad
n = sum(len(p["results"]) for p in d["programs"])
print("# %d programs x %d VMs: %d results, none crashed or hung" % (len(d["programs"]), len(names), n))
PY
ok $? "compare over the samples ran on all 11 VMs, nothing crashed or hung"

done_testing
