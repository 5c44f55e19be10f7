#!/usr/bin/env bash
# 'lvtest fuzz' with the real binary and real VMs: usage errors, exact
# counts with --runs, a planted real divergence (lua5.4 with math.max
# patched before its driver starts) found, written as a complete finding
# directory and deduplicated by signature, a VM that crashes on every
# program, unspecified behaviour dropped by the reference noise check, and
# an --out that cannot take data failing fast. Programs come from fixture
# files (--replay) so that each case is exact; fuzz_gen.sh covers the
# generator.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_fuzz.sh"
# no set -e: every check reports, none ends the script
: "${LVT_TEST_VMS:?LVT_TEST_VMS must name the misbehaving VMs directory}"

pairs_order=$(prog pairs.lua <<'LUA'
-- the order of pairs() is unspecified: it follows the string hash seed
local t = {}
for i = 1, 40 do t["k" .. i] = i end
local s = {}
for k in pairs(t) do s[#s + 1] = k end
print(table.concat(s, " "))
LUA
)
crash=$(prog crash.lua <<'LUA'
print("MISBEHAVE")
LUA
)

# --- usage errors: exit 2, before anything runs ---------------------------
for bad in "--profile 5.9" "--profile portable,x" "--seed -1" "--seed 0xZZ" \
           "--seed 99999999999999999999999" "--time 0" "--time 10x" "--runs 0" \
           "--runs many" "--jobs 0" "--metamorphic 65" "--metamorphic x" \
           "--time 1s --runs 5" "--frob"; do
  # shellcheck disable=SC2086
  fz fuzz $bad --out "$T_TMP/never"
  is_rc 2 "fuzz $bad: usage error, exit 2"
done
[ ! -e "$T_TMP/never" ]; ok $? "usage errors create no campaign directory"
fz fuzz --replay "$T_TMP/missing.lua" --out "$T_TMP/never"
is_rc 2 "a missing --replay file: exit 2"
fz help fuzz
is_rc 0 "help fuzz: exit 0"
has "--metamorphic K" out "help fuzz names the options"
has "--whole" out "... --whole among them"

# --- --runs N: exact counts, no findings, exit 0 ---------------------------
fz fuzz --replay "$plain" --vm ref --vm lua5.4 --runs 30 --seed 7 -j 2 \
  --out "$T_TMP/c1" --metamorphic 0 --timeout 60s
is_rc 0 "agreeing VMs: exit 0"
has "fuzz: 30 programs in the campaign, 30 in this run" out "exactly 30 programs ran"
has "ref          ok 30" out "ref ran each program once"
has "lua5.4       ok 30" out "lua5.4 ran each program once"
grep -q '"next": 30' "$T_TMP/c1/state.json"; ok $? "state.json says the next program is 30"
[ ! -s "$T_TMP/c1/findings/index.jsonl" ]; ok $? "no occurrence recorded"

# --- a planted divergence: found, complete, deduplicated ------------------
fz fuzz --replay "$max" --replay "$plain" --vm ref --vm "$BAD" --runs 20 --seed 1 \
  --profile 5.4 --out "$T_TMP/c2" --metamorphic 0 -j 2 --timeout 60s
is_rc 1 "a divergence: exit 1"
has "findings: 10 divergences, 0 crashes" out "every program with math.max diverges (10 of 20)"
has "1 unique signature" out "... one signature"
has "divergence {ref}=ok / {bad}=ok @cs#" out "the signature names who disagrees and where"
n=$(find "$T_TMP/c2/findings" -mindepth 1 -maxdepth 1 -type d -name 'divergence-*' | wc -l)
[ "$n" = 3 ]; ok $? "3 examples kept for the signature (got $n)"
[ "$(wc -l <"$T_TMP/c2/findings/index.jsonl")" = 10 ]; ok $? "index.jsonl has all 10 occurrences"
d=$(find "$T_TMP/c2/findings" -mindepth 1 -maxdepth 1 -type d -name 'divergence-*' | sort | head -1)
for f in program.lua finding.json repro.sh result-ref.json result-bad.json; do
  [ -s "$d/$f" ]; ok $? "the finding directory has $f"
done
grep -q '"label": "deterministic"' "$d/finding.json"; ok $? "the finding is labelled deterministic"
grep -q '"seed": "0x' "$d/finding.json"; ok $? "finding.json has the seed"
grep -qF '"output": "cs1\t4 4 4 5 6\n"' "$d/result-bad.json"; ok $? "bad's result has its wrong output"
cmp -s "$d/program.lua" "$max"; ok $? "program.lua is the program"
set +e; LVTEST="$LVTEST" sh "$d/repro.sh" >"$T_TMP/repro.out" 2>&1; rrc=$?; set -e
[ "$rrc" = 1 ] && grep -q "1 diverge" "$T_TMP/repro.out"; ok $? "repro.sh shows the divergence again"
[ -z "$(find "$T_TMP/c2" -name '.tmp-*')" ]; ok $? "no temporary left"

# --- metamorphic: one VM whose math.max depends on the line it is called
# from; equivalent variants of a program differ on it -------------------
LINE="name=line,cmd=\"lua5.4 -e 'local m=math.max; math.max=function(...) return m(...) + debug.getinfo(2).currentline end'\""
fz fuzz --replay "$max" --vm "$LINE" --runs 4 --seed 2 --profile 5.4 --metamorphic 2 -j 1 \
  --out "$T_TMP/c5" --timeout 60s
is_rc 1 "a metamorphic finding with a single VM: exit 1"
has "metamorphic line ok/ok @cs#" out "signature: the VM, both outcomes, where"
has "not compared (one VM): 4" out "one VM: nothing compared across VMs"
d=$(find "$T_TMP/c5/findings" -mindepth 1 -maxdepth 1 -type d -name 'metamorphic-*' | sort | head -1)
for f in program.lua variant.lua result-line.json variant-result-line.json finding.json repro.sh; do
  [ -s "$d/$f" ]; ok $? "the metamorphic finding has $f"
done
cmp -s "$d/program.lua" "$d/variant.lua"; [ $? = 1 ]; ok $? "the variant is another program"
grep -q '"applied": "' "$d/finding.json"; ok $? "finding.json says what the variant rewrote"
fz fuzz --replay "$max" --vm ref --runs 4 --seed 2 --profile 5.4 --metamorphic 2 -j 1 \
  --out "$T_TMP/c6" --timeout 60s
is_rc 0 "the same variants on the reference: no finding"
has "variants: 8 (0 could not be made)" out "... 2 variants of each of the 4 programs ran"

# --- a VM that crashes on every program: recorded, the campaign goes on ---
fz fuzz --replay "$crash" --vm ref --vm "name=segv,cmd=$LVT_TEST_VMS/segv,lvx=1" \
  --profile portable --runs 12 --out "$T_TMP/c3" --metamorphic 0 -j 1 --timeout 5s
is_rc 1 "crashes: exit 1"
has "fuzz: 12 programs in the campaign" out "all 12 programs ran despite the crashes"
has "findings: 0 divergences, 12 crashes" out "every crash counted"
has "crash segv signal 11" out "signature: the VM and the signal"
[ "$(find "$T_TMP/c3/findings" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 3 ]
ok $? "3 examples of the one crash signature"

# --- a VM that hangs or floods on every program: the campaign goes on -----
fz fuzz --replay "$crash" --vm ref --vm "name=hang,cmd=$LVT_TEST_VMS/hang,lvx=1" \
  --profile portable --runs 3 --out "$T_TMP/c7" --metamorphic 0 -j 1 --timeout 300ms
is_rc 1 "a hanging VM: exit 1"
has "fuzz: 3 programs in the campaign" out "all 3 programs ran despite the hangs"
has "divergence {ref}=ok / {hang}=timeout" out "a hang is a divergence: timeout against ok"
fz fuzz --replay "$crash" --vm ref --vm "name=flood,cmd=$LVT_TEST_VMS/flood,lvx=1" \
  --profile portable --runs 3 --out "$T_TMP/c8" --metamorphic 0 -j 1 --max-output 64K
is_rc 1 "a flooding VM: exit 1"
has "fuzz: 3 programs in the campaign" out "all 3 programs ran despite the floods"
has "crash flood" out "a flood is recorded as that VM's crash"

# --- a VM that cannot be restarted: marked broken, the campaign goes on ---
# (a real segfaulting VM behind a wrapper that refuses a 4th start: the
# start and the self-tests' restarts use 3)
printf '%s\n' '#!/bin/sh' \
  "n=\$(cat '$T_TMP/starts' 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >'$T_TMP/starts'" \
  '[ $n -gt 3 ] && { echo "no more starts" >&2; exit 1; }' \
  "exec '$LVT_TEST_VMS/segv'" >"$T_TMP/dying.sh"
chmod +x "$T_TMP/dying.sh"
fz fuzz --replay "$crash" --vm ref --vm "name=dying,cmd=$T_TMP/dying.sh,lvx=1" \
  --profile portable --runs 5 -j 1 --out "$T_TMP/c9" --metamorphic 0
is_rc 1 "a VM that breaks: exit 1"
has "fuzz: 5 programs in the campaign" out "all 5 programs ran"
has "ref          ok 5" out "the reference ran every program"
has "BROKEN (could not be restarted)" out "the summary marks the VM broken"
has "--vm dying: broken (worker 0): dying failed to start 3 times in a row" err \
  "the moment it broke is reported, with the reason"
has "[unconfirmed]" err "its last crash could not be re-run: labelled unconfirmed"

# --- unspecified behaviour: dropped and counted, never a finding ----------
fz fuzz --replay "$pairs_order" --vm ref --vm lua5.4 --runs 6 --seed 3 \
  --out "$T_TMP/c4" --metamorphic 0 -j 1 --timeout 60s
has "dropped as unspecified behaviour: 6" out "every pairs-order program is dropped and counted"
has "findings: 0 divergences" out "... and is no finding"
is_rc 0 "nothing found: exit 0"

# --- an --out that cannot take data fails fast ------------------------------
: >"$T_TMP/afile"
fz fuzz --replay "$plain" --vm ref --out "$T_TMP/afile/sub" --runs 5
is_rc 3 "--out under a regular file: exit 3"
has "Not a directory" err "... says why"
if [ "$(id -u)" = 0 ] && mkdir -p "$T_TMP/full" "$T_TMP/ro" &&
   mount -t tmpfs -o size=16k tmpfs "$T_TMP/full" 2>/dev/null; then
  mount -t tmpfs -o ro,size=16k tmpfs "$T_TMP/ro"
  t0=$(date +%s%N)
  fz fuzz --replay "$plain" --vm ref --out "$T_TMP/full/c" --runs 5
  t1=$(date +%s%N)
  umount "$T_TMP/full"
  is_rc 3 "--out on a full disk: exit 3"
  has "No space left on device" err "... says the disk is full"
  [ $(((t1 - t0) / 1000000)) -lt 2000 ]; ok $? "... before starting any VM ($(((t1 - t0) / 1000000)) ms)"
  fz fuzz --replay "$plain" --vm ref --out "$T_TMP/ro/c" --runs 5
  umount "$T_TMP/ro"
  is_rc 3 "--out on a read-only file system: exit 3"
  has "Read-only file system" err "... says so"
else
  echo "# SKIP full and read-only disk checks: needs root to mount a tiny tmpfs"
  chmod 0500 "$T_TMP/afile" 2>/dev/null || true
fi

done_testing
