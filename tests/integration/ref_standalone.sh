#!/usr/bin/env bash
# The reference as a command-line interpreter: lvtest invoked through links
# named 'lua' and 'luac' (what lvt_ref_bin_dir makes for whole-script
# suites) is Lua's own lua.c / luac.c on the linked-in Lua, with plain Lua
# states: options, the 'arg' table, LUA_INIT, exit statuses, error reports,
# debug hooks, the collector, bytecode. Then 'lvtest __lua' / '__luac' and
# their help.
. "$(dirname "$0")/lib.sh"
set -e

BIN="$T_TMP/bin"
mkdir "$BIN"
ln -s "$LVTEST" "$BIN/lua"
ln -s "$LVTEST" "$BIN/luac"
LUA="$BIN/lua"
LUAC="$BIN/luac"
unset LUA_INIT LUA_INIT_5_4 LUA_PATH LUA_PATH_5_4 LUA_CPATH LUA_CPATH_5_4

# run CMD ARGS... [< input]: like run_lvtest, for any command; stdin is
# /dev/null unless redirected by the caller of 'run_in'.
run() {
  set +e
  timeout 60 "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
  RC=$?
  set -e
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
}

# run_in INPUT CMD ARGS...: 'run' with INPUT on stdin.
run_in() {
  local input=$1
  shift
  set +e
  printf '%s' "$input" | timeout 60 "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  set -e
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
}

is_out() {   # is_out WANT NAME: stdout is exactly WANT
  if [ "$OUT" = "$1" ]; then ok 0 "$2"; else
    ok 1 "$2"; printf '#   expected: %s\n' "$1"
    printf '%s\n' "$OUT" | head -20 | sed 's/^/#   got: /'
    printf '%s\n' "$ERR" | head -10 | sed 's/^/#   err: /'
  fi
}

# ---------------------------------------------------------------------
# lua: options, arg, stdin, LUA_INIT (lua.c in the reference manual, §7)
# ---------------------------------------------------------------------
run "$LUA" -v
is_rc 0 "lua -v exits 0"
has "Lua 5.4" out "lua -v prints the version"

run "$LUA" -e 'print(1+1)'
is_rc 0 "lua -e exits 0"
is_out 2 "lua -e runs the chunk"

run "$LUA" -e 'x = 20' -e 'print(x + 1, _VERSION)'
is_out "21	Lua 5.4" "-e chunks run in order in one state"

