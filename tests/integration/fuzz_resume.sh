#!/usr/bin/env bash
# kill -9 in the middle of a campaign, then resume it from --out: the state
# on disk is whole, no finding directory is partial, and the resumed
# campaign ends with exactly the occurrences and counters of the same
# campaign run without interruption (nothing lost, nothing counted twice).
# Also: a resume with different options is refused (exit 2), and a resume
# without options takes them from state.json.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_fuzz.sh"

N=450
args=(--replay "$max" --replay "$plain" --replay "$plain" --vm ref --vm "$BAD" --runs $N --seed 11
      --profile 5.4 --metamorphic 0 -j 2 --timeout 60s)   # no timeouts under load/ASan

# The same campaign without interruption, for reference.
fz fuzz "${args[@]}" --out "$T_TMP/whole" -q
is_rc 1 "the uninterrupted campaign has findings"

# Interrupted: killed with SIGKILL once findings are being written (the
# state may or may not have been saved yet: both must resume exactly).
"$LVTEST" fuzz "${args[@]}" --out "$T_TMP/cut" -q >/dev/null 2>&1 &
pid=$!
lines=0
for _ in $(seq 1 400); do
  sleep 0.02
  lines=$(cat "$T_TMP/cut/findings/index.jsonl" 2>/dev/null | wc -l)
  [ "$lines" -ge 25 ] && break
done
kill -9 $pid 2>/dev/null; killed=$?
wait $pid 2>/dev/null || true
lines=$(wc -l <"$T_TMP/cut/findings/index.jsonl")
[ $killed = 0 ] && [ "$lines" -lt $((N / 3)) ]
ok $? "killed mid-campaign ($lines of $((N / 3)) occurrences recorded)"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/cut/state.json"
ok $? "state.json (written before the first program) is whole JSON after kill -9"
bad=0
for d in "$T_TMP/cut/findings"/divergence-*; do
  [ -d "$d" ] || continue
  for f in program.lua finding.json repro.sh result-ref.json result-bad.json; do
    [ -s "$d/$f" ] || bad=1
  done
done
[ $bad = 0 ]; ok $? "every finding directory on disk is complete"

# A resume with other options is refused.
fz fuzz --out "$T_TMP/cut" --seed 12 --replay "$max" --replay "$plain" --runs 5
is_rc 2 "resuming with another --seed: exit 2"
has "--seed does not match the campaign" err "... with a message naming the option"
fz fuzz --out "$T_TMP/cut" --vm ref --replay "$max" --replay "$plain" --runs 5
is_rc 2 "resuming with other VMs: exit 2"

# Resume with only --out, --runs and the program source: the rest comes
# from state.json.
fz fuzz --out "$T_TMP/cut" --runs $N --replay "$max" --replay "$plain" --replay "$plain"
is_rc 1 "the resumed campaign completes"
has "resuming campaign" err "it says it resumes"
has "fuzz: $N programs in the campaign" out "the campaign ends at $N programs"
[ -z "$(find "$T_TMP/cut" -name '.tmp-*')" ]; ok $? "no temporary left behind"

keys() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line)
    print(j["index"], j["kind"], j["signature"])' "$1" | sort; }
keys "$T_TMP/whole/findings/index.jsonl" >"$T_TMP/k.whole"
keys "$T_TMP/cut/findings/index.jsonl" >"$T_TMP/k.cut"
[ "$(wc -l <"$T_TMP/k.whole")" = $((N / 3)) ]; ok $? "the reference campaign has $((N / 3)) occurrences"
cmp -s "$T_TMP/k.whole" "$T_TMP/k.cut"; ok $? "resumed: exactly the same occurrences, none lost or doubled"
[ "$(sort -u "$T_TMP/k.cut" | wc -l)" = "$(wc -l <"$T_TMP/k.cut")" ]; ok $? "no occurrence recorded twice"
counters() { python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["next"], json.dumps(s["counters"], sort_keys=True), json.dumps(s["outcomes"], sort_keys=True))' "$1"; }
[ "$(counters "$T_TMP/whole/state.json")" = "$(counters "$T_TMP/cut/state.json")" ]
ok $? "the counters continue: the same as the uninterrupted campaign's"

done_testing
