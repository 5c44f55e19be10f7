-- sandbox.lua -- the environment lvtest gives every program (vm/PROTOCOL.md).
--
-- Portable unchanged across Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT 2.1, and
-- shared by the drivers: vm/driver/lvx.lua (the 'proc' backend) and the
-- in-process reference backend, which loads this same file into each fresh
-- lua_State. Its interface is a contract:
--
--   local M = <this chunk>()
--   local res = M.run(src, chunkname, opts)
--
--   opts = { instr_limit = N or 0,       -- VM instructions (count hook)
--            max_output = bytes,         -- cap on captured output
--            deterministic = bool,       -- fixed clocks, dates, random seed
--            allow_binary = bool,        -- false: binary chunks are refused
--            scratch = "/abs/dir" or nil,   -- where files may be written
--            host_stop = function or nil,   -- see "Stopping a program"
--            prelude = string or nil,    -- a chunk run first, kept compiled
--                                        -- (see "Preludes" below): 'src'
--                                        -- gets what it returns as '...'
--            pure = bool,                -- the program names no way to
--                                        -- shared state (see "Pure
--                                        -- programs" below)
--            throwaway = bool }          -- the host discards the whole
--                                        -- state after this run
--   res  = { outcome = "ok"|"error"|"exit"|"timeout"|"memory",
--            out = string, truncated = bool,
--            errtype = string|nil, errval = string|nil,   -- outcome "error"
--            exitcode = int|nil,                          -- outcome "exit"
--            dirty = bool,      -- shared state changed: restart the VM
--            detail = string|nil }
--
-- Policy, in short: a fresh environment per program whose library tables
-- are copies (with 'throwaway': the real globals and libraries, changed
-- in place, and no 'dirty' check); print/io.write/io.stdout captured with
-- each VM's own number formatting; stdin is empty (the real stdin/stdout
-- are the protocol channel); os.execute, io.popen, package.loadlib,
-- debug.debug and C modules (LuaJIT's ffi too) raise "... disabled by
-- lvtest"; module() and package.seeall (5.1, 5.2, LuaJIT) work on the
-- program's environment; files are written only inside 'scratch'
-- (relative paths resolve there, '..' is refused) and removed after the
-- run.
--
-- Stopping a program. os.exit and the instruction budget end the program
-- so that pcall cannot swallow them:
--  - with 'opts.host_stop' (the reference backend: a C function that never
--    returns), os.exit calls host_stop("exit", code) and the budget, if the
--    sandbox counts one, host_stop("timeout"); when 'instr_limit' is 0 the
--    sandbox installs no Lua hook at all and leaves the debug library
--    alone (the host guards and multiplexes hooks in C);
--  - on a VM without debug.sethook (gopher-lua) there is no budget, and
--    host_stop (lvx.lua's) gets the result so far as a third argument: it
--    sends it and ends the process, as the VM's own os.exit would;
--  - otherwise (lvx.lua) through a count hook that keeps raising at every
--    instruction until the program has unwound. The message handlers of
--    the program's xpcalls are not called once it was stopped (Lua runs
--    the handler of an error raised in a hook with hooks off, so a looping
--    one could not be stopped): on PUC Lua each active handler is replaced
--    in its xpcall frame by 'type', on LuaJIT xpcall is wrapped (a handler
--    written in C is called as it is). LuaJIT: the count hook does not
--    run inside compiled traces, so a loop the JIT compiled is stopped by
--    lvtest's wall-clock timeout instead of the instruction budget.
--
-- The program's own hooks (when the sandbox has a Lua hook of its own):
-- debug.sethook and debug.gethook in the program's environment manage a
-- program-level hook per thread (one for the whole VM on LuaJIT, as
-- there) that the sandbox's hook calls, so the budget stays in force;
-- gethook returns what the program set. (Lua 5.1 with no budget: the real
-- functions, the program's hook installed as it is, until a stop.) Events,
-- their arguments and the count of a count hook are Lua's (the sandbox
-- measures, the first time a program asks for a count, how many
-- instructions of its own to make up for), with these deviations:
--  - the sandbox's Lua stand-ins for C functions (print, io.write, load,
--    require...) run Lua instructions: a count hook counts them (an event
--    due inside one is delivered at the program's next instruction);
--    their lines and their own calls are not reported (nor their returns
--    on LuaJIT, which reports none for C functions);
--  - PUC Lua counts the instructions of hook functions too: a period
--    shorter than the program's hook function (2, 3, 4... against a hook
--    of a few instructions) gives other counts, and so may a count
--    combined with a line or call mask;
--  - LuaJIT with an instruction budget: the program's hooks behave as if
--    it had set a count as well (LuaJIT then reports no return events);
--  - the program's hook function is entered by a tail call: on 5.2+ it
--    says so (istailcall); on 5.1 with a budget, level 2 inside it is a
--    "(tail call)" entry and the hooked function is level 3 (5.1 without
--    a budget: no deviation, but the lines and calls of the stand-ins are
--    reported);
--  - a new coroutine does not report the hook mask it inherits (gethook on
--    it returns no hook, which is what it runs with).

-- Pure programs. After each run the sandbox walks the tables every program
-- shares (the real _G and libraries, package.loaded, the metatables of
-- strings, files and streams...) for changes: a program that made one
-- ('dirty') gets its VM restarted. A program reaches them only through
-- the names lvtest looks for in its text (lvt_proto_pure: debug, _G,
-- _ENV, load and friends, require, package, module, getfenv, setfenv, io,
-- jit) or getmetatable of a non-table. A program whose text (prelude
-- included) has none of those names comes with opts.pure: its
-- getmetatable is a stand-in that notes a non-table argument, and the
-- walk is skipped unless the VM is 'tainted': a program that was not pure
-- ran (its closures and finalizers may still hold shared tables and run
-- later, during any program), or a stand-in saw a non-table. Taint lasts
-- as long as the VM process.

-- This file must not create globals: everything is local to the chunk.

local M = {}

