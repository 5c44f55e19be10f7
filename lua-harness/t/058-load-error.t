-- 058-load-error.t -- Lua 5.4 manual §6.1 (basic functions): load (strings,
-- reader functions, chunk names, modes and env, 5.2+), loadstring (5.1),
-- loadfile and dofile on files in the scratch directory, error (levels,
-- non-string error objects), pcall and xpcall (handlers, extra arguments).
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end
local load52 = D.version >= 5.2 or D.luajit            -- load takes strings, modes, env
local loadstr = load52 and load or loadstring

-- Loads 'src' with globals 'env' (5.1: setfenv).
local function load_env(src, env)
  if load52 then return load(src, '=env', 't', env) end
  local f = loadstring(src)
  if f then setfenv(f, env) end
  return f
end

-- ---------------------------------------------------------------------
t.section '§6.1 load of strings'
do
  local f = loadstr('return 1 + 1')
  t.is(type(f), 'function', 'a chunk compiles to a function')
  t.is(f(), 2, 'calling it runs the chunk')
  t.is_deeply(pack(loadstr('return ...')(1, nil, 3)), { n = 3, 1, nil, 3 }, 'a main chunk is a vararg function')
  local r = pack(loadstr('x ='))
  t.is(r[1], nil, 'a syntax error returns nil (fail)')
  t.is(type(r[2]), 'string', 'plus a message')
  t.like(select(2, loadstr('x =', '=mychunk')), '^mychunk:1:', 'the message starts with the chunk name and line')
  t.like(select(2, loadstr('\n\nx =', '=mychunk')), '^mychunk:3:', 'the line of the error')
  t.like(select(2, loadstr('x =')), '^%[string "x ="%]:1:', 'the default chunk name quotes the source')
  local _, rte = pcall(loadstr('error("boom")', '@file.lua'))
  t.like(rte, '^file%.lua:1: boom', 'runtime errors use the chunk name too')
  local long = 'local a = 1 ' .. string.rep('-- padding ', 20) .. '\nx ='
  t.like(select(2, loadstr(long)), '^%[string "local a = 1', 'long sources are abbreviated in the chunk name')
  local g = loadstr('local a, b = ... return b, a')
  t.is_deeply(pack(g('x', 'y')), { n = 2, 'y', 'x' }, 'arguments arrive through ...')
  local h = loadstr('counter = (counter or 0) + 1 return counter')
  h() h()
  t.is(counter, 2, 'a loaded chunk uses the global environment')
  counter = nil
  t.is(type(loadstr('')), 'function', 'the empty chunk compiles')
  t.is(select('#', loadstr('')()), 0, 'and returns nothing')
end

