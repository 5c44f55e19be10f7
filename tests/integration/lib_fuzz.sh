# lib_fuzz.sh -- sourced by the fuzz_*.sh tests (after lib.sh): what they
# share. Not a test itself (tests/CMakeLists.txt leaves lib*.sh out).

# run_lvtest leaves 'set -e' on; these checks report failures instead
fz() { run_lvtest "$@"; set +e; }

# A lua5.4 whose math.max answers one too much (a real VM with a real bug).
BAD="name=bad,cmd=\"lua5.4 -e 'local m=math.max; math.max=function(...) return m(...)+1 end'\""

# Two fixture programs: one that meets the bug, one that does not.
max=$(prog max.lua <<'LUA'
local t = {}
for i = 1, 5 do t[i] = math.max(i, 3) end
print("cs1", table.concat(t, " "))
LUA
)
plain=$(prog plain.lua <<'LUA'
local s = 0
for i = 1, 100 do s = s + i % 7 end
print("cs1", s)
LUA
)
