-- 056-debug.t -- Lua 5.4 manual §6.10 (the debug library), where its
-- behaviour is specified: getinfo fields (what, source, short_src,
-- currentline, linedefined, lastlinedefined, nparams, isvararg, func,
-- name/namewhat, istailcall), getlocal/setlocal (varargs with negative
-- indices, 5.2+), getupvalue/setupvalue, upvalueid/upvaluejoin (5.2+),
-- sethook/gethook, traceback, getmetatable/setmetatable bypassing
-- __metatable, getregistry.
local t = require 'tap'
local D = require 'lvt_dialect'

local load = (D.version >= 5.2 or D.luajit) and load or loadstring
local function pack(...) return { n = select('#', ...), ... } end

-- A chunk with known line numbers, named like a file.
local SRC = table.concat({
  'local up = 10',                                  -- 1
  'local function f(a, b, ...)',                    -- 2
  '  local c = a + b',                              -- 3
  '  local info = debug.getinfo(1, "Sl")',          -- 4
  '  return info, up',                              -- 5
  'end',                                            -- 6
  'return f',                                       -- 7
}, '\n')
local chunk = assert(load(SRC, '@lvt056.lua'))
local f = chunk()

-- ---------------------------------------------------------------------
t.section '§6.10 debug.getinfo'
do
  local i = debug.getinfo(f, 'S')
  t.is(i.what, 'Lua', 'what is "Lua" for a Lua function')
  t.is(i.source, '@lvt056.lua', 'source is the chunk name')
  t.is(i.short_src, 'lvt056.lua', 'short_src drops the "@"')
  t.is(i.linedefined, 2, 'linedefined')
  t.is(i.lastlinedefined, 6, 'lastlinedefined')
  local m = debug.getinfo(chunk, 'S')
  t.is(m.what, 'main', 'what is "main" for a main chunk')
  t.is(m.linedefined, 0, 'a main chunk is defined at line 0')
  local c = debug.getinfo(string.rep, 'Sl')
  t.is(c.what, 'C', 'what is "C" for a C function')
  t.is(c.short_src, '[C]', 'short_src of a C function is "[C]"')
  t.is(c.currentline, -1, 'a C function has no current line')
  t.is(debug.getinfo(load('return 1', '=custom'), 'S').short_src, 'custom', 'a "=" chunk name is used as is')
  t.is(debug.getinfo(load('return 1'), 'S').source, 'return 1', 'a string chunk without a name: source is the string')
  t.like(debug.getinfo(load('return 1'), 'S').short_src, '^%[string "return 1"%]$', 'and short_src quotes it')
  local info, up = f(1, 2)
  t.is(info.currentline, 4, 'currentline of a running function')
  t.is(info.what, 'Lua', 'getinfo(1) describes the running function')
  t.is(up, 10, 'the chunk ran normally')
  t.ok(debug.getinfo(f, 'f').func == f, '"f" gives the function itself')
  t.ok(debug.getinfo(1, 'f').func ~= nil, 'level 1 is the running function')
  t.is(debug.getinfo(1000), nil, 'a level beyond the stack gives nil')
  t.error_like(function() debug.getinfo(1, 'q') end, 'invalid option', 'an invalid option is an error')
  local lines = debug.getinfo(f, 'L').activelines
  t.is(type(lines), 'table', '"L" gives a table of active lines')
  t.ok(lines[3] and lines[4] and lines[5], 'with the lines that hold code')
  t.ok(not lines[1] and not lines[7], 'and not lines outside the function')
  local function named() return (debug.getinfo(1, 'n')) end
  local ni = named()
  t.is(ni.name, 'named', 'name of a called local function')
  t.is(ni.namewhat, 'local', 'namewhat "local"')
  local obj = { meth = function(self) return (debug.getinfo(1, 'n')) end }
  local mi = obj:meth()
  t.is(mi.name, 'meth', 'name of a called method')
  t.is(mi.namewhat, 'method', 'namewhat "method"')
  local all = debug.getinfo(f)
  t.ok(all.what and all.source and all.linedefined and all.func, 'no option string means all fields')
end

t.section '§6.10 debug.getinfo "u" (5.2+)'
if D.version >= 5.2 or D.luajit then
  local i = debug.getinfo(f, 'u')
  t.is(i.nparams, 2, 'nparams counts the fixed parameters')
  t.is(i.isvararg, true, 'isvararg for a vararg function')
  local j = debug.getinfo(function(x) return x end, 'u')
  t.ok(j.nparams == 1 and j.isvararg == false, 'a fixed-arity function')
  local k = debug.getinfo(string.rep, 'u')
  t.ok(k.nparams == 0 and k.isvararg == true, 'C functions are vararg with no fixed parameters')
  local a, b = 1, 2
  t.is(debug.getinfo(function() return a + b end, 'u').nups, 2, 'nups counts upvalues')
else
  t.skip('nparams and isvararg are 5.2+', 5)
end

