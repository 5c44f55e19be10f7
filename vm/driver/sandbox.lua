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
--            scratch = "/abs/dir" or nil }  -- where files may be written
--   res  = { outcome = "ok"|"error"|"exit"|"timeout"|"memory",
--            out = string, truncated = bool,
--            errtype = string|nil, errval = string|nil,   -- outcome "error"
--            exitcode = int|nil,                          -- outcome "exit"
--            dirty = bool,      -- shared state changed: restart the VM
--            detail = string|nil }
--
-- Policy, in short: a fresh environment per program whose library tables
-- are copies; print/io.write/io.stdout captured with each VM's own number
-- formatting; stdin is empty (the real stdin/stdout are the protocol
-- channel); os.execute, io.popen, package.loadlib, debug.debug and C
-- modules (LuaJIT's ffi too) raise "... disabled by lvtest"; files are
-- written only inside 'scratch' (relative paths resolve there, '..' is
-- refused) and removed after the run; os.exit and the instruction budget
-- end the program through a count hook that keeps raising, so pcall cannot
-- swallow them. LuaJIT: the count hook does not run inside compiled traces,
-- so a loop the JIT compiled is stopped by lvtest's wall-clock timeout
-- instead of the instruction budget.
--
-- This file must not create globals: everything is local to the chunk.

local M = {}

-- ---------------------------------------------------------------------
-- What this VM is, captured before any program runs
-- ---------------------------------------------------------------------
local G = _G
local type, pairs, ipairs, next, select = type, pairs, ipairs, next, select
local tostring, tonumber, error, pcall = tostring, tonumber, error, pcall
local setmetatable, getmetatable = setmetatable, getmetatable
local rawget, rawset, rawequal = rawget, rawset, rawequal
local string, table, math, io, os = string, table, math, io, os
local coroutine, debug, package = coroutine, debug, package
local sfmt, ssub, sfind, sbyte, sgsub = string.format, string.sub, string.find,
                                        string.byte, string.gsub
local tconcat = table.concat
local dsethook, dgethook, dgetinfo = debug.sethook, debug.gethook, debug.getinfo
local dgetmetatable = debug.getmetatable
local co_create, co_resume, co_status = coroutine.create, coroutine.resume,
                                        coroutine.status
local co_close = coroutine.close
local real_load, real_loadstring = load, rawget(G, "loadstring")
local real_setfenv, real_getfenv = rawget(G, "setfenv"), rawget(G, "getfenv")
local real_open, real_remove, real_rename = io.open, os.remove, os.rename
local real_iotype = io.type
local real_time, real_date = os.time, os.date
local collectgarbage = collectgarbage
local jit = rawget(G, "jit")
local mtype = math.type

local is51 = _VERSION == "Lua 5.1"          -- LuaJIT says 5.1 too
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
local main_thread = (function()
  local co, ismain = coroutine.running()
  if ismain then return co end
end)()

local FIXED_TIME = 1000000000    -- 2001-09-09, for deterministic runs
local FIXED_SEED = 42
local WATCH_PERIOD = 1000        -- instructions between hook checks

-- table.unpack with an explicit count (5.1 has only unpack).
local unpack = table.unpack or G.unpack
local function unpack_n(t, n) return unpack(t, 1, n) end

-- Exit codes of os.exit(true/false) as C's EXIT_SUCCESS/EXIT_FAILURE.
local EXIT_SUCCESS, EXIT_FAILURE = 0, 1

-- The library tables a program gets copies of.
local LIBS = { "string", "table", "math", "io", "os", "coroutine", "debug",
               "package", "utf8", "bit32", "bit", "jit" }

local function disabled(name)
  return function() error(name .. " disabled by lvtest", 2) end
end

-- ---------------------------------------------------------------------
-- Process-wide policy, applied once: no C modules from the real require
-- ---------------------------------------------------------------------
do
  local searchers = package.searchers or package.loaders
  -- Keep the preload and Lua-file searchers; drop C and all-in-one.
  for i = #searchers, 3, -1 do searchers[i] = nil end
  package.cpath = ""
  package.loadlib = disabled("package.loadlib")
end

-- ---------------------------------------------------------------------
-- The pristine shared state, to tell when a program changed it (dirty)
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

-- A function returning a fresh copy of snapshot 's', built by a table
-- constructor compiled once (it sizes the table up front: copying the
-- libraries for every program is the sandbox's main cost).
local function copier(s)
  local parts, vals, n = {}, {}, 0
  for k, v in next, s.pairs do
    if type(k) ~= "string" then
      return function() return shallow(s.pairs) end
    end
    n = n + 1
    vals[n] = v
    parts[n] = sfmt("[%q] = V[%d]", k, n)
  end
  local src = "local V = ... return function() return {" .. tconcat(parts, ",\n") .. "} end"
  return (real_loadstring or real_load)(src, "=lvtest copier")(vals)
end

local string_mt = dgetmetatable("")
local pristine = {
  G = snapshot(G),
  libs = {},
  copy = {},
  loaded = snapshot(package.loaded),
  string_mt = snapshot(string_mt),
  mts = {},
  G_mt = dgetmetatable(G),
  locale = os.setlocale(),
  fenv0 = real_getfenv and real_getfenv(0),
  jit = jit and tconcat({ tostring(jit.status()) }, " ") or nil,
}
for _, name in ipairs(LIBS) do
  local lib = rawget(G, name)
  if type(lib) == "table" then
    pristine.libs[name] = snapshot(lib)
    pristine.copy[name] = copier(pristine.libs[name])
  end
end
local probes = { 0, true, print, main_thread or coroutine.create(function() end) }
for i, v in ipairs(probes) do pristine.mts[i] = dgetmetatable(v) end
local nil_mt = dgetmetatable(nil)
local gc_pause = collectgarbage("setpause", 200)
collectgarbage("setpause", gc_pause)
local gc_stepmul = collectgarbage("setstepmul", 200)
collectgarbage("setstepmul", gc_stepmul)
local gc_has_isrunning = pcall(collectgarbage, "isrunning")

-- Shared state a program changed. Locale and GC settings are put back
-- instead (cheap and exact); the rest needs a fresh VM.
-- A hook the program left is not counted: the driver clears hooks itself.
local function changed_state()
  local why
  if not same(G, pristine.G) then why = "the real _G" end
  for name, snap in pairs(pristine.libs) do
    if not same(G[name], snap) then why = "the real " .. name .. " library" end
  end
  if not same(package.loaded, pristine.loaded) then why = "package.loaded" end
  if dgetmetatable("") ~= string_mt or not same(string_mt, pristine.string_mt) then
    why = "the string metatable"
  end
  for i, v in ipairs(probes) do
    if dgetmetatable(v) ~= pristine.mts[i] then why = "a " .. type(v) .. " metatable" end
  end
  if dgetmetatable(nil) ~= nil_mt then why = "the nil metatable" end
  if dgetmetatable(G) ~= pristine.G_mt then why = "the metatable of _G" end
  if real_getfenv and real_getfenv(0) ~= pristine.fenv0 then why = "the thread environment" end
  if jit and tconcat({ tostring(jit.status()) }, " ") ~= pristine.jit then
    why = "the JIT state"
  end
  -- Put back what can be put back.
  if os.setlocale() ~= pristine.locale then os.setlocale(pristine.locale) end
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
  for comp in string.gmatch(path, "[^/]+") do
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
local STREAM_MT = {}
STREAM_MT.__index = STREAM_MT
STREAM_MT.__name = "FILE*"
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

function STREAM_MT.write(s, ...)
  if s.kind ~= "out" then return nil, "Bad file descriptor", 9 end
  write_args(s.out, ...)
  if write_returns_file then return s end
  return true
end
STREAM_MT.read = eof_read
function STREAM_MT.lines(s, ...)
  local fmts = { n = select("#", ...), ... }
  return function() return eof_read(s, unpack_n(fmts, fmts.n)) end
end
function STREAM_MT.close() return nil, "cannot close standard file" end
function STREAM_MT.flush(s) if write_returns_file then return s end return true end
function STREAM_MT.setvbuf() return true end
function STREAM_MT.seek() return nil, "Illegal seek", 29 end

-- ---------------------------------------------------------------------
-- The environment of one program
-- ---------------------------------------------------------------------
local function make_io(env, rs, o)
  local fc = rs.fc
  local lib = env.io
  local stdout, stdin = stream_new("out", o), stream_new("in", nil)
  local cur_out, cur_in = stdout, stdin
  local function is_stream(f) return getmetatable(f) == STREAM_MT end
  lib.stdout, lib.stdin = stdout, stdin
  lib.popen = disabled("io.popen")
  lib.open = function(path, mode) return open_file(fc, path, mode) end
  lib.type = function(f)
    if is_stream(f) then return "file" end
    return real_iotype(f)
  end
  lib.write = function(...)
    if is_stream(cur_out) then
      write_args(o, ...)
      if write_returns_file then return cur_out end
      return true
    end
    return cur_out:write(...)
  end
  lib.read = function(...) return cur_in:read(...) end
  lib.lines = function(path, ...)
    if path == nil then return cur_in:lines(...) end
    local f, msg = open_file(fc, path, "r")
    if not f then
      if is51 or jit then error(sfmt("bad argument #1 to 'lines' (%s)", msg), 2) end
      error(sfmt("cannot open file '%s' (%s)", tostring(path),
                 sgsub(msg, "^.-: ", "", 1)), 2)
    end
    f:close()
    return io.lines(resolve(fc, path), ...)
  end
  local function redirect(which, cur, mode)
    return function(f)
      if f == nil then return cur() end
      if type(f) == "string" then
        local h, msg = open_file(fc, f, mode)
        if not h then
          if is51 or jit then error(sfmt("bad argument #1 to '%s' (%s)", which, msg), 2) end
          error(sfmt("cannot open file '%s' (%s)", f, sgsub(msg, "^.-: ", "", 1)), 2)
        end
        f = h
      end
      cur(f)
      return f
    end
  end
  lib.output = redirect("output", function(f)
    if f ~= nil then cur_out = f end
    return cur_out
  end, "w")
  lib.input = redirect("input", function(f)
    if f ~= nil then cur_in = f end
    return cur_in
  end, "r")
  lib.close = function(f)
    if f == nil then f = cur_out end
    return f:close()
  end
  lib.flush = function() return cur_out:flush() end
end

local function make_os(env, rs, det)
  local fc = rs.fc
  local lib = env.os
  lib.execute = disabled("os.execute")
  lib.exit = function(code)
    local c
    if code == nil or code == true then c = EXIT_SUCCESS
    elseif code == false then c = EXIT_FAILURE
    else
      c = tonumber(code)
      if c == nil then
        error(sfmt("bad argument #1 to 'exit' (number expected, got %s)", type(code)), 2)
      end
      if c ~= c or c >= 2147483648 or c < -2147483648 or (mtype and c ~= math.floor(c)) then
        error("bad argument #1 to 'exit' (number has no integer representation)", 2)
      end
      c = math.floor(c)
    end
    rs.exitcode = c
    rs.stop("exit")
  end
  lib.remove = function(path)
    local p = writable(fc, path)
    if not p then return refused(path) end
    return fs_result(fc, nil, real_remove(p))
  end
  lib.rename = function(from, to)
    local p, q = writable(fc, from), writable(fc, to)
    if not p then return refused(from) end
    if not q then return refused(to) end
    return fs_result(fc, q, real_rename(p, q))
  end
  lib.tmpname = function()
    if not fc.scratch then error("os.tmpname disabled by lvtest (no scratch directory)", 2) end
    fc.ntmp = fc.ntmp + 1
    local p = sfmt("%s/lua_%d", fc.scratch, fc.ntmp)
    local f = real_open(p, "w")
    if f then f:close() fc.written[p] = true end
    return p
  end
  if det then
    lib.time = function(...)
      if select("#", ...) == 0 or (...) == nil then return FIXED_TIME end
      return real_time(...)
    end
    lib.clock = function() return 0 end
    lib.date = function(fmt, t, ...)
      if t == nil then t = FIXED_TIME end
      return real_date(fmt == nil and "%c" or fmt, t, ...)
    end
  end
end

-- require for the program's environment: its own package.loaded, preload
-- and path, Lua files loaded into the program's environment.
local function make_require(env, rs, allow_binary)
  local pkg = env.package
  local function searchpath(name, path)
    local tried = {}
    name = sgsub(name, "%.", "/")
    for t in string.gmatch(path, "[^;]+") do
      local f = sgsub(t, "%?", name)
      local h = open_file(rs.fc, f, "r")
      if h then h:close() return f end
      tried[#tried + 1] = "\n\tno file '" .. f .. "'"
    end
    return nil, tconcat(tried)
  end
  local function preload_searcher(name)
    local f = pkg.preload[name]
    if f ~= nil then return f, ":preload:" end
    return "\n\tno field package.preload['" .. name .. "']"
  end
  local function lua_searcher(name)
    local p, msg = searchpath(name, pkg.path)
    if not p then return msg end
    local fn, err = load_file(rs.fc, env, allow_binary, p)
    if not fn then
      error(sfmt("error loading module '%s' from file '%s':\n\t%s", name, p, err), 3)
    end
    return fn, p
  end
  pkg.searchers = { preload_searcher, lua_searcher }
  if is51 then pkg.loaders = pkg.searchers end
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
        local r = loader(name, extra)
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

-- Coroutines on PUC Lua: new threads get the run's count hook (they
-- inherit the C hook but not the Lua function, which is kept per thread).
local function make_coroutine(env, rs)
  if not per_thread_hooks then return end
  local lib = env.coroutine
  lib.create = function(f)
    local co = co_create(f)
    rs.arm(co, rs.period)
    rs.threads[co] = true
    return co
  end
  -- Back from a coroutine that called os.exit or ran out of budget: stop
  -- here too (on 5.1 the main thread cannot be armed from inside one).
  local function back(...)
    if rs.fired then rs.stop(rs.fired) end
    return ...
  end
  lib.resume = function(co, ...) return back(co_resume(co, ...)) end
  local function finish(co, ok, ...)
    if rs.fired then rs.stop(rs.fired) end
    if ok then return ... end
    local e = ...
    if co_close and co_status(co) == "dead" then
      local ok2, e2 = co_close(co)
      if not ok2 then e = e2 end
    end
    error(e, 2)
  end
  lib.wrap = function(f)
    local co = lib.create(f)
    return function(...) return finish(co, co_resume(co, ...)) end
  end
end

local copy_G = copier(pristine.G)

local function make_env(rs, opts, o)
  local env = copy_G()
  for name, copy in pairs(pristine.copy) do env[name] = copy() end
  env._G = env
  env.arg = { [0] = rs.chunkname }
  env.debug.debug = disabled("debug.debug")
  env.print = make_print(env, o)
  make_io(env, rs, o)
  make_os(env, rs, opts.deterministic)
  make_loaders(env, rs, opts.allow_binary ~= false)
  make_coroutine(env, rs)
  -- package: fresh loaded and preload tables, no C modules, no ffi.
  local pkg = env.package
  pkg.loaded = {}
  for name in pairs(pristine.libs) do pkg.loaded[name] = env[name] end
  pkg.loaded._G = env
  pkg.preload = shallow(package.preload)
  pkg.preload.ffi = nil
  pkg.cpath = ""
  pkg.loadlib = disabled("package.loadlib")
  env.require = make_require(env, rs, opts.allow_binary ~= false)
  return env
end

-- ---------------------------------------------------------------------
-- Stopping a program: a count hook that cannot be pcall'ed away
-- ---------------------------------------------------------------------
local STOP = setmetatable({}, { __tostring = function() return "lvtest: program stopped" end })

-- Per-run hook state: 'stop(kind)' makes every thread raise on its next
-- instruction; the budget is counted in periods of 'period' instructions.
local function make_stopper(rs, limit, run_fn)
  local count, fired = 0, nil
  local hook
  local function arm(co, n)
    if co then dsethook(co, hook, "", n) else dsethook(hook, "", n) end
  end
  local function stop(kind)
    if not fired then fired = kind end
    rs.fired = fired
    arm(nil, 1)
    if main_thread then arm(main_thread, 1) end
    for co in pairs(rs.threads) do
      if co_status(co) ~= "dead" then arm(co, 1) end
    end
    error(STOP, 0)
  end
  hook = function()
    if fired then
      -- Back in the driver (the program has unwound): stop raising.
      if dgetinfo(2, "f").func == run_fn then
        dsethook()
        return
      end
      arm(nil, 1)
      error(STOP, 0)
    end
    if limit > 0 then
      count = count + rs.period
      if count >= limit then stop("timeout") end
    end
  end
  rs.arm, rs.stop, rs.hook = arm, stop, hook
  rs.threads = setmetatable({}, { __mode = "k" })
  if limit > 0 and limit < WATCH_PERIOD then rs.period = limit else rs.period = WATCH_PERIOD end
  -- LuaJIT: a hook costs the JIT; install it only for a budget.
  rs.hooked = per_thread_hooks or limit > 0
end

-- ---------------------------------------------------------------------
-- M.run
-- ---------------------------------------------------------------------
local function render_error(v)
  local ok, s = pcall(tostring, v)
  if ok and type(s) == "string" then return s end
  return sfmt("(error object is a %s value)", type(v))
end

local function compile(src, chunkname, env, allow_binary)
  if load_has_env then
    return real_load(src, "=" .. chunkname, allow_binary and "bt" or "t", env)
  end
  if not allow_binary and sbyte(src, 1) == 27 then
    return nil, "attempt to load a binary chunk (mode is 't')"
  end
  local fn, msg = real_loadstring(src, "=" .. chunkname)
  if fn then real_setfenv(fn, env) end
  return fn, msg
end

local run   -- forward: the hook recognises this function

run = function(src, chunkname, opts)
  opts = opts or {}
  local cap = tonumber(opts.max_output) or 1048576
  local allow_binary = opts.allow_binary ~= false
  local o = out_new(cap)
  local rs = { chunkname = chunkname, fc = { scratch = opts.scratch, written = {}, ntmp = 0 } }
  make_stopper(rs, tonumber(opts.instr_limit) or 0, run)
  local env = make_env(rs, opts, o)
  local res = { outcome = "ok", truncated = false, dirty = false }

  string_mt.__index = env.string        -- ("x"):f() sees the program's string
  if opts.deterministic then math.randomseed(FIXED_SEED) end
  local fn, msg = compile(src, chunkname, env, allow_binary)
  local ok, err = false, msg
  if fn then
    if rs.hooked then rs.arm(nil, rs.period) end
    ok, err = pcall(fn)
    if rs.hooked and not rs.fired then dsethook() end
  elseif not allow_binary and sbyte(src, 1) == 27 then
    res.detail = "binary chunk refused (allow_binary is off)"
  end

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
  if rs.fired then dsethook() end

  -- Clean up, then look for state the program changed behind our back.
  env, fn, err = nil, nil, nil
  string_mt.__index = string
  for p in pairs(rs.fc.written) do real_remove(p) end
  local why = changed_state()
  if why then
    res.dirty = true
    res.detail = res.detail and res.detail .. "; changed " .. why or "changed " .. why
  end
  dsethook()
  res.out = tconcat(o.parts, "", 1, o.n)
  res.truncated = o.truncated
  return res
end

M.run = run
M.version = _VERSION .. (jit and " / " .. jit.version or "")
return M
