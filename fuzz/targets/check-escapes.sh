#!/usr/bin/env bash
# check-escapes.sh MODE TARGET SEEDS-DIR -- runs a raw-source fuzz target
# on every SEEDS-DIR/escape-*.lua (programs that try to leave the sandbox:
# os.exit in every position, io.popen, os.execute, debug.debug,
# package.loadlib, C modules, string.dump and binary chunks, files outside
# the scratch dir, removing the budget's hook, endless loops and
# allocations, the shared string metatable) and checks, in TAP, that the
# target survives every one (exit status 0: nothing reached C's exit() or
# crashed) with the outcome the file's first line names:
#   -- expect: OUTCOME [EXIT-CODE] [~TEXT-IN-THE-ERROR]
# MODE libfuzzer: one process runs all files in order (so state one file
# leaves behind would show in the next); afl: one run per file, the input
# on stdin (how an AFL++ persistent target runs outside afl-fuzz).
set -u
mode=$1 target=$2 seeds=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lvt-escapes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LVT_FUZZ_VERBOSE=1
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

files=("$seeds"/escape-*.lua)
[ -e "${files[0]}" ] || { echo "1..0 # no escape-*.lua in $seeds"; exit 1; }

# verdict FILE: the target's last "lvt-fuzz: ref ..." line for FILE.
if [ "$mode" = libfuzzer ]; then
  "$target" -timeout=30 -rss_limit_mb=4096 "${files[@]}" >"$tmp/out" 2>"$tmp/log"
  ok $? "libFuzzer ran all ${#files[@]} escape inputs in one process, exit status 0"
  executed=$(grep -c '^Executed ' "$tmp/log")
  [ "$executed" = "${#files[@]}" ]; ok $? "each input reached its end ($executed of ${#files[@]})"
  verdict() {
    awk -v f="$1" '$0 == "Running: " f {on = 1; v = ""; next}
                   on && /^lvt-fuzz: ref / {v = $0}
                   on && index($0, "Executed " f " ") == 1 {print v; exit}' "$tmp/log"
  }
else
  verdict() {
    "$target" <"$1" >"$tmp/out" 2>"$tmp/log.1"
    local rc=$?
    [ "$rc" = 0 ] || { echo "exit status $rc"; tail -5 "$tmp/log.1"; return; }
    grep '^lvt-fuzz: ref ' "$tmp/log.1" | tail -1
  }
fi

for f in "${files[@]}"; do
  name=$(basename "$f")
  want=$(head -1 "$f" | sed -n 's/^-- expect: //p')
  got=$(verdict "$f")
  text=""
  case $want in *"~"*) text=${want#*~}; want=${want%% ~*} ;; esac
  outcome=$(printf '%s\n' "$got" | awk 'NR == 1 {print $3}')
  if [ "$(printf '%s' "$want" | awk '{print $1}')" = exit ]; then
    outcome=$(printf '%s\n' "$got" | awk 'NR == 1 {print $3 " " $5}')
  fi
  good=1
  [ "$outcome" = "$want" ] || good=0
  if [ -n "$text" ]; then printf '%s' "$got" | grep -qF -- "$text" || good=0; fi
  ok $((1 - good)) "$name: $want${text:+ ($text)}"
  [ "$good" = 1 ] || echo "#   got: ${got:-no verdict line}"
done

[ "$mode" = libfuzzer ] || { [ ! -e /tmp/lvt-fuzz-pwned ]; ok $? "os.execute ran nothing"; }
echo "1..$n"
[ "$failed" = 0 ] || { echo "# $failed of $n failed"; tail -20 "$tmp/log" 2>/dev/null | sed 's/^/#   /'; exit 1; }