t.section '§6.1 load with a reader function'
if load52 or D.version == 5.1 then
  local pieces = { 'return ', '"con', 'cat"', nil }
  local i = 0
  local f = load(function() i = i + 1 return pieces[i] end)
  t.is(f(), 'concat', 'the pieces returned by the reader are concatenated')
  local j = 0
  local g = load(function() j = j + 1 if j == 1 then return 'return 7' end return '' end)
  t.is(g(), 7, 'an empty string ends the chunk')
  local empty = load(function() return nil end)
  t.is(select('#', empty()), 0, 'a reader returning nil at once gives the empty chunk')
  local k = 0
  local r = pack(load(function() k = k + 1 if k == 1 then return 'x =' end end, '=reader'))
  t.ok(r[1] == nil and r[2]:match('^reader:'), 'a syntax error through a reader gives nil plus a message')
  local bad = pack(load(function() return {} end))
  t.ok(bad[1] == nil and type(bad[2]) == 'string', 'a reader returning a non-string fails')
  local chars = {}
  for c in ('return 40 + 2'):gmatch('.') do chars[#chars + 1] = c end
  local n = 0
  t.is(load(function() n = n + 1 return chars[n] end)(), 42, 'one character at a time')
end

t.section '§6.1 load modes and env (5.2+)'
if load52 then
  local env = { x = 5 }
  local f = load('y = x * 2 return x', '=env', 't', env)
  t.is(f(), 5, 'the env table supplies the globals')
  t.is(env.y, 10, 'and receives the assignments')
  t.is(rawget(_G, 'y'), nil, 'the global table is untouched')
  local bin = string.dump(function() return 'bin' end)
  t.is(load(bin, 'b', 'b')(), 'bin', 'mode "b" loads a binary chunk')
  local r = pack(load(bin, 'b', 't'))
  t.ok(r[1] == nil and type(r[2]) == 'string', 'mode "t" refuses a binary chunk')
  local r2 = pack(load('return 1', 't', 'b'))
  t.ok(r2[1] == nil and type(r2[2]) == 'string', 'mode "b" refuses a text chunk')
  t.is(load('return 3', 'bt', 'bt')(), 3, 'mode "bt" accepts text')
  if D.version >= 5.2 and not D.luajit then
    local g = load('return print', '=nil env', 't', nil)
    t.error_like(g, 'nil', 'an explicit nil env: globals cannot be reached (5.2+)')
    local h = load('return _ENV', '=e', 't', env)
    t.ok(h() == env, '_ENV is the env table (5.2+)')
  else
    t.skip('_ENV and an explicit nil env are 5.2+', 2)
  end
else
  t.skip('load modes and env are 5.2+', 9)
end

t.section '§6.1 loadstring (5.1)'
if D.version == 5.1 then
  t.is(loadstring('return 5')(), 5, 'loadstring compiles a string (5.1)')
  t.like(select(2, loadstring('x =', 'named')), '^%[string "named"%]:1:', 'its chunk name argument (5.1)')
else
  t.skip('loadstring is the 5.1 name of load', 2)
end

-- ---------------------------------------------------------------------
t.section '§6.1 loadfile and dofile'
if D.need(t, 'io_files', 11) then
  local name = 'lvt058_chunk.lua'
  local f = assert(io.open(name, 'w'))
  f:write('#!/usr/bin/env lua\nlocal a = ...\nreturn (a or 0) + 1, "second"\n')
  f:close()
  local lf = loadfile(name)
  t.is(type(lf), 'function', 'loadfile compiles a file')
  t.is_deeply(pack(lf(41)), { n = 2, 42, 'second' }, 'the chunk receives arguments and returns values')
  t.is_deeply(pack(dofile(name)), { n = 2, 1, 'second' }, 'dofile runs the file and returns all its results')
  local hf = assert(io.open(name, 'w'))
  hf:write('# not Lua at all\nerror("line two")\n')
  hf:close()
  t.error_like(function() dofile(name) end, ':2: line two', 'a first line starting with # is skipped but still counted')
  hf = assert(io.open(name, 'w'))
  hf:write('#!/usr/bin/env lua\nlocal a = ...\nreturn (a or 0) + 1, "second"\n')
  hf:close()
  local r = pack(loadfile('lvt058_missing.lua'))
  t.is(r[1], nil, 'loadfile of a missing file returns nil (fail)')
  t.like(r[2], 'lvt058_missing', 'plus a message naming it')
  t.error_like(function() dofile('lvt058_missing.lua') end, 'lvt058_missing', 'dofile of a missing file raises an error')
  local bad = assert(io.open(name, 'w'))
  bad:write('return +\n')
  bad:close()
  local r2 = pack(loadfile(name))
  t.ok(r2[1] == nil and r2[2]:match('lvt058_chunk%.lua:1:'), 'a syntax error: nil plus a message with the file name')
  t.error_like(function() dofile(name) end, 'lvt058_chunk%.lua:1:', 'dofile raises the syntax error')
  local rt = assert(io.open(name, 'w'))
  rt:write('\nerror("in file")\n')
  rt:close()
  t.error_like(function() dofile(name) end, 'lvt058_chunk%.lua:2: in file', 'dofile propagates runtime errors with positions')
  if load52 and not D.luajit then
    local ef = assert(io.open(name, 'w'))
    ef:write('return x')
    ef:close()
    t.is(loadfile(name, 't', { x = 'from env' })(), 'from env', 'loadfile with an env (5.2+)')
  else
    t.skip('loadfile takes mode and env from 5.2 on', 1)
  end
  os.remove(name)
end

-- ---------------------------------------------------------------------
t.section '§6.1 error'
do
  local line
  local function thrower() line = debug.getinfo(1, 'l').currentline + 1
    error('plain')
  end
  local ok, e = pcall(thrower)
  t.is(ok, false, 'error stops the function')
  t.like(e, ':' .. line .. ': plain$', 'level 1 adds the position of the error call')
  local function lvl2() error('blame caller', 2) end
  local cline
  local function caller() cline = debug.getinfo(1, 'l').currentline + 1
    lvl2()
  end
  local _, e2 = pcall(caller)
  t.like(e2, ':' .. cline .. ': blame caller$', 'level 2 points to the caller')
  local _, e3 = pcall(error, 'no position', 0)
  t.is(e3, 'no position', 'level 0 adds no position')
  local _, e4 = pcall(function() error('x', 0) end)
  t.is(e4, 'x', 'level 0 inside a function')
  local obj = {}
  local _, e5 = pcall(error, obj)
  t.ok(e5 == obj, 'a table error object is passed unchanged')
  local _, e6 = pcall(error)
  t.is(e6, nil, 'error() raises nil')
  local _, e7 = pcall(error, false)
  t.is(e7, false, 'false as an error object')
  if D.version >= 5.3 then
    local _, e8 = pcall(function() error(42) end)
    t.is(e8, 42, 'a number error object is not converted (5.3+)')
  else
    local _, e8 = pcall(function() error(42) end)
    t.like(e8, ': 42$', 'a number error object is a string with a position (5.1, 5.2)')
  end
  local mt = { __tostring = function() return 'custom' end }
  local _, e9 = pcall(error, setmetatable({}, mt))
  t.is(tostring(e9), 'custom', 'error objects keep their metatable')
end

-- ---------------------------------------------------------------------
t.section '§6.1 pcall'
do
  t.is_deeply(pack(pcall(function(a, b) return a + b, 'x' end, 1, 2)), { n = 3, true, 3, 'x' },
              'pcall returns true plus the results, passing its extra arguments')
  t.is_deeply(pack(pcall(function() end)), { n = 1, true }, 'a function returning nothing: only true')
  local r = pack(pcall(error, 'E', 0))
  t.is_deeply(r, { n = 2, false, 'E' }, 'on error: false plus the error object')
  local r2 = pack(pcall(42))
  t.ok(r2[1] == false and r2[2]:match('call'), 'calling a non-function is caught')
  local ok, inner_ok, inner_e = pcall(pcall, error, 'nested', 0)
  t.ok(ok and inner_ok == false and inner_e == 'nested', 'nested pcall: the inner one catches')
  local depth = 0
  local function recurse() depth = depth + 1 return recurse() + 1 end
  local ok3, e3 = pcall(recurse)
  t.is(ok3, false, 'a stack overflow is caught by pcall')
  t.like(tostring(e3), 'stack overflow', 'with a stack overflow message')
  t.error_like(function() pcall() end, 'bad argument #1', 'pcall() is an error')
  local ok4 = pcall(function() local x = nil; return x.y end)
  t.is(ok4, false, 'runtime errors are caught')
  t.is(select('#', pcall(function() return nil, nil end)), 3, 'nil results are kept')
end

t.section '§6.1 xpcall'
do
  local seen
  local r = pack(xpcall(function() error({ code = 7 }) end, function(e) seen = e return 'handled ' .. e.code end))
  t.is_deeply(r, { n = 2, false, 'handled 7' }, 'xpcall returns false plus the result of the handler')
  t.is(seen.code, 7, 'the handler receives the original error object')
  t.is_deeply(pack(xpcall(function() return 'fine', 2 end, print)), { n = 3, true, 'fine', 2 },
              'without an error xpcall returns true plus the results')
  local tb = select(2, xpcall(function() error('deep') end, debug.traceback))
  t.like(tb, 'deep\nstack traceback:', 'debug.traceback as a handler')
  local level
  xpcall(function() error('x') end, function() level = debug.getinfo(2, 'S') return 1 end)
  t.ok(level ~= nil, 'the handler runs before the stack unwinds')
  local ok = xpcall(function() error('x') end, function() error('handler fails') end)
  t.is(ok, false, 'an error inside the handler still gives false')
  if D.has.xpcall_args then
    t.is_deeply(pack(xpcall(function(a, b) return a * b end, print, 6, 7)), { n = 2, true, 42 },
                'extra arguments go to the function (5.2+)')
  else
    t.skip('xpcall passes extra arguments from 5.2 on', 1)
  end
end

t.done_testing()