t.section '§6.10 debug.getinfo "t" (5.2+)'
if D.version >= 5.2 then
  local function callee() return (debug.getinfo(1, 't').istailcall) end
  local function tail() return callee() end
  local function notail() local r = callee() return r end
  t.is(tail(), true, 'istailcall is true for a function called by a tail call')
  t.is(notail(), false, 'and false otherwise')
else
  t.skip('istailcall is 5.2+', 2)
end

-- ---------------------------------------------------------------------
t.section '§6.10 debug.getlocal and debug.setlocal'
do
  local function probe(a, b)
    local c = 'local c'
    local n1, v1 = debug.getlocal(1, 1)
    local n2, v2 = debug.getlocal(1, 2)
    local n3, v3 = debug.getlocal(1, 3)
    return n1, v1, n2, v2, n3, v3
  end
  local r = pack(probe('A', 'B'))
  t.is_deeply(r, { n = 6, 'a', 'A', 'b', 'B', 'c', 'local c' }, 'getlocal gives names and values in order')
  local function late()
    local x = 1
    local name = debug.getlocal(1, 10)
    return name
  end
  t.is(late(), nil, 'an index past the active locals gives nil')
  local function setter()
    local v = 'before'
    local name = debug.setlocal(1, 1, 'after')
    return name, v
  end
  local sn, sv = setter()
  t.is(sn, 'v', 'setlocal returns the name of the local')
  t.is(sv, 'after', 'and changes its value')
  local function nosuch() return debug.setlocal(1, 50, 0) end
  t.is(nosuch(), nil, 'setlocal of a missing local returns nil')
  t.error_like(function() debug.getlocal(1000, 1) end, 'bad argument', 'a level beyond the stack is an error')
  local co = coroutine.create(function(p) local q = p * 2 coroutine.yield() end)
  coroutine.resume(co, 21)
  local cn, cv = debug.getlocal(co, 1, 2)
  t.ok(cn == 'q' and cv == 42, 'getlocal works on a suspended coroutine')
end

t.section '§6.10 debug.getlocal of varargs and of functions (5.2+)'
if D.version >= 5.2 or D.luajit then
  local function va(...)
    local n1, v1 = debug.getlocal(1, -1)
    local n2, v2 = debug.getlocal(1, -2)
    local n3 = debug.getlocal(1, -3)
    return n1, v1, n2, v2, n3
  end
  local n1, v1, n2, v2, n3 = va('x', 'y')
  t.like(n1, 'vararg', 'a negative index names a vararg')
  t.is(v1, 'x', '-1 is the first extra argument')
  t.ok(n2 and v2 == 'y', '-2 is the second one')
  t.is(n3, nil, 'past the last vararg: nil')
  local function setva(...)
    debug.setlocal(1, -1, 'changed')
    return ...
  end
  t.is(setva('orig'), 'changed', 'setlocal with a negative index changes a vararg')
  t.is_deeply(pack(debug.getlocal(f, 1)), { n = 1, 'a' }, 'getlocal(f, n) gives the parameter names of a function')
  t.is(debug.getlocal(f, 2), 'b', 'the second parameter')
  t.is(debug.getlocal(f, 3), nil, 'only parameters are listed for a function')
else
  t.skip('negative indices and functions in getlocal are 5.2+', 8)
end

-- ---------------------------------------------------------------------
t.section '§6.10 debug.getupvalue and debug.setupvalue'
do
  local x, y = 'ex', 'why'
  local function g() return x, y end
  local n1, v1 = debug.getupvalue(g, 1)
  local n2, v2 = debug.getupvalue(g, 2)
  t.ok(n1 == 'x' and v1 == 'ex', 'the first upvalue')
  t.ok(n2 == 'y' and v2 == 'why', 'the second upvalue')
  t.is(debug.getupvalue(g, 3), nil, 'past the last upvalue: nil')
  t.is(debug.setupvalue(g, 1, 'new'), 'x', 'setupvalue returns the name')
  t.is(x, 'new', 'and changes the variable shared with the enclosing function')
  t.is((g()), 'new', 'the closure sees it too')
  t.is(debug.setupvalue(g, 5, 0), nil, 'setupvalue past the last: nil')
  local counter = 0
  local function inc() counter = counter + 1 return counter end
  debug.setupvalue(inc, 1, 100)
  t.is(inc(), 101, 'a changed upvalue is used by later calls')
end

t.section '§6.10 debug.upvalueid and debug.upvaluejoin (5.2+)'
if D.version >= 5.2 or D.luajit then
  local a, b = 1, 2
  local function g1() return a end
  local function g2() return a end
  local function g3() return b end
  t.ok(debug.upvalueid(g1, 1) == debug.upvalueid(g2, 1), 'closures sharing a variable share the upvalue id')
  t.ok(debug.upvalueid(g1, 1) ~= debug.upvalueid(g3, 1), 'different variables have different ids')
  debug.upvaluejoin(g1, 1, g3, 1)
  t.is(g1(), 2, 'upvaluejoin makes g1 refer to the upvalue of g3')
  b = 20
  t.is(g1(), 20, 'and it follows changes of that variable')
  t.is(g2(), 1, 'other closures are unaffected')
  t.ok(debug.upvalueid(g1, 1) == debug.upvalueid(g3, 1), 'the ids are now equal')
