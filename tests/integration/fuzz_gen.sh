#!/usr/bin/env bash
# 'lvtest fuzz' with the generator, 'lvtest gen' and 'lvtest variant': the
# same seed gives the same programs and the same findings; a real VM with a
# planted bug (lua5.4 whose string.format adds a digit to long numbers) is
# found in generated programs, deduplicated by signature; the split form
# and --whole give the same results; --time stops a campaign; gen prints
# exactly the programs fuzz runs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_fuzz.sh"

BAD="name=bad,cmd=\"lua5.4 -e 'local f=string.format; string.format=function(...) local r=f(...) if tonumber(r) and #r > 16 then r = r .. 0 end return r end'\""

# --- gen: deterministic, the header says how each program was made --------
fz gen --seed 5 --runs 3
is_rc 0 "gen --runs 3: exit 0"
first=$OUT
[ "$(printf '%s\n' "$OUT" | grep -c '^-- lvtest-gen 1 profile=')" = 3 ]
ok $? "three programs, each with its header"
has "profile=portable" out "profiles rotate: portable"
has "profile=5.4" out "... and 5.4"
fz gen --seed 5 --runs 3
[ "$OUT" = "$first" ]; ok $? "the same seed gives the same programs"
fz gen --seed 6 --runs 3
[ "$OUT" != "$first" ]; ok $? "another seed gives other programs"
fz gen --seed 5 --runs 4 --profile 5.4 --out "$T_TMP/progs"
is_rc 0 "gen --out: exit 0"
[ -s "$T_TMP/progs/prog-0.lua" ] && [ -s "$T_TMP/progs/prog-3.lua" ]; ok $? "gen --out writes prog-<i>.lua"
fz run "$T_TMP"/progs/prog-*.lua --vm ref --deterministic
is_rc 0 "generated 5.4 programs all run ok on the reference"
fz variant -k 2 "$T_TMP/progs/prog-1.lua"
is_rc 0 "variant: exit 0"
printf '%s\n' "$OUT" >"$T_TMP/var.lua"
cmp -s "$T_TMP/var.lua" "$T_TMP/progs/prog-1.lua"; [ $? = 1 ]; ok $? "the variant is another program"
fz run "$T_TMP/progs/prog-1.lua" --vm ref --deterministic
o1=$(printf '%s\n' "$OUT" | grep -v '^-- ref:' | grep -v '^==')
fz run "$T_TMP/var.lua" --vm ref --deterministic
o2=$(printf '%s\n' "$OUT" | grep -v '^-- ref:' | grep -v '^==')
[ -n "$o1" ] && [ "$o1" = "$o2" ]; ok $? "... with the same output on the reference"
fz variant "$T_TMP/missing.lua"
is_rc 2 "variant of a missing file: exit 2"

# --- --size: the generator's size target, part of the campaign -------------
fz gen --seed 5 --runs 6 --size 512 -q
small=$OUT
fz gen --seed 5 --runs 6 -q
[ ${#small} -gt 0 ] && [ ${#small} -lt ${#OUT} ]; ok $? "gen --size 512 makes smaller programs (${#small} bytes < ${#OUT})"
printf '%s\n' "$small" | grep -q '^-- lvtest-gen 1 .* size=512'; ok $? "the header records the size"
fz gen --size 100
is_rc 2 "--size below 256: usage error"
fz fuzz --vm ref --runs 6 --size 512 --seed 5 --metamorphic 0 --out "$T_TMP/sz" -q
[ "$RC" = 0 ] || [ "$RC" = 1 ]; ok $? "fuzz --size 512 ran (exit $RC)"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["size"] == 512 else 1)' "$T_TMP/sz/state.json"
ok $? "state.json records the size"
fz fuzz --out "$T_TMP/sz" --size 1024 --runs 8 -q
is_rc 2 "resuming with another --size is refused (exit 2)"
has "--size" err "... naming the option"
fz fuzz --out "$T_TMP/sz" --runs 8 -q
[ "$RC" = 0 ] || [ "$RC" = 1 ]; ok $? "resuming without --size takes it from state.json (exit $RC)"

# --- a planted bug in generated programs: found, one signature -------------
args=(--vm ref --vm "$BAD" --runs 120 --seed 3 --profile 5.4 --metamorphic 1 -j 2 --timeout 60s)
fz fuzz "${args[@]}" --out "$T_TMP/a"
is_rc 1 "the planted bug is found: exit 1"
has "divergence {ref}=ok / {bad}=ok @cp" out "the signature: bad against ref, at a checkpoint line"
has "1 unique signature" out "all its occurrences share one signature"
n=$(wc -l <"$T_TMP/a/findings/index.jsonl")
[ "$n" -ge 3 ]; ok $? "several programs hit it ($n occurrences, all indexed)"
d=$(find "$T_TMP/a/findings" -mindepth 1 -maxdepth 1 -type d | sort | head -1)
grep -q '^-- lvtest-gen 1 profile=5.4' "$d/program.lua"; ok $? "the finding keeps the generated program with its header"

# --- determinism: the same seed, the same findings -------------------------
fz fuzz "${args[@]}" --out "$T_TMP/b"
keys() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j["index"], j["seed"], j["kind"], j["signature"])' "$1" | sort; }
[ "$(keys "$T_TMP/a/findings/index.jsonl")" = "$(keys "$T_TMP/b/findings/index.jsonl")" ]
ok $? "a second campaign with the same seed records the same occurrences"
cnt() { python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["next"], json.dumps(s["counters"], sort_keys=True), json.dumps(s["outcomes"], sort_keys=True))' "$1"; }
[ "$(cnt "$T_TMP/a/state.json")" = "$(cnt "$T_TMP/b/state.json")" ]; ok $? "... and the same counters"