p=$(prog args.lua <<'LUA'
print(arg[0], arg[1], arg[2], #arg, arg[3])
print(arg[-1], arg[-2], arg[-3], arg[-4])
print(...)
LUA
)
run "$LUA" "$p" one two
is_rc 0 "a script with arguments exits 0"
is_out "$p	one	two	2	nil
$LUA	nil	nil	nil
one	two" "a script sees arg[0], arg[1..n], arg[-1] and its arguments as ..."

run "$LUA" -W -e 'y = 1' "$p" x
is_out "$p	x	nil	1	nil
y = 1	-e	-W	$LUA
x" "options before the script go to arg[-n], the interpreter last"

run_in 'print("stdin", arg[0], arg[-1], ...) return 1' "$LUA" - a b
is_rc 0 "a script on stdin ('-') exits 0"
is_out "stdin	-	$LUA	a	b" "'-' runs stdin with arg[0] = '-' and the arguments"

run_in 'print("no args")' "$LUA"
is_out "no args" "no arguments and stdin not a terminal: runs stdin"

run "$LUA" -l string -e 'print(string.rep("ab", 2))'
is_out "abab" "-l loads a library into a global"

run "$LUA" -x
is_rc 1 "an unknown option exits 1"
has "unrecognized option '-x'" err "... says so"
has "usage: $LUA" err "... with the usage, named by argv[0]"

run env LUA_INIT='print("init")' "$LUA" -e 'print("main")'
is_out "init
main" "LUA_INIT runs first"
run env LUA_INIT='print("init")' LUA_INIT_5_4='print("init54")' "$LUA" -e 'print("main")'
is_out "init54
main" "LUA_INIT_5_4 wins over LUA_INIT"
i=$(prog init.lua <<'LUA'
print("from file")
LUA
)
run env LUA_INIT="@$i" "$LUA" -e 'print("main")'
is_out "from file
main" "LUA_INIT=@file runs the file"
run env LUA_INIT='print("init")' "$LUA" -E -e 'print("main")'
is_out "main" "-E ignores LUA_INIT"
run env LUA_PATH='ENVPATH/?.lua' "$LUA" -E -e 'print(package.path:find("ENVPATH", 1, true))'
is_out "nil" "-E ignores LUA_PATH too"
run env LUA_PATH='ENVPATH/?.lua' "$LUA" -e 'print(package.path)'
is_out "ENVPATH/?.lua" "without -E, LUA_PATH is used"
run env LUA_INIT='error("in init")' "$LUA" -e 'print("main")'
is_rc 1 "an error in LUA_INIT exits 1"
has "LUA_INIT:1: in init" err "... and reports it"
hasnt "main" out "... before the main chunk"

# ---------------------------------------------------------------------
# Errors and exit statuses
# ---------------------------------------------------------------------
p=$(prog err.lua <<'LUA'
local function f()
  error("boom")
end
f()
LUA
)
run "$LUA" "$p"
is_rc 1 "a runtime error exits 1"
has "lua: $p:2: boom" err "... reported as 'lua: file:line: msg'"
has "stack traceback:" err "... with a traceback"
has "in local 'f'" err "... that names the function"

run "$LUA" -e 'error({})'
is_rc 1 "an error object that is a table exits 1"
has "(error object is a table value)" err "... and is described"

run "$LUA" -e 'os.exit(3)'
is_rc 3 "os.exit(3) exits 3"
run "$LUA" -e 'os.exit(false)'
is_rc 1 "os.exit(false) exits 1"
run "$LUA" -e 'io.write("closing") os.exit(true, true)'
is_rc 0 "os.exit(true, true) exits 0"
is_out "closing" "... after closing the state (output flushed)"
run "$LUA" "$T_TMP/missing.lua"
is_rc 1 "a missing script exits 1"
has "cannot open $T_TMP/missing.lua" err "... and says so"
run "$LUA" -e 'x = = 1'
is_rc 1 "a syntax error in -e exits 1"
has "(command line):1:" err "... named (command line)"

# ---------------------------------------------------------------------
# Plain Lua states: no sandbox, no nets, hooks and the collector as in Lua
# ---------------------------------------------------------------------
run "$LUA" -e 'print(os.execute(), io.popen("echo piped"):read("l"))'
is_out "true	piped" "os.execute and io.popen are the real ones (no sandbox nets)"

p=$(prog hook.lua <<'LUA'
-- §6.10 debug.sethook: a count hook, then debug.gethook
local n1, n10 = 0, 0
local function h1() n1 = n1 + 1 end
local function h10() n10 = n10 + 1 end
local function work() local s = 0 for i = 1, 10000 do s = s + i end return s end
debug.sethook(h1, "", 1)
work()
debug.sethook()
debug.sethook(h10, "", 10)
local f, mask, count = debug.gethook()
work()
debug.sethook()
print("gethook", f == h10, mask, count)
-- (period 1: every instruction of 'work', ~2 per iteration; period 10:
-- fewer, the hook function's own instructions count towards the period)
print("counted", n1 >= 20000 and n1 < 20100, n10 > 2000 and n10 < n1 // 5)
print("after", debug.gethook())
-- a line hook, and a hook per coroutine
local lines = 0
debug.sethook(function(ev, line) lines = lines + 1 end, "l")
local a = 1
local b = 2
debug.sethook()
print("lines", lines >= 2)
local co = coroutine.create(function() return debug.gethook() end)
debug.sethook(co, h1, "c")
print("thread", select(2, debug.gethook(co)), debug.gethook())
LUA
)
run "$LUA" "$p"
is_rc 0 "debug.sethook in a standalone state exits 0"
is_out "gethook	true		10
counted	true	true
after	nil
lines	true
thread	c	nil" "count, line and per-thread hooks work as in Lua; gethook returns them"

run "$LUA" -e 'local c = collectgarbage("count") local t = {} for i = 1, 1e5 do t[i] = {} end
t = nil collectgarbage() print(type(c), c > 0, collectgarbage("count") < c + 1000,
collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("isrunning"))'
is_out "number	true	true	generational	incremental	true" \
  "collectgarbage works (lua.c starts the collector in generational mode)"

run "$LUA" -e 'local f = function(a, b) return a * b + 1 end
local d = string.dump(f) local s = string.dump(f, true)
print(d:sub(1, 4) == "\27Lua", load(d, "d", "b")(6, 7), load(s, "s", "b")(2, 3), #s <= #d,
      load(d, "d", "t"))'
is_out "true	43	7	true	nil	attempt to load a binary chunk (mode is 't')" \
  "string.dump and load round trip (stripped too; mode 't' refuses)"

# A suite starts the interpreter again by arg[-1] (lua-Harness finds luac
# as arg[-1] .. "c"): the links must lead back here, by path and by PATH.
p=$(prog again.lua <<'LUA'
local lua = arg[-1]
local f = io.popen(lua .. [[ -e "io.write(6 * 7)"]])
local got = f:read("a")
print(got, f:close())
local c = io.popen(lua .. "c -v")
print(c:read("l"):match("^Lua 5%.4") ~= nil, c:close())
LUA
)
run "$LUA" "$p"
is_out "42	true	exit	0
true	true	exit	0" "arg[-1] runs the interpreter again, arg[-1]..'c' the compiler"
run env PATH="$BIN:$PATH" lua -e 'print(arg[-1] or arg[0])'
is_out "lua" "found on PATH as plain 'lua', it is the interpreter"

# ---------------------------------------------------------------------
# luac
# ---------------------------------------------------------------------
p=$(prog prog.lua <<'LUA'
local t = {}
for i = 1, 3 do t[#t + 1] = i * i end
print(table.concat(t, ","), ...)
LUA
)
run "$LUAC" -v
is_rc 0 "luac -v exits 0"
has "Lua 5.4" out "luac -v prints the version"

run "$LUAC" -o "$T_TMP/out.luac" "$p"
is_rc 0 "luac -o exits 0"
ok "$([ "$(head -c 4 "$T_TMP/out.luac" | od -An -c | tr -d ' ')" = '033Lua' ]; echo $?)" \
  "... and writes a binary chunk"
run "$LUA" "$T_TMP/out.luac" x
is_rc 0 "lua runs the compiled chunk"
is_out "1,4,9	x" "... with the same result as the source"

run "$LUAC" -s -o "$T_TMP/stripped.luac" "$p"
run "$LUA" -e "print(load(io.open('$T_TMP/stripped.luac', 'rb'):read('a'))())"
is_out "1,4,9" "luac -s: a stripped chunk still runs"

(cd "$T_TMP" && run "$LUAC" "$p")
ok "$([ -s "$T_TMP/luac.out" ]; echo $?)" "luac without -o writes luac.out"

b=$(prog bad.lua <<'LUA'
local x = = 1
LUA
)
run "$LUAC" -p "$b"
is_rc 1 "luac -p on a syntax error exits 1"
has "luac: $b:1: unexpected symbol near '='" err "... with the parser's message"
run "$LUAC" -p "$p"
is_rc 0 "luac -p on a valid file exits 0"
is_out "" "... and prints nothing"

run "$LUAC" -l -p "$p"
is_rc 0 "luac -l exits 0"
has "main <$p:0,0>" out "luac -l lists the main function"
has "VARARGPREP" out "... with its opcodes"
has "FORPREP" out "... every one of them"
run "$LUAC" -l -l -p "$p"
has "constants (" out "luac -l -l lists constants too"

run "$LUAC"
is_rc 1 "luac without files exits 1"
has "no input files given" err "... and says so"
run "$LUAC" -x "$p"
is_rc 1 "luac with an unknown option exits 1"
has "unrecognized option '-x'" err "... and says so"
run_in 'return 5' "$LUAC" -o "$T_TMP/stdin.luac" -
run "$LUA" -e "print(dofile('$T_TMP/stdin.luac'))"
is_out "5" "luac - compiles stdin"

# ---------------------------------------------------------------------
# The REPL, when stdin is a terminal (needs script(1) for a pty)
# ---------------------------------------------------------------------
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
  set +e
  OUT=$(printf 'x = 20\nprint(x + 22)\nfunction f()\nreturn "multi" end\n= f()\nos.exit(0)\n' |
        timeout 20 script -qc "$LUA" /dev/null 2>&1 | tr -d '\r')
  set -e
  ERR=""
  # (the terminal echoes the input, before or between the prompts)
  has "Lua 5.4" out "the REPL starts with the version"
  has "> " out "... prompts with '> '"
  ok "$(printf '%s\n' "$OUT" | grep -qE '^(>+ )*42$'; echo $?)" "... evaluates each line"
  has ">> " out "... continues an incomplete statement with '>> '"
  ok "$(printf '%s\n' "$OUT" | grep -qE '^(>+ )*multi$'; echo $?)" "... and '= expr' prints the value"
else
  ok 0 "# SKIP the REPL: script(1) cannot give lua a terminal here"
fi

# ---------------------------------------------------------------------
# lvtest __lua / __luac: argv[0] stays lvtest's
# ---------------------------------------------------------------------
run_lvtest __lua -e 'print(arg[0], 6 * 7)'
is_rc 0 "lvtest __lua exits 0"
is_out "$LVTEST	42" "lvtest __lua runs lua with lvtest's argv[0] as program name"
run_lvtest __lua -e 'error("e")'
is_rc 1 "lvtest __lua: an error exits 1"
has "$LVTEST: (command line):1: e" err "... reported under lvtest's name"
run_lvtest __lua -e 'os.exit(4)'
is_rc 4 "lvtest __lua: os.exit(4) exits 4"
run_lvtest __luac -p "$b"
is_rc 1 "lvtest __luac -p on a syntax error exits 1"
has "$LVTEST: $b:1:" err "... reported under lvtest's name"
run_lvtest __luac -v
has "Lua 5.4" out "lvtest __luac -v prints the version"
run_lvtest help __lua
is_rc 0 "lvtest help __lua exits 0"
has "Internal:" out "... and says the command is internal"
run_lvtest help
is_rc 0 "lvtest help still works"
hasnt "__lua" out "... and does not list the internal commands"
run_lvtest --version
is_rc 0 "lvtest --version still works"
has "reference VM: Lua 5.4" out "... and names the reference"

done_testing
