#!/usr/bin/env bash
# lvtest --suite: the own TAP suite on the reference passes in full and is
# big enough to mean something; corpus; outputs; bad input.
. "$(dirname "$0")/lib.sh"
set -e
cd "$LVT_SOURCE_DIR"

run_lvtest --suite own --vm ref --json "$T_TMP/own.json" --junit "$T_TMP/own.xml" --section-table ref
is_rc 0 "the own suite passes on the reference"
has "own: " out "a summary line for own"
python3 - "$T_TMP/own.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
own = [s for s in d["suites"] if s["name"] == "own"][0]
files = own["files"]
assert len(files) >= 40, len(files)
ref = own["vms"][0]
assert ref["name"] == "ref", ref["name"]
t = ref["totals"]
assert t["pass"] + t["fail"] >= 2500, t
assert t["fail"] == 0 and t["xpass"] == 0, t
print("# own on ref: %d files, %d assertions passed, %d skipped, %d todo" % (len(files), t["pass"], t["skip"], t["todo"]))
PY
ok $? "at least 40 files and 2,500 assertions ran on the reference, none failed"
python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$T_TMP/own.xml"
ok $? "--junit writes well-formed XML"
has "§3.4.1" out "--section-table rolls results up per manual section"

run_lvtest --suite corpus --vm ref --vm lua5.4 --vm lua5.1 --vm luajit
is_rc 0 "corpus: the dialect splits among the samples are all on the expected lists"

run_lvtest --suite all --vm ref
has "official (absent)" out "--suite all names the absent upstream suites"

run_lvtest --suite bogus
is_rc 2 "an unknown suite: exit 2"
has "unknown suite 'bogus'" err "... named"
run_lvtest --suite own --vm ref --shard 5/4
is_rc 2 "a bad shard: exit 2"
printf 'no tab here\n' >"$T_TMP/bad.expect"
run_lvtest --suite own --vm ref --expect "$T_TMP/bad.expect"
is_rc 2 "a malformed expected-failure list: exit 2"
has "bad.expect:1" err "... names the file and line"
run_lvtest --suite own --vm ref --failed-only
is_rc 2 "--failed-only without a results file: exit 2"
run_lvtest --suite own --vm ref --failed-only="$T_TMP/own.json"
is_rc 0 "--failed-only after a clean run has nothing to re-run and passes"
run_lvtest --suite own --vm ref --shard 1/8
is_rc 0 "a shard runs"
n=$(printf '%s\n' "$OUT" | grep -oE 'own: [0-9]+ files' | grep -oE '[0-9]+')
[ -n "$n" ] && [ "$n" -lt 10 ]; ok $? "shard 1/8 runs about an eighth of the files ($n)"

done_testing