# --- the split form and --whole: the same campaign, the same results -------
# A program's first run on a VM that runs preludes is split (prelude kept
# compiled, body sent); --whole sends every program whole. 'spy' is lua5.4
# keeping a copy of the frames it gets; 'old' a lua5.4 whose driver
# ignores the prelude field (probed without the capability: sent whole).
frames="$T_TMP/frames"
printf '#!/bin/bash\nexec lua5.4 %q < <(exec tee -a %q)\n' \
  "$LVT_SOURCE_DIR/vm/driver/lvx.lua" "$frames" >"$T_TMP/spy.sh"
chmod +x "$T_TMP/spy.sh"
old=$(old_driver)
wargs=(--vm ref --vm lua5.4 --vm luajit --vm "name=spy,cmd=$T_TMP/spy.sh,lvx=1"
       --vm "name=old,cmd=lua5.4 $old,lvx=1" --runs 300 --seed 8 --metamorphic 0 -j 2 --timeout 60s)
preludes() { grep -ac '^prelude [0-9]*$' "$frames"; }
# split_whole DIR WHAT ARGS...: the campaign ARGS into DIR/split, then with
# --whole into DIR/whole, each expected to find nothing; sets np and nw to
# the frames with a prelude spy got in each.
split_whole() {
  local dir=$1 what=$2
  shift 2
  : >"$frames"
  fz fuzz "$@" --out "$dir/split"
  is_rc 0 "$what, split: no finding (exit 0)"
  split_out=$OUT
  np=$(preludes)
  : >"$frames"
  fz fuzz "$@" --whole --out "$dir/whole"
  is_rc 0 "$what, --whole: no finding (exit 0)"
  nw=$(preludes)
  [ "$(cnt "$dir/split/state.json")" = "$(cnt "$dir/whole/state.json")" ]
  ok $? "$what: the same per-VM outcome counts and counters split and whole"
}
split_whole "$T_TMP/w" "300 programs" "${wargs[@]}"
OUT=$split_out
has "old          ok" out "... the VM that ignores preludes ran them (whole) and agreed"
[ "$((np - nw))" = 300 ] && [ "$nw" -le 4 ]
ok $? "spy got each program's first run split, and with --whole none ($np against $nw frames with a prelude: the start-up probes)"
# Generated programs name no way to shared state: each goes out 'pure'
# (vm/PROTOCOL.md), so the sandbox skips its walk of the shared tables.
npure=$(grep -ac '^pure [0-9]*$' "$frames")
[ "$npure" -ge 300 ]; ok $? "every generated program was sent as pure ($npure frames of the --whole run)"
# Metamorphic variants of a generated program keep its prelude byte for
# byte, so they run split too: 100 programs and 2 variants each give spy
# about 300 split frames (a variant that falls back to printing the
# program back unchanged goes whole: rare, hence at least 290).
split_whole "$T_TMP/m" "100 programs x 2 variants" --vm ref --vm luajit \
  --vm "name=spy,cmd=$T_TMP/spy.sh,lvx=1" --runs 100 --seed 9 --metamorphic 2 -j 2 --timeout 60s
OUT=$split_out
has "variants: 200 (0 could not be made)" out "... every variant was made"
[ "$((np - nw))" -ge 290 ] && [ "$((np - nw))" -le 300 ]
ok $? "spy got first runs and variants split ($((np - nw)) of 300 frames more than with --whole)"
# The planted bug of the campaign above, with --whole: the same findings.
fz fuzz "${args[@]}" --whole --out "$T_TMP/aw"
is_rc 1 "--whole: the planted bug is found (exit 1)"
[ "$(keys "$T_TMP/a/findings/index.jsonl")" = "$(keys "$T_TMP/aw/findings/index.jsonl")" ]
ok $? "... the same occurrences as with the split form"
[ "$(cnt "$T_TMP/a/state.json")" = "$(cnt "$T_TMP/aw/state.json")" ]; ok $? "... and the same counters"

# --- --time: a bounded campaign on the reference and the system Luas -------
t0=$(date +%s)
fz fuzz --vm ref --vm lua5.4 --vm luajit --time 2s --seed 4 --out "$T_TMP/t"
t1=$(date +%s)
[ "$RC" = 0 ] || [ "$RC" = 1 ]; ok $? "--time 2s: the campaign ran (exit $RC)"
[ $((t1 - t0)) -lt 15 ]; ok $? "... and stopped ($((t1 - t0)) s in all)"
has "ref          ok" out "the summary has the reference's outcomes"
has "variants:" out "metamorphic variants ran (default K = 2)"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["next"] > 10 else 1)' "$T_TMP/t/state.json"
ok $? "state.json counts the programs run"

done_testing
