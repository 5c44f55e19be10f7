#!/usr/bin/env bash
# The command line's promises: help, exit codes for usage errors, messages
# that say what failed and what to do.
. "$(dirname "$0")/lib.sh"
set -e

run_lvtest --help
is_rc 0 "--help exits 0"
has "Commands:" out "--help lists the commands"
run_lvtest help compare
is_rc 0 "help compare exits 0"
has "--strict-errors" out "help compare names compare's options"
run_lvtest compare --help
is_rc 0 "compare --help exits 0"
has "usage: lvtest compare" out "compare --help is compare's help"
run_lvtest --version
is_rc 0 "--version exits 0"
has "reference VM: Lua 5.4" out "--version names the reference Lua"

run_lvtest
is_rc 2 "no command: exit 2"
has "no command given" err "... says so"
run_lvtest frobnicate
is_rc 2 "unknown command: exit 2"
has "unknown command 'frobnicate'" err "... names it"
run_lvtest run
is_rc 2 "run without files: exit 2"
run_lvtest run "$T_TMP/missing.lua" --vm lua5.4
is_rc 2 "a missing program file: exit 2"
has "missing.lua: No such file or directory" err "... names the file and the reason"
run_lvtest run "$T_TMP" --vm lua5.4
is_rc 2 "a directory as program: exit 2"
has "is a directory" err "... says so"
p=$(prog ok.lua <<'LUA'
print("hi")
LUA
)
run_lvtest run "$p" --vm luajit5
is_rc 2 "an unknown VM: exit 2"
has "luajit5" err "... names it"
has "lvtest vms" err "... and says what to do"
run_lvtest run "$p" --vm lua5.4 --timeout soon
is_rc 2 "a bad duration: exit 2"
has "not a duration" err "... says so"
run_lvtest run "$p" --vm lua5.4 --vm lua5.4
is_rc 2 "the same VM twice: exit 2"
has "already in the list" err "... says so"
run_lvtest compare "$p" --vm lua5.4 --norm-rules "$T_TMP/none.rules"
is_rc 2 "a missing rules file: exit 2"
printf 's/a(b/x/\n' >"$T_TMP/bad.rules"
run_lvtest compare "$p" --vm lua5.4 --norm-rules "$T_TMP/bad.rules"
is_rc 2 "a bad regex in the rules file: exit 2"
has "bad.rules:1" err "... names the file and line"
run_lvtest vms --json x.json
is_rc 2 "an option of another command: exit 2"
has "does not apply to 'lvtest vms'" err "... says so"

done_testing
