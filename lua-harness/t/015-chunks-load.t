-- 015-chunks-load.t -- Lua 5.4 manual §3.3.2 (chunks: an anonymous vararg
-- function with _ENV as its only upvalue), §6.1 load / loadfile / dofile
-- (chunk names, reader functions, modes 't'/'b', the env parameter,
-- errors returned rather than raised), §6.4 string.dump (round trips,
-- fresh upvalues: the first gets the environment, the others nil), §5.1
-- luaL_loadfilex (a first line starting with # is ignored).
local t = require 'tap'
local D = require 'lvt_dialect'

local loadtext = loadstring or load     -- compiles a string on every dialect

-- Runs 'fn', which reports exactly 'n' tests, when 'cond' holds; otherwise
-- skips 'n' tests with 'why'. A wrong 'n' is a failure.
local function when(cond, why, n, fn)
  if not cond then t.skip(why .. ' (not in ' .. _VERSION .. ')', n) return end
  local before = t.counts()
  fn()
  local ran = t.counts() - before
  if ran ~= n then t.ok(false, 'block "' .. why .. '" declared ' .. n .. ' tests, ran ' .. ran) end
end

-- A reader function returning the pieces one by one, then nil.
local function reader(pieces)
  local i = 0
  return function() i = i + 1 return pieces[i] end
end

-- Writes 'text' to a fresh temporary file and returns its name.
local function tmpfile(text)
  local name = os.tmpname()
  local f = assert(io.open(name, 'wb'))
  f:write(text)
  f:close()
  return name
end

local function pack(...) return { n = select('#', ...), ... } end

----------------------------------------------------------------------------
t.section '§3.3.2'
do
  local f = loadtext('return ...')
  t.is_deeply(pack(f(1, nil, 3)), { n = 3, 1, nil, 3 }, 'a chunk receives its arguments as ...')
  t.is(loadtext('return select("#", ...)')(), 0, 'a chunk called without arguments')
  t.is_deeply(pack(loadtext('return 1, "two", 3')()), { n = 3, 1, 'two', 3 }, 'a chunk returns several values')
  t.is(select('#', loadtext('local x = 1')()), 0, 'a chunk without return returns nothing')
  t.is(loadtext('local a, b = ... return a * b')(6, 7), 42, 'chunk locals initialised from ...')
  loadtext('local lvt_chunk_local = 1')()
  t.is(loadtext('return lvt_chunk_local')(), nil, "one chunk's locals are not visible in another")
  loadtext('lvt_chunk_global = 2')()
  t.is(loadtext('return lvt_chunk_global')(), 2, 'globals are shared between chunks')
  lvt_chunk_global = nil
  local x = 'caller local'
  t.is(loadtext('return x')(), nil, 'a chunk does not see the locals of the code that loads it')
  local g = loadtext('return function(a) return a + 1 end')()
  t.is(g(1), 2, 'a chunk can return a function')
  local f1, f2 = loadtext('return 1'), loadtext('return 1')
  t.ok(f1 ~= f2, 'each load makes a new function')
end

-- The chunk has _ENV as its only upvalue, even when it does not use it.
when(D.version >= 5.2 and debug and debug.getupvalue, '_ENV upvalue (5.2+)', 4, function()
  local f = loadtext('return 1')
  t.is(debug.getupvalue(f, 1), '_ENV', 'the first upvalue is _ENV even when unused')
  t.is(debug.getupvalue(f, 2), nil, 'there is no second upvalue')
  local g = loadtext('return x')
  local name, value = debug.getupvalue(g, 1)
  t.is(name, '_ENV', 'a chunk using globals: _ENV')
  t.ok(value == _G, 'its value is the global environment')
end)

----------------------------------------------------------------------------
t.section '§6.1 load'
-- Syntax errors are returned, not raised.
do
  local f, e = loadtext('x =')
  t.is(f, nil, 'a syntax error gives nil')
  t.is(type(e), 'string', 'and a message')
  local ok = pcall(loadtext, 'return +')
  t.is(ok, true, 'load itself does not raise on a syntax error')
  local _, e2 = loadtext('x =', '=mychunk')
  t.like(e2, '^mychunk:1:', 'a chunk name starting with = is used literally')
  local _, e3 = loadtext('\n\nx =', '@file.lua')
  t.like(e3, '^file%.lua:3:', 'a chunk name starting with @ is a file name')
  local _, e4 = loadtext('x =')
  t.ok(e4:find('x =', 1, true) ~= nil, 'the default chunk name is the chunk itself')
  local _, e5 = load(reader({ 'x =' }))
  t.like(e5, '^%(load%):1:', 'the default chunk name for a reader is =(load)')
  -- Only files skip a first line starting with # (§5.1 luaL_loadfilex).
  t.is(loadtext('#!/usr/bin/lua\nreturn 1'), nil, 'load does not skip a shebang first line')
end

-- Runtime errors carry the chunk name and line.
do
  local f = loadtext('local a = 1\nerror("boom")', '=rt')
  local _, e = pcall(f)
  t.is(e, 'rt:2: boom', 'error position uses the chunk name')
  local g = loadtext('\n\n\nlocal t = nil\nreturn t.x', '@some/path.lua')
  local _, e2 = pcall(g)
  t.like(e2, '^some/path%.lua:5:', 'an indexing error in a file-named chunk')
end

-- Reader functions.
do
  local f = load(reader({ 'ret', 'urn 4', '2' }))
  t.is(f and f(), 42, 'pieces are concatenated, even inside tokens')
  local calls = 0
  local g = load(function() calls = calls + 1 if calls == 1 then return 'return 7' end end)
  t.is(g and g(), 7, 'a reader returning nil ends the chunk')
  t.is(calls, 2, 'the reader is not called after it signalled the end')
  local h = load(reader({ 'return 8', '', 'error("not read")' }))
  t.is(h and h(), 8, 'an empty string ends the chunk')
  local k = 0
  local n = load(function() k = k + 1 if k == 1 then return 'return 9' end return end)
  t.is(n and n(), 9, 'no value ends the chunk')
  local empty = load(reader({}))
  t.is(type(empty), 'function', 'an empty chunk compiles')
  t.is(select('#', empty()), 0, 'and returns nothing')
  local bad, e = load(reader({ 'return ', {} }))
  t.ok(bad == nil and type(e) == 'string', 'a reader returning a non-string is an error message')
  local many = {}
  many[1] = 'local x '
  for i = 1, 1000 do many[#many + 1] = 'x=' .. i .. ';' end
  many[#many + 1] = 'return x'
  local big = load(reader(many))
  t.is(big and big(), 1000, 'a chunk from 1002 pieces')
  local _, e2 = load(reader({ 'return (' }), '=pieces')
  t.like(e2, '^pieces:', 'a reader chunk with a name')
end

-- Modes and environments (5.2+, LuaJIT).
local has_dump = type(string.dump) == 'function'
when(D.has.load_env, 'load with mode and env (5.2+)', 14, function()
  local bin = string.dump(function() return 'bin' end)
  local f1, e1 = load(bin, 'b1', 't')
  t.ok(f1 == nil and type(e1) == 'string', "mode 't' rejects a binary chunk")
  local f2 = load(bin, 'b2', 'b')
  t.is(f2 and f2(), 'bin', "mode 'b' accepts a binary chunk")
  local f3, e3 = load('return 1', 't3', 'b')
  t.ok(f3 == nil and type(e3) == 'string', "mode 'b' rejects a text chunk")
  local f4 = load('return 2', 't4', 't')
  t.is(f4 and f4(), 2, "mode 't' accepts a text chunk")
  local f5 = load('return 3', 't5', 'bt')
  t.is(f5 and f5(), 3, "mode 'bt' accepts text")
  local f6 = load(bin, 'b6', 'bt')
  t.is(f6 and f6(), 'bin', "mode 'bt' accepts binary")
  local env = { y = 5 }
  local g = load('x = y * 2 return x', 'env', 't', env)
  t.is(g(), 10, 'the chunk reads globals from env')
  t.is(env.x, 10, 'and writes globals to env')
  t.is(rawget(_G, 'x'), nil, 'not to the global table')
  local g2 = load('return print', 'env2', 't', {})
  t.is(g2(), nil, 'an empty env has no standard library')
  local r = load(reader({ 'return z' }), 'rz', 't', { z = 'from reader' })
  t.is(r(), 'from reader', 'env with a reader function')
  local shared = {}
  load('a = 1', 's1', 't', shared)()
  load('b = a + 1', 's2', 't', shared)()
  t.is(shared.b, 2, 'two chunks sharing one env')
  local dflt = load('return lvt_env_probe', 'd', 't')
  lvt_env_probe = 'global'
  t.is(dflt(), 'global', 'without env the chunk uses the global environment')
  lvt_env_probe = nil
  if D.version >= 5.2 then
    local ok = pcall(load('return anything', 'n', 't', nil))
    t.is(ok, false, 'an explicit nil env is given: globals fail (5.2+)')
  else
    t.skip('an explicit nil env is specified from 5.2 on', 1)
  end
end)

----------------------------------------------------------------------------
t.section '§6.4 string.dump'
when(has_dump, 'string.dump', 10, function()
  local function f(a, b, ...)
    local s = 0
    for i = 1, select('#', ...) do s = s + select(i, ...) end
    return a .. '|' .. tostring(b) .. '|' .. s, { 1.5, 'str', true }
  end
  local bin = string.dump(f)
  t.is(type(bin), 'string', 'string.dump returns a string')
  t.is(bin:byte(1), 27, 'a binary chunk starts with ESC')
  local g = loadtext(bin)
  t.ok(g ~= nil and g ~= f, 'load of the dump gives a new function')
  local r1, t1 = g('x', nil, 1, 2, 3)
  t.is(r1, 'x|nil|6', 'the copy computes the same result')
  t.is_deeply(t1, { 1.5, 'str', true }, 'constants survive the round trip')
  local h = loadtext(string.dump(g))
  t.is(h('y', 2), 'y|2|0', 'a dump of a loaded dump')
  t.error_like(function() return string.dump(math.floor) end, 'unable to dump', 'a C function cannot be dumped')
  local inner = loadtext(string.dump(function() return function(n) return n * 2 end end))
  t.is(inner()(21), 42, 'nested functions are dumped with their parent')
  local bad, e = loadtext(bin:sub(1, math.floor(#bin / 2)))
  t.ok(bad == nil and type(e) == 'string', 'a truncated binary chunk is an error, not a crash')
  local bad2 = loadtext('\27' .. string.rep('\0', 40))
  t.is(bad2, nil, 'a malformed binary chunk is an error')
end)

when(D.version >= 5.3 and has_dump, 'string.dump strip and integers (5.3+)', 3, function()
  local function f() return 7, 7.0, 'seven' end
  local g = loadtext(string.dump(f, true))
  local a, b, c = g()
  t.is(a, 7, 'a stripped dump runs: integer')
  t.is(b, 7.0, 'a stripped dump keeps the float subtype')
  t.is(c, 'seven', 'a stripped dump keeps strings')
end)

-- Upvalues of a loaded dump are fresh: the first is the environment (or
-- env), the others nil (5.3+ manuals; 5.2's says the first is set).
when(D.version >= 5.2 and has_dump and debug and debug.getupvalue, 'dumped upvalues (5.2+)', 6, function()
  local a, b = 'A', 'B'
  local function f() return a, b end
  t.is(debug.getupvalue(f, 1), 'a', 'a is the first upvalue of f')
  local g = load(string.dump(f))
  local x, y = g()
  t.ok(x == _G, 'the first upvalue of the copy is the global environment')
  t.is(y, nil, 'the other upvalues of the copy are nil')
  t.is(a .. b, 'AB', 'the original upvalues are untouched')
  local env = {}
  local g2 = load(string.dump(f), 'dumped', 'b', env)
  t.ok((g2()) == env, 'with env, the first upvalue is env')
  local function one() return a end
  local g3 = load(string.dump(one))
  t.ok(g3() == _G, 'a single upvalue gets the global environment')
end)

----------------------------------------------------------------------------
t.section '§6.1 loadfile'
if D.need(t, 'io_files', 13) then
  local name = tmpfile('local a, b = ...\nreturn (a or 1) + (b or 2), "second"')
  local f = loadfile(name)
  t.is(type(f), 'function', 'loadfile returns a function')
  t.is_deeply(pack(f(10, 20)), { n = 2, 30, 'second' }, 'the file chunk gets arguments and returns values')
  t.is_deeply(pack(dofile(name)), { n = 2, 3, 'second' }, 'dofile runs the file and returns its values')
  os.remove(name)
  local nf, ne = loadfile(name)
  t.ok(nf == nil and type(ne) == 'string', 'a missing file gives nil and a message')
  t.error_like(function() dofile(name) end, '.', 'dofile of a missing file raises')
  local shebang = tmpfile('#!/usr/bin/env lua\nreturn 1 + 1')
  t.is(dofile(shebang), 2, 'a first line starting with # is ignored')
  os.remove(shebang)
  local shebang2 = tmpfile('# comment line\n\nerror("where")')
  local _, e = pcall(dofile, shebang2)
  t.like(e, ':3: where$', 'line numbers still count the skipped first line')
  os.remove(shebang2)
  local syntax = tmpfile('return +')
  local sf, se = loadfile(syntax)
  t.ok(sf == nil and se:find(syntax, 1, true) ~= nil, 'a syntax error names the file')
  os.remove(syntax)
  local runtime = tmpfile('\nerror("in file")')
  local _, re = pcall(dofile, runtime)
  t.ok(re:find(':2: in file', 1, true) ~= nil, 'a runtime error in dofile has the line')
  os.remove(runtime)
  if has_dump then
    local bin = tmpfile(string.dump(function() return 'from binary file' end))
    t.is(dofile(bin), 'from binary file', 'a file holding a binary chunk')
    os.remove(bin)
  else
    t.skip('needs string.dump', 1)
  end
  if D.has.load_env then
    local envfile = tmpfile('v = 5 return w')
    local env = { w = 'W' }
    local ef = loadfile(envfile, 't', env)
    t.is(ef(), 'W', 'loadfile with env reads from env (5.2+)')
    t.is(env.v, 5, 'loadfile with env writes to env (5.2+)')
    local bf = loadfile(envfile, 'b')
    t.is(bf, nil, "loadfile with mode 'b' rejects a text file (5.2+)")
    os.remove(envfile)
  else
    t.skip('loadfile mode and env are 5.2+', 3)
  end
end

t.done_testing()