-- Host primitives, the chunk's argument (lvx.lua passes what a Node shim
-- gives it; the reference and lvx.lua on a command line pass nothing):
--   read_file(path) -> bytes | nil, message, errno
--     reads a file for require, loadfile and dofile on a VM without
--     io.open (fengari: its loadfile and require read files, its io.open
--     is missing);
--   snapshot(t) -> s, same(t, s) -> boolean
--     what 'snapshot' and 'same' below do, natively (for the watched
--     tables, checked after every run);
--   copy(t) -> a shallow copy of t (the library copies of every run);
--   env_builder(G, names, bases, preload) -> build
--     build() makes what make_env's copies below make, in one call: a
--     copy of G in which each G[names[i]] is a copy of bases[i], _G the
--     copy itself, package.loaded a new table of _G and those copies (in
--     that order), package.preload a copy of 'preload';
--   watcher(watched, mts) -> changed
--     changed() is the index of the last entry { t, s, name } of list
--     'watched' for which same(t, s) is false, or nil (snapshots from the
--     host's 'snapshot'), in one call; after those (#watched + i), the
--     last entry { value = v, mt = m } of list 'mts' for which
--     debug.getmetatable(v) is no longer m.
local HOST = ...
if type(HOST) ~= "table" then HOST = {} end

-- ---------------------------------------------------------------------
-- What this VM is, captured before any program runs (everything the
-- sandbox uses while a program runs is a local: the real tables can be
-- reached and changed by a program through the debug library)
-- ---------------------------------------------------------------------
local G = _G
local type, pairs, ipairs, next, select = type, pairs, ipairs, next, select
local tostring, tonumber, error, pcall = tostring, tonumber, error, pcall
local real_xpcall, real_pcall = xpcall, pcall
local setmetatable, getmetatable = setmetatable, getmetatable
local rawget, rawequal = rawget, rawequal
local string, table, math, io, os = string, table, math, io, os
local coroutine, debug, package = coroutine, debug, package
local sfmt, ssub, sfind, sbyte, sgsub, sgmatch = string.format, string.sub, string.find,
                                                 string.byte, string.gsub, string.gmatch
local tconcat = table.concat
local mfloor, mrandomseed, mtointeger = math.floor, math.randomseed, math.tointeger
local dsethook, dgethook, dgetinfo = debug.sethook, debug.gethook, debug.getinfo
local dgetmetatable, dsetmetatable = debug.getmetatable, debug.setmetatable
local dsetupvalue, dgetlocal, dsetlocal = debug.setupvalue, debug.getlocal, debug.setlocal
local dupvaluejoin = debug.upvaluejoin
local co_create, co_resume, co_status, co_running = coroutine.create, coroutine.resume,
                                                    coroutine.status, coroutine.running
local co_close = coroutine.close
local real_load, real_loadstring = load, rawget(G, "loadstring")
local real_setfenv, real_getfenv = rawget(G, "setfenv"), rawget(G, "getfenv")
local real_open, real_remove, real_rename = io.open, os.remove, os.rename
local vm_has_open = io.open ~= nil
if not real_open and type(HOST.read_file) == "function" then
  -- Files read by the sandbox itself: an object that reads all at once.
  local read_file = HOST.read_file
  real_open = function(path, mode)
    if sfind(mode or "r", "[wa+]") then
      return nil, tostring(path) .. ": io.open is not available on this VM", 38
    end
    local data, msg, code = read_file(path)
    if not data then return nil, msg, code end
    return { read = function() return data end, close = function() return true end }
  end
end
local real_lines, real_iotype = io.lines, io.type
local real_time, real_date = os.time, os.date
local os_setlocale = os.setlocale
local collectgarbage = collectgarbage
local jit = rawget(G, "jit")
local jit_status = jit and jit.status
local mtype = math.type

-- gopher-lua says "GopherLua 0.1" and is 5.1.
local is51 = _VERSION == "Lua 5.1" or sfind(_VERSION, "^GopherLua") ~= nil  -- LuaJIT says 5.1 too
local is54 = _VERSION == "Lua 5.4"
-- 5.2+: load takes a mode and an env; 5.1's load takes a reader only.
local load_has_env = not is51 or jit ~= nil
-- print looks up the global 'tostring' on 5.1-5.3 and LuaJIT; 5.4 does not.
local print_uses_global_tostring = not is54
-- io.write/f:write return the file on 5.2+, true on 5.1 and LuaJIT.
local write_returns_file = io.stdout:write("") == io.stdout
-- PUC Lua keeps a Lua hook per coroutine (a new coroutine inherits the C
-- hook but not the Lua function); LuaJIT has one hook for the whole VM.
local per_thread_hooks = jit == nil
-- Hooks at all: gopher-lua has no debug.sethook. There a program runs
-- without an instruction budget (lvtest's wall clock stops it), and
-- os.exit needs 'opts.host_stop' (lvx.lua ends the process, as the VM's
-- own os.exit would, after sending the result: see stop).
local HAVE_HOOKS = dsethook ~= nil and dgethook ~= nil
local main_thread = (function()
  local co, ismain = co_running()
  if ismain then return co end
end)()
-- The source of this chunk's functions: their lines are not a program's.
local SB_SOURCE = dgetinfo(1, "S").source

local FIXED_TIME = 1000000000    -- 2001-09-09, for deterministic runs
local FIXED_SEED = 42
local WATCH_PERIOD = 1000        -- instructions between hook checks

-- table.unpack with an explicit count (5.1 has only unpack).
local unpack = table.unpack or G.unpack
local function unpack_n(t, n) return unpack(t, 1, n) end
local function pack_n(...) return { n = select("#", ...), ... } end

-- Exit codes of os.exit(true/false) as C's EXIT_SUCCESS/EXIT_FAILURE.
local EXIT_SUCCESS, EXIT_FAILURE = 0, 1

-- The library tables a program gets copies of.
local LIBS = { "string", "table", "math", "io", "os", "coroutine", "debug",
               "package", "utf8", "bit32", "bit", "jit" }

local function disabled(name)
  return function() error(name .. " disabled by lvtest", 2) end
end

-- What debug.gethook returns when no hook is set: 'nil' on 5.4, 'nil, "",
-- 0' before (asked now, while no hook is set; a guess if one is).
local NOHOOK = HAVE_HOOKS and pack_n(dgethook()) or pack_n(nil, "", 0)
if NOHOOK[1] ~= nil then NOHOOK = is54 and pack_n(nil) or pack_n(nil, "", 0) end

-- ---------------------------------------------------------------------
-- Copies of tables, built by table constructors compiled once
-- ---------------------------------------------------------------------
local function shallow(t)
  local c = {}
  for k, v in next, t do c[k] = v end
  return c
end

-- A snapshot: the pairs of 't' and how many there are.
local function snapshot(t)
  local s, n = {}, 0
  for k, v in next, t do
    s[k] = v
    n = n + 1
  end
  return { pairs = s, n = n }
end

-- True when table 't' holds exactly the pairs of snapshot 's'.
local function same(t, s)
  local n, p = 0, s.pairs
  for k, v in next, t do
    if p[k] ~= v then return false end
    n = n + 1
  end
  return n == s.n
end

-- The snapshots of the watched tables (below): a host may do them faster
-- (fengari.js walks fengari's own table entries; each run checks them all).
local wsnap, wsame = snapshot, same
if type(HOST.snapshot) == "function" and type(HOST.same) == "function" then
  wsnap, wsame = HOST.snapshot, HOST.same
end

-- Functions returning fresh copies of the tables in list 'bases' (in that
-- order). Each is one table constructor, which sizes the table up front:
-- copying the libraries for every program is a main cost of the sandbox.
-- They are compiled as one chunk (the reference backend boots a state,
-- sandbox included, for every new image). A table with keys that are not
-- strings is copied by a loop.
local RESERVED = {}
for w in sgmatch("and break do else elseif end false for function goto if in local nil " ..
                 "not or repeat return then true until while", "%a+") do RESERVED[w] = true end

local function builders(bases)
  local host_copy = HOST.copy
  if type(host_copy) == "function" then       -- (a faster copy from the host)
    local made = {}
    for i, base in ipairs(bases) do made[i] = function() return host_copy(base) end end
    return made
  end
  local fns, src, vals = {}, { "local V = ..." }, {}
  for i, base in ipairs(bases) do
    local parts, v, n, plain = {}, {}, 0, true
    local vi = "=V" .. i .. "["
    for k, x in next, base do
      if type(k) ~= "string" then plain = false break end
      n = n + 1
      v[n] = x
      if sfind(k, "^[%a_][%w_]*$") and not RESERVED[k] then
        parts[n] = k .. vi .. n .. "]"               -- (sfmt is slow here)
      else
        parts[n] = sfmt("[%q]", k) .. vi .. n .. "]"
      end
    end
    vals[i] = v
    src[#src + 1] = sfmt("local V%d = V[%d]", i, i)
    if plain then
      fns[#fns + 1] = sfmt("[%d] = function() return {%s} end", i, tconcat(parts, ", "))
    end
  end
  src[#src + 1] = "return {" .. tconcat(fns, ",\n") .. "}"
  local made = (real_loadstring or real_load)(tconcat(src, "\n"), "=lvtest copier")(vals)
  for i, base in ipairs(bases) do
    if not made[i] then made[i] = function() return shallow(base) end end
  end
  return made
end

-- ---------------------------------------------------------------------
-- Output capture
-- ---------------------------------------------------------------------
local function out_new(cap)
  return { parts = {}, n = 0, size = 0, cap = cap, truncated = false }
end

local function out_add(o, s)
  if o.truncated then return end
  local room = o.cap - o.size
  if #s > room then
    s = ssub(s, 1, room)
    o.truncated = true
  end
  if #s > 0 then
    local n = o.n + 1
    o.parts[n], o.n, o.size = s, n, o.size + #s
    if n >= 512 then                       -- keep the part list short
      o.parts = { tconcat(o.parts, "", 1, n) }
      o.n = 1
    end
  end
end

-- io.write's rendering of a number: "%.14g" for floats, "%d" for integers
-- (5.3+); 5.1, 5.2 and LuaJIT write numbers as tostring does.
local function write_num(x)
  if mtype then
    return mtype(x) == "integer" and sfmt("%d", x) or sfmt("%.14g", x)
  end
  if jit then return tostring(x) end
  return sfmt("%.14g", x)
end

-- Renders io.write's arguments; raises like the C function would.
local function write_args(o, ...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local t = type(v)
    if t == "string" then out_add(o, v)
    elseif t == "number" then out_add(o, write_num(v))
    else
      error(sfmt("bad argument #%d to 'write' (string expected, got %s)", i,
                 v == nil and "nil" or t), 3)
    end
  end
end

-- ---------------------------------------------------------------------
-- Files: writes only inside the scratch directory
-- ---------------------------------------------------------------------
-- Per-run file context: 'scratch' and the set of files written.
local function path_ok(path)
  return type(path) == "string" and not sfind(path, "\0", 1, true)
end

-- Where 'path' lands: relative paths resolve inside scratch.
local function resolve(fc, path)
  if fc.scratch and ssub(path, 1, 1) ~= "/" then return fc.scratch .. "/" .. path end
  return path
end

-- The resolved path when 'path' may be written, else nil.
local function writable(fc, path)
  if not fc.scratch or not path_ok(path) then return nil end
  for comp in sgmatch(path, "[^/]+") do
    if comp == ".." then return nil end
  end
  if ssub(path, 1, 1) == "/" then
    local s = fc.scratch
    if ssub(path, 1, #s + 1) == s .. "/" and #path > #s + 1 then return path end
    return nil
  end
  return fc.scratch .. "/" .. path
end

-- Messages mention the path the program gave, not where it landed.
local function unresolve(fc, msg)
  if fc.scratch and type(msg) == "string" then
    local s, e = sfind(msg, fc.scratch .. "/", 1, true)
    while s do
      msg = ssub(msg, 1, s - 1) .. ssub(msg, e + 1)
      s, e = sfind(msg, fc.scratch .. "/", s, true)
    end
  end
  return msg
end

local function refused(path)
  return nil, tostring(path) .. ": writing outside the scratch directory is disabled by lvtest", 13
end

local function is_write_mode(mode)
  return sfind(mode, "[wa+]") ~= nil
end

-- What a file operation returns to the program: its first value on
-- success (recording 'written', a file to remove after the run), else the
-- message about the path the program gave.
local function fs_result(fc, written, ok, msg, code)
  if ok then
    if written then fc.written[written] = true end
    return ok
  end
  return ok, unresolve(fc, msg), code
end

local function open_file(fc, path, mode)
  mode = mode or "r"
  if not real_open then return nil, tostring(path) .. ": io.open is not available on this VM", 38 end
  if type(mode) == "string" and is_write_mode(mode) then
    local p = writable(fc, path)
    if not p then return refused(path) end
    return fs_result(fc, p, real_open(p, mode))
  end
  if not path_ok(path) then return real_open(path, mode) end
  return fs_result(fc, nil, real_open(resolve(fc, path), mode))
end

-- luaL_loadfile as lvtest sees it: the file read here (so that chunk names
-- are the path the program gave), a first '#' line skipped.
local function load_file(fc, env, allow_binary, path, mode, fenv, has_fenv)
  local chunk, name
  if path == nil then
    chunk, name = "", "=stdin"      -- stdin is empty
  else
    local f, msg = open_file(fc, path, "rb")
    if not f then return nil, "cannot open " .. msg end
    chunk = f:read("*a") or ""
    f:close()
    if not is51 and ssub(chunk, 1, 3) == "\239\187\191" then chunk = ssub(chunk, 4) end
    if ssub(chunk, 1, 1) == "#" then chunk = sgsub(chunk, "^#[^\n]*", "", 1) end
    name = "@" .. path
  end
  if not allow_binary then mode = "t" elseif not load_has_env then mode = nil end
  if load_has_env then
    return real_load(chunk, name, mode, has_fenv and fenv or env)
  end
  if mode == "t" and sbyte(chunk, 1) == 27 then
    return nil, "attempt to load a binary chunk (mode is 't')"
  end
  local fn, msg = real_loadstring(chunk, name)
  if fn then real_setfenv(fn, env) end
  return fn, msg
end

-- ---------------------------------------------------------------------
-- Standard streams as the program sees them
-- ---------------------------------------------------------------------
-- Like a FILE* handle, a stream has no fields of its own: its methods
-- are in a separate table (io.stdout.__index is nil, as on a real file).
local STREAM_METHODS = {}
local STREAM_MT = { __index = STREAM_METHODS, __name = "FILE*" }
STREAM_MT.__tostring = function(s)
  return s.closed and "file (closed)" or "file (0x" .. s.tag .. ")"
end

local function stream_new(kind, o)
  return setmetatable({ kind = kind, out = o, tag = kind == "out" and "1" or "0" }, STREAM_MT)
end

-- Reading the empty stdin: "*a" gives "", anything else nil (EOF).
local function eof_read(s, ...)
  if s.kind ~= "in" then return nil, "Bad file descriptor", 9 end
  local n = select("#", ...)
  if n == 0 then return nil end
  local res = {}
  for i = 1, n do
    local f = select(i, ...)
    if type(f) == "string" and sfind(f, "^%*?a") then res[i] = ""
    else return unpack_n(res, i) end
  end
  return unpack_n(res, n)
end

function STREAM_METHODS.write(s, ...)
  if s.kind ~= "out" then return nil, "Bad file descriptor", 9 end
  write_args(s.out, ...)
  if write_returns_file then return s end
  return true
end
STREAM_METHODS.read = eof_read
function STREAM_METHODS.lines(s, ...)
  local fmts = { n = select("#", ...), ... }
  return function() return eof_read(s, unpack_n(fmts, fmts.n)) end
end
function STREAM_METHODS.close() return nil, "cannot close standard file" end
function STREAM_METHODS.flush(s) if write_returns_file then return s end return true end
function STREAM_METHODS.setvbuf() return true end
function STREAM_METHODS.seek() return nil, "Illegal seek", 29 end

local function is_stream(f) return getmetatable(f) == STREAM_MT end

-- ---------------------------------------------------------------------
-- Process-wide policy, applied once to the real libraries (nothing of
-- lvtest's uses them): no C modules from the real require, no ffi, what
-- could harm the machine raises
-- ---------------------------------------------------------------------
do
  local searchers = package.searchers or package.loaders
  -- Keep the preload and Lua-file searchers; drop C and all-in-one.
  for i = #searchers, 3, -1 do searchers[i] = nil end
  package.cpath = ""
  package.loadlib = disabled("package.loadlib")
  package.preload.ffi = nil
  io.popen = disabled("io.popen")
  io.type = function(f)
    if is_stream(f) then return "file" end
    return real_iotype(f)
  end
  os.execute = disabled("os.execute")
  debug.debug = disabled("debug.debug")
end

-- ---------------------------------------------------------------------
-- The pristine shared state, to tell when a program changed it (dirty)
-- ---------------------------------------------------------------------
local string_mt = dgetmetatable("")
local file_mt = dgetmetatable(io.stderr)
local file_methods = file_mt and type(rawget(file_mt, "__index")) == "table" and
                     rawget(file_mt, "__index") ~= file_mt and rawget(file_mt, "__index")
-- Tables shared by every program and how they must stay: the real _G and
-- libraries (reachable through the debug library; tracebacks name
-- functions after them), the metatables of strings, files and the
-- program's streams, this module.
local watched = { { G, wsnap(G), "the real _G" } }
for _, name in ipairs(LIBS) do
  local lib = rawget(G, name)
  if type(lib) == "table" then watched[#watched + 1] = { lib, wsnap(lib), "the real " .. name .. " library" } end
end
watched[#watched + 1] = { package.loaded, wsnap(package.loaded), "package.loaded" }
if jit and type(rawget(jit, "opt")) == "table" then   -- (the copies share it)
  watched[#watched + 1] = { jit.opt, wsnap(jit.opt), "jit.opt" }
end
watched[#watched + 1] = { string_mt, wsnap(string_mt), "the string metatable" }
if file_mt then watched[#watched + 1] = { file_mt, wsnap(file_mt), "the file metatable" } end
if file_methods then watched[#watched + 1] = { file_methods, wsnap(file_methods), "the file methods" } end
watched[#watched + 1] = { STREAM_MT, wsnap(STREAM_MT), "the stream metatable" }
watched[#watched + 1] = { STREAM_METHODS, wsnap(STREAM_METHODS), "the stream methods" }
-- (M is added at the end of the file, once it is complete.)
local pristine = {
  G_mt = dgetmetatable(G),
  locale = os_setlocale(),
  fenv0 = real_getfenv and real_getfenv(0),
}
local probes = { 0, true, print, main_thread or co_create(function() end), nil, "" }
local probe_mts = {}
for i = 1, 6 do probe_mts[i] = dgetmetatable(probes[i]) end
local jit_pristine = jit and pack_n(jit_status())
-- (fengari has no collector of its own: its collectgarbage always raises.)
local gc_ok, gc_pause = pcall(collectgarbage, "setpause", 200)
local gc_stepmul
if gc_ok and type(gc_pause) == "number" then
  collectgarbage("setpause", gc_pause)
  gc_stepmul = collectgarbage("setstepmul", 200)
  collectgarbage("setstepmul", gc_stepmul)
else
  gc_ok = false
end
local gc_has_isrunning = gc_ok and pcall(collectgarbage, "isrunning")

-- Whether the JIT is as it was (jit.status: on/off and the flags).
local function jit_same()
  local now = pack_n(jit_status())
  if now.n ~= jit_pristine.n then return false end
  for i = 1, now.n do
    if now[i] ~= jit_pristine[i] then return false end
  end
  return true
end

-- Shared state a program changed, or nil. Locale and GC settings are put
-- back instead (cheap and exact); the rest needs a fresh VM.
-- A hook the program left is not counted: the driver clears hooks itself.
local wchanged     -- (the host's check of all of 'watched': see the end)
local wreasons
local tainted = false   -- (see "Pure programs" at the top)
local function probe_why(i)
  return probes[i] == nil and "the nil metatable" or "a " .. type(probes[i]) .. " metatable"
end
local function changed_state(pure)
  local why
  local reach = not pure or tainted   -- (see "Pure programs" at the top)
  if not reach then
    -- nothing shared was in reach
  elseif wchanged then                 -- (the same checks, by the host)
    local i = wchanged()
    if i then why = wreasons[i] end
  else
    for i = 1, #watched do
      local w = watched[i]
      if not wsame(w[1], w[2]) then why = w[3] end
    end
    for i = 1, 6 do
      if dgetmetatable(probes[i]) ~= probe_mts[i] then why = probe_why(i) end
    end
    if dgetmetatable(G) ~= pristine.G_mt then why = "the metatable of _G" end
  end
  if real_getfenv and real_getfenv(0) ~= pristine.fenv0 then why = "the thread environment" end
  if jit and reach and not jit_same() then why = "the JIT state" end
  -- Put back what can be put back.
  if os_setlocale() ~= pristine.locale then os_setlocale(pristine.locale) end
  if not gc_ok then return why end
  if gc_has_isrunning then
    if not collectgarbage("isrunning") then collectgarbage("restart") end
  else
    collectgarbage("restart")
  end
  if is54 then collectgarbage("incremental") end
  collectgarbage("setpause", gc_pause)
  collectgarbage("setstepmul", gc_stepmul)
  return why
end

-- ---------------------------------------------------------------------
-- Errors as the C functions the sandbox stands in for raise them
-- ---------------------------------------------------------------------
-- Raises luaL_argerror's message for argument 'n' of the sandbox function
-- that called this one (not as a tail call), at its caller's position.
-- 'gname' is the function's name in the libraries, which 5.2+ give when
-- the call tells none (a call from pcall).
local function argerror(n, msg, gname)
  local ar = dgetinfo(2, "n")
  local name = ar and ar.name or (is51 and "?" or gname)
  if ar and ar.namewhat == "method" then
    n = n - 1
    if n == 0 then error(sfmt("calling '%s' on bad self (%s)", name, msg), 3) end
  end
  error(sfmt("bad argument #%d to '%s' (%s)", n, name, msg), 3)
end

-- getmetatable in a pure program's environment (see "Pure programs" at
-- the top): a non-table argument may hand out a metatable that every
-- program shares.
local function pure_getmetatable(...)
  if select("#", ...) == 0 then argerror(1, "value expected", "getmetatable") end
  local v = ...
  if type(v) ~= "table" then tainted = true end
  return getmetatable(v)
end

local function typeerror(expected, v, present)
  return expected .. " expected, got " .. (present and type(v) or "no value")
end

-- luaL_optinteger (default 0) for a hook count: the value, or nil and why.
local function opt_int(v)
  if v == nil then return 0 end
  local x = tonumber(v)
  if x == nil or type(v) ~= "number" and type(v) ~= "string" then
    return nil, "number expected, got " .. type(v)
  end
  if mtointeger then                         -- 5.3+: integral values only
    local i = mtointeger(x)
    if i == nil then return nil, "number has no integer representation" end
    return i
  end
  if x ~= x then return 0 end
  return x >= 0 and mfloor(x) or -mfloor(-x)
end

-- ---------------------------------------------------------------------
-- Stopping a program, and the program's hooks behind the sandbox's
-- ---------------------------------------------------------------------
local STOP = setmetatable({}, { __tostring = function() return "lvtest: program stopped" end })
local WEAK_K = { __mode = "k" }

local R        -- the run in progress (nil between runs): hooks and stops
               -- of an earlier run (a finalizer, a kept coroutine) do nothing
local run      -- forward: the hooks recognise this function
local stop     -- forward: stop(rs, kind) ends run 'rs' (see below)

-- Hook slots (the program's hook of a thread) are keyed by the thread;
-- MAIN is the main thread of 5.1 (which cannot be named), ALL the one
-- hook of LuaJIT.
local MAIN, ALL = {}, {}

-- The slot key of thread 'co' (nil: the running one), and the thread to
-- give debug.sethook (nil: the running one).
local function thread_key(co)
  if not per_thread_hooks then return ALL, nil end
  if co == nil then co = co_running() end
  if co == nil then return MAIN, nil end
  return co, co
end

local function is_current(co)
  return co == nil or co == co_running()
end

-- The stack slot of xpcall's message handler in its frame (PUC Lua: 1 on
-- 5.1 and 5.2, 2 on 5.3 and 5.4), found by looking; nil on LuaJIT, whose
-- xpcall is wrapped instead (see make_xpcall), as it is when not found.
local XSLOT
if per_thread_hooks then
  local marker = function() end
  real_xpcall(function()
    for i = 1, 4 do
      local _, v = dgetlocal(2, i)
      if rawequal(v, marker) then XSLOT = i end
    end
  end, marker)
end
local WRAP_XPCALL = XSLOT == nil

-- Once the program is stopped, the message handlers of the xpcalls active
-- in thread 'co' (nil: the running one) would run with hooks off (Lua runs
-- the handler of an error raised in a hook with hooks off): each becomes
-- 'type', a C function, which returns at once.
local function disarm_handlers(co)
  if not XSLOT then return end
  local level = co and 0 or 2              -- (1 is this function)
  while true do
    local ar
    if co then ar = dgetinfo(co, level, "f") else ar = dgetinfo(level, "f") end
    if not ar then return end
    if ar.func == real_xpcall then
      if co then dsetlocal(co, level, XSLOT, type) else dsetlocal(level, XSLOT, type) end
    end
    level = level + 1
  end
end

-- Instructions the sandbox runs between arming a hook and the point
-- where Lua would have armed it (the return to the program, the entry
-- of the program's hook function): added to the count it arms, so that
-- the program's count hook counts the program's instructions as Lua
-- does. Measured the first time a program asks for a count hook.
local W_SET, W_FIRE, W_RET = 0, 0, 0
local calibrated = false
local calibrate      -- forward

-- The hooks of run 'rs' (when the sandbox has its own Lua hook): sets
-- rs.sethook, rs.gethook (the program's), and rs.hook_core(), which sets
-- rs.arm_budget(co) and rs.shook ('stop' uses them). The core is made at
-- once when the run has a budget, else when the program first sets or
-- asks for a hook, or is stopped: most programs need none of it, and
-- closures cost on slow VMs (fengari).
local function make_hooks(rs)
  local limit, period = rs.limit, rs.period
  local slots, shook, bhook, arm_budget, arm_slot, new_slot

  local function core()
    slots = per_thread_hooks and setmetatable({}, WEAK_K) or {}

    -- Once the program was stopped: raise at every instruction until the
    -- program has unwound back into 'run', then stop hooking.
    shook = function()
      if rs ~= R then return end
      if dgetinfo(2, "f").func == run then dsethook() return end
      error(STOP, 0)
    end
    rs.shook = shook

    -- The budget alone: 'period' instructions between looks.
    bhook = function()
      if rs ~= R then return end
      if rs.fired then
        if dgetinfo(2, "f").func == run then dsethook() return end
        disarm_handlers(nil)
        dsethook(shook, "", 1)
        error(STOP, 0)
      end
      local used = rs.used + period
      rs.used = used
      if used >= limit then stop(rs, "timeout") end
    end

    arm_budget = function(co)
      if limit > 0 then
        if co then dsethook(co, bhook, "", period) else dsethook(bhook, "", period) end
      elseif co then dsethook(co)
      else dsethook() end
    end
    rs.arm_budget = arm_budget

    -- Arms the hook of slot 's': the program's mask, and the nearer of
    -- its next count event and the budget's next look, plus 'extra'
    -- instructions (see W_SET). The call to debug.sethook is followed by
    -- the same one instruction on both branches.
    arm_slot = function(s, extra)
      local n = limit > 0 and period or 0
      local left = s.uleft
      if s.ucount > 0 and (n == 0 or left < n) then n = left end
      s.armed = n
      if n > 1 then n = n + extra end       -- (at 1 Lua's own resets agree)
      local co = s.co
      if co then dsethook(co, s.hook, s.mask, n) return end
      dsethook(s.hook, s.mask, n)
    end

    new_slot = function(co)
      local s = { co = co, f = nil, mask = "", given = 0, ucount = 0, uleft = 0, armed = 0 }
      s.hook = function(ev, line)
        if rs ~= R then return end
        if rs.fired then
          if dgetinfo(2, "f").func == run then dsethook() return end
          disarm_handlers(nil)
          dsethook(shook, "", 1)
          error(STOP, 0)
        end
        if ev == "count" then
          local n = s.armed
          if limit > 0 then
            local used = rs.used + n
            rs.used = used
            if used >= limit then stop(rs, "timeout") end
          end
          if s.ucount == 0 then return end       -- the budget's look only
          local left = s.uleft - n
          if left > 0 then
            s.uleft = left
            arm_slot(s, W_RET)
            return
          end
          if dgetinfo(2, "S").source == SB_SOURCE then
            s.uleft = 1                          -- due in the sandbox: at the
            arm_slot(s, W_RET)                   -- program's next instruction
            return
          end
          s.uleft = s.ucount
          arm_slot(s, W_FIRE)
          return s.f(ev, line)
        end
        -- Line, call and return events. Each stands for an instruction of
        -- the budget at least: on PUC Lua this hook's own instructions count
        -- down the hook count, and a count event due inside a hook is lost
        -- (a tight loop under a line hook would see almost none).
        if limit > 0 then
          local used = rs.used + 1
          rs.used = used
          if used >= limit then stop(rs, "timeout") end
        end
        -- Not the sandbox's own lines, nor the calls its code makes to C or
        -- to itself.
        local ar = dgetinfo(2, "S")
        if ev == "line" then
          if ar.source == SB_SOURCE then return end
        elseif ar.what == "C" or ar.source == SB_SOURCE then
          -- (LuaJIT reports no return of a C function: nor of a stand-in)
          if jit and ev ~= "call" and ar.source == SB_SOURCE then return end
          local caller = dgetinfo(3, "S")
          if caller and caller.source == SB_SOURCE then return end
        end
        return s.f(ev, line)
      end
      return s
    end
  end
  rs.hook_core = core
  if limit > 0 then core() end

  -- debug.sethook([thread,] hook, mask [, count]) for the program.
  rs.sethook = function(...)
    local nargs, a = select("#", ...), 1
    local co = ...
    if type(co) == "thread" then a = 2 else co = nil end
    local f, smask, count = select(a, ...)
    if f ~= nil then
      local why
      if type(smask) ~= "string" then
        if type(smask) ~= "number" then
          argerror(a + 1, typeerror("string", smask, nargs > a), "debug.sethook")
        end
        smask = tostring(smask)
      end
      if type(f) ~= "function" then argerror(a, typeerror("function", f, true), "debug.sethook") end
      count, why = opt_int(count)
      if why then argerror(a + 2, why, "debug.sethook") end
    end
    if rs ~= R or rs.fired then return end
    if not slots then core() end
    local key, tco = thread_key(co)
    local mask = f and (sfind(smask, "c", 1, true) and "c" or "") ..
                       (sfind(smask, "r", 1, true) and "r" or "") ..
                       (sfind(smask, "l", 1, true) and "l" or "")
    if f == nil or mask == "" and count <= 0 then
      slots[key] = nil
      arm_budget(tco)
      return
    end
    if count > 0 and not calibrated then calibrate() end
    local s = slots[key]
    if not s then
      s = new_slot(tco)
      slots[key] = s
    end
    s.f, s.mask, s.given = f, mask, count
    s.ucount = count > 0 and count or 0
    s.uleft = s.ucount
    arm_slot(s, is_current(tco) and W_SET or 0)
  end

  -- debug.gethook([thread]) for the program: what it set.
  rs.gethook = function(co)
    if type(co) ~= "thread" then co = nil end
    local s = slots and slots[(thread_key(co))]
    if s == nil or rs ~= R then return unpack_n(NOHOOK, NOHOOK.n) end
    return s.f, s.mask, s.given
  end
end

-- What run 'rs' did until a stop of 'kind', for a host that ends the
-- whole process there (on a VM without hooks): its result, the files the
-- program wrote removed.
local function partial(rs, kind)
  for p in pairs(rs.fc.written) do real_remove(p) end
  local o = rs.o
  return { outcome = kind, exitcode = rs.exitcode, out = tconcat(o.parts, "", 1, o.n),
           truncated = o.truncated, dirty = true }
end

-- The stop of run 'rs' (os.exit, the budget): 'stop(rs, kind)' ends the
-- program with outcome 'kind' through opts.host_stop when there is one
-- (given the result so far as a third argument on a VM without hooks),
-- else by making every thread raise at its next instruction.
stop = function(rs, kind)
  if rs ~= R then error(STOP, 0) end
  if not rs.fired then rs.fired = kind end
  if rs.host_stop then                                       -- no return
    rs.host_stop(kind, rs.exitcode, not HAVE_HOOKS and partial(rs, kind) or nil)
  end
  if not rs.hooked then error(STOP, 0) end     -- (no hooks and no host_stop)
  -- (Disarm first: the hook armed here fires at the next instruction.)
  if not rs.shook then rs.hook_core() end
  local shook = rs.shook
  disarm_handlers(nil)
  if main_thread and not is_current(main_thread) then
    disarm_handlers(main_thread)
    dsethook(main_thread, shook, "", 1)
  end
  if rs.threads then
    for co in pairs(rs.threads) do
      if co_status(co) ~= "dead" and not is_current(co) then
        disarm_handlers(co)
        dsethook(co, shook, "", 1)
      end
    end
  end
  dsethook(shook, "", 1)
  error(STOP, 0)
end

-- Measures W_SET, W_FIRE and W_RET on this VM: a program-level count
-- hook behind the sandbox's must fire where a hook set directly fires. A
-- probe runs lines of one instruction each (x = y) and its hook records
-- the line of every event (at level 2, or 3 on 5.1 behind a tail call):
-- the first event shows what arming from debug.sethook costs (W_SET),
-- the gap to the second what arming before the program's hook function
-- costs (W_FIRE); W_RET is searched with the budget looked at every few
-- instructions. (LuaJIT runs hook functions uncounted: W_FIRE, W_RET 0.)
calibrate = function()
  calibrated = true
  local lines = { "local sethook, c, rec = ...", "local x, y = 0, 0", "sethook(rec, '', c)" }
  for i = 1, 160 do lines[#lines + 1] = i % 2 == 1 and "x = y" or "y = x" end
  lines[#lines + 1] = "sethook()"
  local probe = (real_loadstring or real_load)(tconcat(lines, "\n"), "=lvtest calibration")
  if jit then jit.off(probe, true) end
  local saved, h, m, n = R, dgethook()      -- (the running thread's hook)
  -- The lines of the probe's events for period 'c': through 'sethook'.
  local function events(sethook, c)
    local a, b = {}, {}
    local function rec()
      a[#a + 1], b[#b + 1] = dgetinfo(2, "Sl"), dgetinfo(3, "Sl")
    end
    if not pcall(probe, sethook, c, rec) then return {} end
    local at = {}
    for i = 1, #a do
      local ar = a[i].source == "=lvtest calibration" and a[i] or b[i]
      at[i] = ar and ar.currentline or -1
    end
    return at
  end
  -- ... behind the sandbox's hook, with a budget looked at every
  -- 'period' instructions (0: no budget).
  local function mux(c, period)
    local rs = { limit = period > 0 and 1e15 or 0, period = period, used = 0 }
    make_hooks(rs)
    R = rs
    local at = events(rs.sethook, c)
    R = saved
    dsethook()
    return at
  end
  local function measure()
    local c = 37
    local direct = events(dsethook, c)
    W_SET, W_FIRE, W_RET = 0, 0, 0
    local at = mux(c, 0)
    if #direct < 3 or #at < 2 then return end
    W_SET = direct[1] - at[1]
    W_FIRE = (direct[2] - direct[1]) - (at[2] - at[1])
    if W_SET < 0 or W_FIRE < 0 then W_SET, W_FIRE = 0, 0 return end
    for w = 0, 12 do
      W_RET = w
      if mux(c, 5)[1] == direct[1] then return end
    end
    W_RET = 0
  end
  measure()
  if type(h) == "function" then dsethook(h, m, n) else dsethook() end
end

-- ---------------------------------------------------------------------
-- The environment of one program
-- ---------------------------------------------------------------------
local real_module = rawget(G, "module")       -- 5.1, 5.2, LuaJIT
local real_seeall = rawget(package, "seeall")
local real_clock = os.clock

-- Deterministic clocks and dates.
local function det_time(...)
  if select("#", ...) == 0 or (...) == nil then return FIXED_TIME end
  return real_time(...)
end
local function det_clock() return 0 end
local function det_date(fmt, t, ...)
  if t == nil then t = FIXED_TIME end
  return real_date(fmt == nil and "%c" or fmt, t, ...)
end

-- The keys a run sets to functions and tables of its own (closures over
-- the run), per table of the environment.
local PER_RUN = {
  G = { "arg", "print", "load", "loadfile", "dofile", "require",
        real_loadstring and "loadstring", real_getfenv and "getfenv",
        real_getfenv and "setfenv", real_module and "module" },
  io = { "stdout", "stdin", "open", "write", "read", "lines", "output", "input",
         "close", "flush" },
  os = { "exit", "remove", "rename", "tmpname" },
  package = { "loaded", "preload", "searchers", rawget(package, "loaders") and "loaders",
              real_seeall and "seeall" },
}
-- ... and those it sets when the sandbox has hooks of its own.
local PER_RUN_OWN = {
  G = { WRAP_XPCALL and "xpcall" },
  debug = { "sethook", "gethook" },
  coroutine = per_thread_hooks and { "create", "resume", "wrap" } or nil,
}

-- What a copy of table 'name' ("G" or a library) starts as: the real
-- pairs, and a placeholder (false) for each key a run sets that the real
-- table lacks (so setting it never grows the table).
local function template(name)
  local t = shallow(name == "G" and G or rawget(G, name))
  for _, list in ipairs({ PER_RUN[name] or {}, PER_RUN_OWN[name] or {} }) do
    for i = 1, 16 do              -- (lists with holes: keys this VM lacks)
      local k = list[i]
      if k and t[k] == nil then t[k] = false end
    end
  end
  return t
end

-- The builders of the copies, compiled now (the reference backend
-- restores its state to an image of the loaded sandbox for every run:
-- what is built lazily would be built again for every program), with
-- the one of package.loaded (the program's libraries and _G).
local COPY = { names = {} }
do
  local bases = { template("G") }
  for _, name in ipairs(LIBS) do
    if type(rawget(G, name)) == "table" then
      COPY.names[#COPY.names + 1] = name
      bases[#bases + 1] = template(name)
    end
  end
  local made = builders(bases)
  COPY.G = made[1]
  COPY.copy = { unpack(made, 2, #bases) }
  local parts = { "_G = E" }
  for _, name in ipairs(COPY.names) do parts[#parts + 1] = sfmt("[%q] = E[%q]", name, name) end
  COPY.loaded = (real_loadstring or real_load)("local E = ... return {" .. tconcat(parts, ", ") .. "}",
                                               "=lvtest copier")
end
local PRELOAD = snapshot(package.preload).pairs   -- (the real one is not the program's)
if type(HOST.env_builder) == "function" then      -- (all of them in one call)
  local bases = {}
  for i, name in ipairs(COPY.names) do bases[i] = template(name) end
  COPY.env = HOST.env_builder(template("G"), COPY.names, bases, PRELOAD)
end

-- The captured streams are tables; to the program they are files.
local function stream_type(...)
  local v = ...
  if select("#", ...) > 0 and dgetmetatable(v) == STREAM_MT then return "userdata" end
  return type(...)
end

-- io.output / io.input of file context 'fc': 'which' names the function
-- in messages.
local function redirect(fc, which, mode, f)
  if type(f) == "string" then
    local h, msg = open_file(fc, f, mode)
    if not h then
      if is51 or jit then error(sfmt("bad argument #1 to '%s' (%s)", which, msg), 3) end
      error(sfmt("cannot open file '%s' (%s)", f, sgsub(msg, "^.-: ", "", 1)), 3)
    end
    return h
  end
  return f
end

-- What the VM lacks stays missing (fengari: io.open, io.read, io.lines).
local vm_has_read, vm_has_lines = rawget(io, "read") ~= nil, rawget(io, "lines") ~= nil

local function make_io(env, rs, o)
  local fc = rs.fc
  local lib = env.io
  local stdout, stdin = stream_new("out", o), stream_new("in", nil)
  local cur_out, cur_in = stdout, stdin
  lib.stdout, lib.stdin = stdout, stdin
  env.type = stream_type
  if vm_has_open then
    lib.open = function(path, mode) return open_file(fc, path, mode) end
  else
    lib.open = nil
  end
  lib.write = function(...)
    if is_stream(cur_out) then
      write_args(o, ...)
      if write_returns_file then return cur_out end
      return true
    end
    return cur_out:write(...)
  end
  if vm_has_read then
    lib.read = function(...) return cur_in:read(...) end
  else
    lib.read = nil
  end
  if vm_has_lines then
    lib.lines = function(path, ...)
      if path == nil then return cur_in:lines(...) end
      local f, msg = open_file(fc, path, "r")
      if not f then
        if is51 or jit then error(sfmt("bad argument #1 to 'lines' (%s)", msg), 2) end
        error(sfmt("cannot open file '%s' (%s)", tostring(path),
                   sgsub(msg, "^.-: ", "", 1)), 2)
      end
      f:close()
      return real_lines(resolve(fc, path), ...)
    end
  else
    lib.lines = nil
  end
  lib.output = function(f)
    if f ~= nil then cur_out = redirect(fc, "output", "w", f) end
    return cur_out
  end
  lib.input = function(f)
    if f ~= nil then cur_in = redirect(fc, "input", "r", f) end
    return cur_in
  end
  lib.close = function(f)
    if f == nil then f = cur_out end
    -- As liolib's tofile: a non-file is an argument error. (Without the
    -- check, io:close() called the io table's own close: an endless tail
    -- call in sandbox code, where no instruction budget applies.)
    if not is_stream(f) and real_iotype(f) == nil then
      argerror(1, sfmt("FILE* expected, got %s", type(f)), "io.close")
    end
    return f:close()
  end
  lib.flush = function() return cur_out:flush() end
end

-- Arguments of os.remove and os.rename are checked first, as
-- luaL_checkstring would.
local function checkname(fname, i, v)
  local tv = type(v)
  if tv ~= "string" and tv ~= "number" then
    error(sfmt("bad argument #%d to '%s' (string expected, got %s)", i, fname,
               v == nil and "no value" or tv), 3)
  end
end

local function make_os(env, rs)
  local fc = rs.fc
  local lib = env.os
  lib.exit = function(code)
    local c
    if code == nil or code == true then c = EXIT_SUCCESS
    elseif code == false then c = EXIT_FAILURE
    else
      c = tonumber(code)
      if c == nil then
        error(sfmt("bad argument #1 to 'exit' (number expected, got %s)", type(code)), 2)
      end
      if c ~= c or c >= 2147483648 or c < -2147483648 or (mtype and c ~= mfloor(c)) then
        error("bad argument #1 to 'exit' (number has no integer representation)", 2)
      end
      c = mfloor(c)
    end
    if rs ~= R then return end                 -- a finalizer of an earlier run
    rs.exitcode = c
    stop(rs, "exit")
  end
  lib.remove = function(path)
    checkname("remove", 1, path)
    local p = writable(fc, path)
    if not p then return refused(path) end
    return fs_result(fc, nil, real_remove(p))
  end
  lib.rename = function(from, to)
    checkname("rename", 1, from)
    checkname("rename", 2, to)
    local p, q = writable(fc, from), writable(fc, to)
    if not p then return refused(from) end
    if not q then return refused(to) end
    return fs_result(fc, q, real_rename(p, q))
  end
  lib.tmpname = function()
    if not fc.scratch then error("os.tmpname disabled by lvtest (no scratch directory)", 2) end
    fc.ntmp = fc.ntmp + 1
    local p = sfmt("%s/lua_%d", fc.scratch, fc.ntmp)
    local f = real_open and real_open(p, "w")
    if f then f:close() fc.written[p] = true end
    return p
  end
end

-- require for the program's environment: its own package.loaded, preload
-- and path, Lua files loaded into the program's environment.
-- package.searchpath's search, in file context 'fc'.
local function searchpath(fc, name, path)
  local tried = {}
  name = sgsub(name, "%.", "/")
  for t in sgmatch(path, "[^;]+") do
    local f = sgsub(t, "%?", name)
    local h = open_file(fc, f, "r")
    if h then h:close() return f end
    tried[#tried + 1] = "\n\tno file '" .. f .. "'"
  end
  return nil, tconcat(tried)
end

local function make_require(env, rs, allow_binary)
  local pkg = env.package
  local function preload_searcher(name)
    local f = pkg.preload[name]
    if f ~= nil then return f, ":preload:" end
    return "\n\tno field package.preload['" .. name .. "']"
  end
  local function lua_searcher(name)
    local p, msg = searchpath(rs.fc, name, pkg.path)
    if not p then return msg end
    local fn, err = load_file(rs.fc, env, allow_binary, p)
    if not fn then
      error(sfmt("error loading module '%s' from file '%s':\n\t%s", name, p, err), 3)
    end
    return fn, p
  end
  pkg.searchers = { preload_searcher, lua_searcher }
  if pkg.loaders ~= nil then pkg.loaders = pkg.searchers end
  return function(name)
    if type(name) ~= "string" and type(name) ~= "number" then
      error(sfmt("bad argument #1 to 'require' (string expected, got %s)",
                 name == nil and "no value" or type(name)), 2)
    end
    name = tostring(name)
    if name == "ffi" then error("the ffi module is disabled by lvtest", 2) end
    local v = pkg.loaded[name]
    if v ~= nil and v ~= false then return v end
    local msgs = {}
    for _, searcher in ipairs(pkg.searchers) do
      local loader, extra = searcher(name)
      if type(loader) == "function" then
        local r
        if is51 then r = loader(name) else r = loader(name, extra) end  -- 5.1: the name only
        if r ~= nil then pkg.loaded[name] = r end
        if pkg.loaded[name] == nil then pkg.loaded[name] = true end
        return pkg.loaded[name], extra
      elseif type(loader) == "string" then
        msgs[#msgs + 1] = loader
      end
    end
    error(sfmt("module '%s' not found:%s", name, tconcat(msgs)), 2)
  end
end

-- load/loadstring/loadfile/dofile bound to the program's environment.
local function make_loaders(env, rs, allow_binary)
  local fc = rs.fc
  if load_has_env then
    env.load = function(chunk, name, mode, ...)
      if not allow_binary then mode = "t" end
      if select("#", ...) > 0 then return real_load(chunk, name, mode, ...) end
      return real_load(chunk, name, mode, env)
    end
    if real_loadstring then        -- LuaJIT: loadstring is load on strings
      env.loadstring = function(s, name) return env.load(s, name) end
    end
  else
    env.loadstring = function(s, name)
      if not allow_binary and type(s) == "string" and sbyte(s, 1) == 27 then
        return nil, "attempt to load a binary chunk (mode is 't')"
      end
      local fn, msg = real_loadstring(s, name)
      if fn then real_setfenv(fn, env) end
      return fn, msg
    end
    env.load = function(reader, name)
      if type(reader) ~= "function" then
        error(sfmt("bad argument #1 to 'load' (function expected, got %s)",
                   reader == nil and "no value" or type(reader)), 2)
      end
      local parts = {}
      while true do
        local p = reader()
        if p == nil or p == "" then break end
        if type(p) ~= "string" then return nil, "reader function must return a string" end
        parts[#parts + 1] = p
      end
      return env.loadstring(tconcat(parts), name or "=(load)")
    end
  end
  env.loadfile = function(path, mode, ...)
    return load_file(fc, env, allow_binary, path, mode, (...), select("#", ...) > 0)
  end
  env.dofile = function(path)
    local fn, msg = load_file(fc, env, allow_binary, path)
    if not fn then error(msg, 0) end
    return fn()
  end
  if real_getfenv then             -- 5.1, LuaJIT: level 0 is the program's env
    env.getfenv = function(f)
      if f == nil then f = 1 end
      if f == 0 then return env end
      if type(f) == "number" and f > 0 then f = f + 1 end
      local e = real_getfenv(f)
      if e == G then return env end
      return e
    end
    env.setfenv = function(f, t)
      if type(f) == "number" and f > 0 then f = f + 1 end
      return (real_setfenv(f, t))  -- not a tail call: LuaJIT drops tail-call frames
    end
  end
end

-- module() and package.seeall (5.1, 5.2, LuaJIT) on the program's
-- environment and package.loaded (the real ones see the real globals).
local function make_module(env)
  local function findtable(t, fname)
    for part in sgmatch(fname .. ".", "([^.]*)%.") do
      local v = rawget(t, part)
      if v == nil then
        v = {}
        t[part] = v
      elseif type(v) ~= "table" then
        return nil
      end
      t = v
    end
    return t
  end
  env.module = function(modname, ...)
    if type(modname) ~= "string" then
      if type(modname) ~= "number" then
        argerror(1, typeerror("string", modname, modname ~= nil), "module")
      end
      modname = tostring(modname)
    end
    local loaded = env.package.loaded
    local m = loaded[modname]
    if type(m) ~= "table" then
      m = findtable(env, modname)
      if not m then error(sfmt("name conflict for module '%s'", modname), 2) end
      loaded[modname] = m
    end
    if m._NAME == nil then
      m._M = m
      m._NAME = modname
      m._PACKAGE = sgsub(modname, "[^.]*$", "", 1)
    end
    local ar = dgetinfo(2, "Sf")
    if not ar or ar.what == "C" then error("'module' not called from a Lua function", 2) end
    if real_setfenv then real_setfenv(ar.func, m) else dsetupvalue(ar.func, 1, m) end
    for i = 1, select("#", ...) do (select(i, ...))(m) end
  end
  if real_seeall then
    env.package.seeall = function(m)
      if type(m) ~= "table" then argerror(1, typeerror("table", m, m ~= nil), "package.seeall") end
      local mt = dgetmetatable(m)
      if not mt then
        mt = {}
        dsetmetatable(m, mt)
      end
      mt.__index = env
    end
  end
end

-- print as the VM's own would render it.
local function make_print(env, o)
  return function(...)
    local ts = print_uses_global_tostring and env.tostring or tostring
    local n = select("#", ...)
    for i = 1, n do
      local s = ts((select(i, ...)))
      if type(s) == "number" then s = tostring(s)
      elseif type(s) ~= "string" then
        error("'tostring' must return a string to 'print'", 2)
      end
      if i > 1 then out_add(o, "\t") end
      out_add(o, s)
    end
    out_add(o, "\n")
  end
end

-- Coroutines on PUC Lua when the sandbox hooks: new threads get the run's
-- budget hook (they inherit the C hook but not the Lua function, which is
-- kept per thread) and are known to 'stop' (rs.threads, made with the
-- first one).
-- Back from a coroutine of run 'rs' that called os.exit or ran out of
-- budget: stop here too (on 5.1 the main thread cannot be armed from
-- inside one).
local function co_back(rs, ...)
  if rs.fired then stop(rs, rs.fired) end
  return ...
end
local function co_finish(rs, co, ok, ...)
  if rs.fired then stop(rs, rs.fired) end
  if ok then return ... end
  local e = ...
  if co_close and co_status(co) == "dead" then
    local ok2, e2 = co_close(co)
    if not ok2 then e = e2 end
  end
  error(e, 2)
end

local function make_coroutine(env, rs)
  local lib = env.coroutine
  lib.create = function(f)
    if type(f) ~= "function" then argerror(1, "function expected", "coroutine.create") end
    local co = co_create(f)
    if rs.limit > 0 then rs.arm_budget(co) end
    local threads = rs.threads
    if not threads then
      threads = setmetatable({}, WEAK_K)
      rs.threads = threads
    end
    threads[co] = true
    return co
  end
  lib.resume = function(co, ...) return co_back(rs, co_resume(co, ...)) end
  local create = lib.create
  lib.wrap = function(f)
    if type(f) ~= "function" then argerror(1, "function expected", "coroutine.wrap") end
    local co = create(f)
    return function(...) return co_finish(rs, co, co_resume(co, ...)) end
  end
end

-- xpcall on LuaJIT when the sandbox hooks: once the program was stopped a
-- message handler written in Lua is not called (it would run with hooks
-- off, unstoppable). A C handler (debug.traceback...) is passed as it is.
-- (PUC Lua: disarm_handlers instead; a wrapper would show there, as a
-- "(tail call)" level on 5.1.)
local function make_xpcall(rs)
  return function(f, handler, ...)
    if type(handler) ~= "function" or dgetinfo(handler, "S").what == "C" then
      return real_xpcall(f, handler, ...)
    end
    return real_xpcall(f, function(e)
      if rs.fired then return e end
      return handler(e)
    end, ...)
  end
end

-- The environment of run 'rs'. Normally a fresh table whose libraries
-- are copies, so that nothing the program does to them reaches the next
-- program (not even a finalizer of its that runs during a later one).
-- With 'opts.throwaway' the host discards the whole state after the run:
-- the program then gets the real globals and libraries, changed in place
-- (no copies to make, and as in a plain interpreter, the registry's
-- _LOADED and _G are the program's).
local function make_env(rs, opts, o)
  local env
  if opts.throwaway then
    env = G
  elseif COPY.env then
    env = COPY.env()
  else
    env = COPY.G()
    local names, copy = COPY.names, COPY.copy
    for i = 1, #names do env[names[i]] = copy[i]() end
    env._G = env
    local pkg = env.package
    pkg.loaded = COPY.loaded(env)
    pkg.preload = shallow(PRELOAD)
  end
  local lib = env.os
  if opts.deterministic then
    lib.time, lib.clock, lib.date = det_time, det_clock, det_date
  elseif opts.throwaway then
    lib.time, lib.clock, lib.date = real_time, real_clock, real_date
  end
  env.arg = { [0] = rs.chunkname }
  env.print = make_print(env, o)
  make_io(env, rs, o)
  make_os(env, rs)
  make_loaders(env, rs, opts.allow_binary ~= false)
  if real_module then make_module(env) end
  if rs.hooked then
    if WRAP_XPCALL then env.xpcall = make_xpcall(rs) end
    if not (is51 and not jit and rs.limit == 0) then
      env.debug.sethook, env.debug.gethook = rs.sethook, rs.gethook
    end
    if per_thread_hooks then make_coroutine(env, rs) end
  end
  env.require = make_require(env, rs, opts.allow_binary ~= false)
  return env
end

-- ---------------------------------------------------------------------
-- M.run
-- ---------------------------------------------------------------------
local function render_error(v)
  local ok, s = pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return sfmt("(error object is a %s value)", type(v))
end

-- How the program's chunk is named: "=" .. name, so that messages say
-- "name:1:"; gopher-lua shows chunk names as given ("=name:1:"), so there
-- it gets the bare name, which it shows as the others show "=name".
-- (Found from a syntax error, not a pcall: gopher-lua closes every open
-- upvalue when pcall catches an error, so a pcall here, while this chunk
-- runs, would cut the functions above from locals set later, like 'R'.)
local CHUNK_PREFIX = "="
if ssub(select(2, (real_loadstring or real_load)("(", "=lvt")) or "", 1, 4) == "=lvt" then
  CHUNK_PREFIX = ""
end

local function compile(src, chunkname, env, allow_binary)
  if load_has_env then
    return real_load(src, CHUNK_PREFIX .. chunkname, allow_binary and "bt" or "t", env)
  end
  if not allow_binary and sbyte(src, 1) == 27 then
    return nil, "attempt to load a binary chunk (mode is 't')"
  end
  local fn, msg = real_loadstring(src, CHUNK_PREFIX .. chunkname)
  if fn then real_setfenv(fn, env) end
  return fn, msg
end

-- Preludes (opts.prelude, LVX's 'prelude' field): a chunk that many
-- programs start with, compiled once per VM and kept here, so that each
-- program compiles only its body. Each run calls the kept function with
-- the program's environment bound to it afresh (setfenv on 5.1 and
-- LuaJIT; on 5.2+ its _ENV upvalue joined to a new one, so that closures
-- an earlier program made keep theirs), and calls the body with what it
-- returned. Kept per chunk name and text; at most PRELUDES_MAX texts.
local PRELUDES_MAX = 8
local preludes, npreludes = {}, 0

local last_text, last_name, last_f   -- (the last one asked for)

local function prelude_get(text, chunkname)
  -- Programs come with the same prelude run after run: a comparison of
  -- the texts (memcmp) is much cheaper than hashing a long one (5.4
  -- hashes every byte) for the lookup.
  if text == last_text and chunkname == last_name then return last_f end
  local byname = preludes[chunkname]
  local f = byname and byname[text]
  if f then
    last_text, last_name, last_f = text, chunkname, f
    return f
  end
  if not real_setfenv and not dupvaluejoin then
    return nil, "preludes need setfenv or debug.upvaluejoin"
  end
  local msg
  if load_has_env then f, msg = real_load(text, CHUNK_PREFIX .. chunkname, "t")
  else f, msg = real_loadstring(text, CHUNK_PREFIX .. chunkname) end
  if not f then return nil, msg end
  if npreludes >= PRELUDES_MAX then preludes, npreludes = {}, 0 end
  if not preludes[chunkname] then preludes[chunkname] = {} end
  preludes[chunkname][text] = f
  npreludes = npreludes + 1
  last_text, last_name, last_f = text, chunkname, f
  return f
end

local function prelude_bind(f, env)
  if real_setfenv then
    real_setfenv(f, env)
  else
    local function holder() return env end   -- its one upvalue: env
    dupvaluejoin(f, 1, holder, 1)
  end
end

-- M.preload(text, chunkname) compiles and keeps a prelude ahead of the
-- runs that name it (the reference keeps it in its boot image); true or
-- nil, message.
function M.preload(text, chunkname)
  local f, msg = prelude_get(text, chunkname)
  return f ~= nil or nil, msg
end

run = function(src, chunkname, opts)
  opts = opts or {}
  local cap = tonumber(opts.max_output) or 1048576
  local allow_binary = opts.allow_binary ~= false
  local limit = tonumber(opts.instr_limit) or 0
  if limit < 0 or not HAVE_HOOKS then limit = 0 end    -- (no budget without hooks)
  local o = out_new(cap)
  local rs = { chunkname = chunkname, fc = { scratch = opts.scratch, written = {}, ntmp = 0 },
               limit = limit, used = 0, host_stop = opts.host_stop, o = o }
  rs.period = limit > 0 and limit < WATCH_PERIOD and limit or WATCH_PERIOD
  -- Whether the sandbox has a Lua hook of its own this run (a host that
  -- stops programs itself and counts the budget needs none).
  rs.own = rs.host_stop == nil or limit > 0
  rs.hooked = rs.own and HAVE_HOOKS
  if rs.hooked then make_hooks(rs) end
  local env = make_env(rs, opts, o)
  local res = { outcome = "ok", truncated = false, dirty = false }
  local pure = opts.pure and not opts.throwaway
  if pure then env.getmetatable = pure_getmetatable else tainted = true end

  R = rs
  string_mt.__index = env.string        -- ("x"):f() sees the program's string
  if opts.deterministic then mrandomseed(FIXED_SEED) end
  local pre, fn, msg
  if opts.prelude then pre, msg = prelude_get(opts.prelude, chunkname) end
  if pre or not opts.prelude then fn, msg = compile(src, chunkname, env, allow_binary) end
  local ok, err = false, msg
  if fn then
    if limit > 0 then rs.arm_budget(nil) end
    if pre then
      -- (both at the depth of a whole program's pcall)
      prelude_bind(pre, env)
      local r = pack_n(pcall(pre))
      if r[1] then ok, err = pcall(fn, unpack(r, 2, r.n)) else ok, err = false, r[2] end
    else
      ok, err = pcall(fn)
    end
    if rs.hooked then dsethook() end
  elseif not allow_binary and sbyte(src, 1) == 27 then
    res.detail = "binary chunk refused (allow_binary is off)"
  end
  R = nil

  if rs.fired == "exit" then
    res.outcome, res.exitcode = "exit", rs.exitcode
  elseif rs.fired == "timeout" then
    res.outcome, res.detail = "timeout", "instruction limit"
  elseif not ok then
    if err == "not enough memory" then
      res.outcome, res.detail = "memory", "not enough memory"
    else
      res.outcome = "error"
      res.errtype = type(err)
      local s = render_error(err)
      if #s > cap then s = ssub(s, 1, cap) end
      res.errval = s
    end
  end

  -- Clean up, then look for state the program changed behind our back
  -- (not when the host throws the whole state away).
  env, fn, err, pre = nil, nil, nil, nil
  string_mt.__index = string
  if next(rs.fc.written) ~= nil then
    for p in pairs(rs.fc.written) do real_remove(p) end
  end
  if not opts.throwaway then
    local why = changed_state(pure)
    if why then
      res.dirty = true
      res.detail = res.detail and res.detail .. "; changed " .. why or "changed " .. why
    end
    if rs.hooked then dsethook() end
  end
  res.out = o.n == 1 and o.parts[1] or tconcat(o.parts, "", 1, o.n)
  res.truncated = o.truncated
  return res
end

M.run = run
M.version = _VERSION .. (jit and " / " .. jit.version or "")
watched[#watched + 1] = { M, wsnap(M), "the sandbox module" }
if wsnap == HOST.snapshot and type(HOST.watcher) == "function" then
  -- The tables, then the metatables of the probes and of _G, in the
  -- order of changed_state (the last change found gives the reason).
  local mts = {}
  wreasons = {}
  for i = 1, #watched do wreasons[i] = watched[i][3] end
  for i = 1, 6 do
    mts[i] = { value = probes[i], mt = probe_mts[i] }
    wreasons[#watched + i] = probe_why(i)
  end
  mts[7] = { value = G, mt = pristine.G_mt }
  wreasons[#watched + 7] = "the metatable of _G"
  wchanged = HOST.watcher(watched, mts)
end
return M
