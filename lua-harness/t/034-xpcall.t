-- §2.3 Error Handling and §6.1 xpcall: the message handler gets the
-- original error value, runs before the stack unwinds, and its (single)
-- result becomes xpcall's error value; extra arguments (5.2+, LuaJIT);
-- errors inside the handler; nested xpcall.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load
local function id(e) return e end

----------------------------------------------------------------------------
t.section '§2.3'
do
  local called = false
  local r = {xpcall(function() return 1, nil, 3 end, function() called = true end)}
  t.is(r[1], true, 'success: true first')
  t.is(r[2] .. tostring(r[3]) .. r[4], '1nil3', 'success: all results in order')
  t.is(select('#', xpcall(function() return nil, nil end, id)), 3, 'success: trailing nils kept')
  t.is(called, false, 'success: the handler is not called')
end

do
  local got
  local obj = {}
  local ok, e = xpcall(function() error(obj) end, function(m) got = m return 'handled' end)
  t.is(ok, false, 'error: false first')
  t.is(e, 'handled', 'error: the handler\'s result is returned')
  t.ok(rawequal(got, obj), 'the handler gets the original error value')
  local _, e2 = xpcall(assert(compile('local x\nreturn x.y', '=xc')), id)
  t.like(e2, '^xc:2: ', 'handler gets a runtime error message with its position')
  t.is(select(2, xpcall(function() error('lvl0', 0) end, id)), 'lvl0', 'handler gets a string error as raised')
  t.is(select(2, xpcall(function() error() end, function(m) return type(m) end)), 'nil',
       'handler gets nil for error()')
  t.is(select(2, xpcall(function() error(false) end, function(m) return type(m) end)), 'boolean',
       'handler gets false for error(false)')
  if D.version >= 5.3 then
    t.is(select(2, xpcall(function() error(42) end, id)), 42, 'handler gets the number 42 (5.3+)')
  else
    t.skip('5.1/5.2 add a position to numbers', 1)
  end
  t.is(select('#', xpcall(error, function() return 1, 2, 3 end)), 2, 'only the handler\'s first result is kept')
  local r = {n = select('#', xpcall(error, function() end)), xpcall(error, function() end)}
  t.ok(r.n == 2 and r[1] == false and r[2] == nil, 'a handler returning nothing gives nil')
end

-- The handler runs where the error happened, before unwinding.
do
  local seen_func, seen_local
  local function failing()
    local secret = 'S'
    local x = nil
    return x.y, secret
  end
  xpcall(failing, function(e)
    seen_func = debug.getinfo(2, 'f').func
    local name, value = debug.getlocal(2, 1)
    seen_local = name == 'secret' and value
    return e
  end)
  t.ok(rawequal(seen_func, failing), 'handler sees the failing function on the stack')
  t.is(seen_local, 'S', 'handler can read the failing function\'s locals')
  local _, tb = xpcall(function() error('traced') end, debug.traceback)
  t.like(tb, 'traced', 'debug.traceback handler keeps the message')
  t.like(tb, 'stack traceback:', 'debug.traceback handler adds a traceback')
end

-- Errors from metamethods and from deep recursion reach the handler.
do
  local obj = setmetatable({}, {__index = function(_, k) error('no ' .. k, 0) end})
  t.is(select(2, xpcall(function() return obj.k end, id)), 'no k', 'error in __index reaches the handler')
  local function rec() return 1 + rec() end
  local _, e = xpcall(rec, function(m) return 'H:' .. tostring(m) end)
  if D.luajit then
    -- LuaJIT calls the handler after a stack overflow only when enough
    -- stack is left for it: bare 'luajit' often returns the plain message,
    -- and under lvtest both happen from run to run. Not a failure to
    -- count, not a pass to rely on.
    t.todo('LuaJIT: handler after a stack overflow depends on the stack left')
  end
  t.like(e, '^H:.*stack overflow', 'handler runs after a stack overflow')
end

-- Errors caught inside do not reach the handler.
do
  local called = false
  local ok, v = xpcall(function()
    local ok2 = pcall(error, 'inner')
    return ok2 and 'bad' or 'caught'
  end, function() called = true end)
  t.ok(ok and v == 'caught' and not called, 'pcall inside: the handler is not called')
  local log = {}
  ok, v = xpcall(function()
    local iok, iv = xpcall(function() error('one', 0) end, function(m) log[#log + 1] = 'inner:' .. m return 'I' end)
    log[#log + 1] = 'after:' .. tostring(iok) .. iv
    error('two', 0)
  end, function(m) log[#log + 1] = 'outer:' .. m return 'O' end)
  t.is(table.concat(log, ' '), 'inner:one after:falseI outer:two', 'nested xpcall: each handler handles its own error')
  t.is(v, 'O', 'nested xpcall: outer result')
end

-- Errors inside the handler.
do
  local ok = xpcall(function() error('first') end, function() error('second') end)
  t.is(ok, false, 'an error in the handler still makes xpcall return false')
  local ok2 = xpcall(function() error('first') end, function() error({}) end)
  t.is(ok2, false, 'a table error in the handler: false')
  local _, v = xpcall(function() error('first', 0) end, function(m)
    local iok, im = pcall(error, 'handled inside', 0)
    return m .. '+' .. im
  end)
  t.is(v, 'first+handled inside', 'the handler may use pcall itself')
  t.is(select(2, pcall(function() return 'alive' end)), 'alive', 'the VM works after a handler error')
end

-- Extra arguments (5.2+; LuaJIT too).
if D.has.xpcall_args then
  local ok, v = xpcall(function(a, b) return a + b end, id, 2, 3)
  t.ok(ok and v == 5, 'extra arguments are passed to the function')
  t.is(select(2, xpcall(function(...) return select('#', ...) end, id, nil, nil)), 2,
       'nil extra arguments are counted')
  local got
  xpcall(function(a) error(a, 0) end, function(m) got = m end, 'arg as error')
  t.is(got, 'arg as error', 'an argument can become the error value')
else
  t.skip('xpcall extra arguments are 5.2+', 3)
end

-- The handler must be a function (5.3+ check it up front).
if D.version >= 5.3 then
  t.ok(not pcall(xpcall, function() end, nil), 'xpcall with a nil handler raises (5.3+)')
else
  t.skip('5.1/5.2 do not check the handler up front', 1)
end

t.done_testing()