else
  t.skip('upvalueid and upvaluejoin are 5.2+', 6)
end

-- ---------------------------------------------------------------------
t.section '§6.10 debug.sethook and debug.gethook'
do
  local oh, om, oc = debug.gethook()      -- lvtest may have a hook installed
  local lines = {}
  local function hook(ev, line)
    if ev == 'line' and debug.getinfo(2, 'S').source == '=hooked' then lines[#lines + 1] = line end
  end
  local code = assert(load('local a = 1\nlocal b = 2\nreturn a + b', '=hooked'))
  debug.sethook(hook, 'l')
  local r = code()
  debug.sethook(oh, om, oc)
  t.is(r, 3, 'the hooked code runs')
  t.is_deeply(lines, { 1, 2, 3 }, 'a line hook gets the new line numbers')

  local events = {}
  local function g() return 1 end
  local function h() local v = g() return v end
  debug.sethook(function(ev) events[#events + 1] = ev end, 'cr')
  h()
  debug.sethook(oh, om, oc)
  local calls, rets = 0, 0
  for _, e in ipairs(events) do
    if e == 'call' then calls = calls + 1 elseif e == 'return' then rets = rets + 1 end
  end
  t.ok(calls >= 2, 'call events for the called functions')
  t.ok(rets >= 2, 'return events for them')

  local count = 0
  debug.sethook(function(ev) if ev == 'count' then count = count + 1 end end, '', 100)
  local s = 0
  for i = 1, 10000 do s = s + i end
  debug.sethook(oh, om, oc)
  t.ok(count > 10, 'a count hook runs every N instructions')

  local hf = function() end
  debug.sethook(hf, 'crl', 7)
  local gh, gm, gc = debug.gethook()
  debug.sethook(oh, om, oc)
  t.ok(gh == hf, 'gethook returns the hook function')
  t.ok(gm:find('c') and gm:find('r') and gm:find('l'), 'and the mask')
  t.is(gc, 7, 'and the count')

  debug.sethook()
  t.is(debug.gethook(), nil, 'sethook() with no arguments turns hooks off')
  debug.sethook(oh, om, oc)

  if D.version >= 5.2 then
    local ev = {}
    local function callee() return 1 end
    local function tailer() return callee() end
    debug.sethook(function(e) ev[#ev + 1] = e end, 'c')
    tailer()
    debug.sethook(oh, om, oc)
    local seen = false
    for _, e in ipairs(ev) do if e == 'tail call' then seen = true end end
    t.ok(seen, 'a tail call gives a "tail call" event (5.2+)')
  else
    t.skip('the "tail call" event is 5.2+', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.10 debug.traceback'
do
  local tb = debug.traceback('the message')
  t.like(tb, '^the message\nstack traceback:\n', 'traceback starts with the message, then "stack traceback:"')
  t.like(debug.traceback(), '^stack traceback:\n', 'without a message it starts with "stack traceback:"')
  local function inner() local tb = debug.traceback('x', 1) return tb end
  t.like(inner(), 'inner', 'the traceback names the function at the given level')
  local co = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(co)
  t.like(debug.traceback(co), '^stack traceback:', 'a traceback of a coroutine')
  t.like(debug.traceback(co, 'co msg'), '^co msg\nstack traceback:', 'with a message')
  if D.version >= 5.2 then
    local obj = {}
    t.ok(debug.traceback(obj) == obj, 'a message that is not a string is returned unchanged (5.2+)')
    t.like(debug.traceback(nil), '^stack traceback:', 'a nil message gives a plain traceback (5.2+)')
  else
    t.skip('non-string and nil messages are specified from 5.2 on', 2)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.10 debug.getmetatable and debug.setmetatable'
do
  local mt = { __metatable = 'hidden' }
  local obj = setmetatable({}, mt)
  t.is(getmetatable(obj), 'hidden', 'getmetatable honours __metatable')
  t.ok(debug.getmetatable(obj) == mt, 'debug.getmetatable returns the real metatable')
  local mt2 = {}
  local r = debug.setmetatable(obj, mt2)
  t.ok(debug.getmetatable(obj) == mt2, 'debug.setmetatable replaces a protected metatable')
  if D.version >= 5.2 then
    t.ok(r == obj, 'debug.setmetatable returns the value (5.2+)')
  else
    t.ok(r, 'debug.setmetatable returns a true value (5.1)')
  end
  t.is(debug.getmetatable(1), nil, 'numbers have no metatable by default')
  debug.setmetatable(1, { __index = function(n, k) return k .. n end })
  local v = (5).x
  debug.setmetatable(1, nil)
  t.is(v, 'x5', 'debug.setmetatable can give all numbers a metatable')
  t.is(debug.getmetatable(2), nil, 'and remove it again')
  t.error_like(function() debug.setmetatable({}, 5) end, 'bad argument #2', 'the metatable must be nil or a table')
  t.is(type(debug.getregistry()), 'table', 'getregistry returns a table')
end

t.done_testing()
