-- §2.3 Error Handling: error with levels (position "chunkname:line:"
-- added to string messages only), non-string error values passed through
-- pcall unchanged, pcall's results, nested pcall, errors from metamethods,
-- runtime errors carry a position; assert (§6.1).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

----------------------------------------------------------------------------
t.section '§2.3'
-- Levels: 1 = where error was called, 2 = its caller, 3 = the caller's
-- caller, 0 = no position.
do
  local run = assert(compile(table.concat({
    'local function thrower(lvl) error("msg", lvl) end',       -- line 1
    'local function caller(lvl) thrower(lvl) end',              -- line 2
    'local function top(lvl) caller(lvl) end',                  -- line 3
    'return function(lvl) return pcall(top, lvl) end',          -- line 4
  }, '\n'), '=ec'))()
  t.is(select(2, run(1)), 'ec:1: msg', 'level 1: position of the error call')
  t.is(select(2, run(nil)), 'ec:1: msg', 'default level is 1')
  t.is(select(2, run(2)), 'ec:2: msg', 'level 2: position of the caller')
  t.is(select(2, run(3)), 'ec:3: msg', 'level 3: position of the caller\'s caller')
  t.is(select(2, run(0)), 'msg', 'level 0: no position')
  t.is(select(2, pcall(function() error('far', 100) end)), 'far', 'level beyond the stack: no position')
  t.is(select(2, pcall(assert(compile('\n\nerror("boom")', '=ec')))), 'ec:3: boom',
       'error in a main chunk: chunk name and line')
end

-- Runtime errors are strings with a position.
do
  local ok, e = pcall(assert(compile('local x\nreturn x.y', '=rt')))
  t.is(ok, false, 'indexing nil fails')
  t.like(e, '^rt:2: ', 'runtime error message starts with chunk:line:')
  t.like(e, 'index', 'runtime error says what failed')
  ok, e = pcall(assert(compile('local a = {}\n\nreturn a + 1', '=rt')))
  t.like(e, '^rt:3: .*arithmetic', 'arithmetic error position')
  ok, e = pcall(assert(compile('local f\nf()', '=rt')))
  t.like(e, '^rt:2: .*call', 'call error position')
end

-- Error values are passed through unchanged when they are not strings.
do
  local obj = {}
  local ok, e = pcall(error, obj)
  t.is(ok, false, 'error(table): pcall returns false')
  t.ok(rawequal(e, obj), 'error(table): the same table comes back')
  ok, e = pcall(function() error(obj, 2) end)
  t.ok(rawequal(e, obj), 'error(table, 2): no position added to a table')
  t.is(select('#', pcall(error)), 2, 'error(): pcall returns two values')
  t.is(select(2, pcall(error)), nil, 'error(): the error value is nil')
  t.is(select(2, pcall(error, nil)), nil, 'error(nil): the error value is nil')
  t.is(select(2, pcall(error, false)), false, 'error(false): the error value is false')
  t.is(select(2, pcall(error, true)), true, 'error(true): the error value is true')
  if D.version >= 5.3 then
    t.is(select(2, pcall(function() error(42) end)), 42,
         'error(42): a number is not a string, no position (5.3+)')
  else
    t.skip('5.1/5.2 add a position to numbers (they count as strings)', 1)
  end
  local eo = setmetatable({code = 7}, {__tostring = function(s) return 'E' .. s.code end})
  ok, e = pcall(function() error(eo) end)
  t.ok(rawequal(e, eo), 'error object with __tostring comes back unchanged')
  t.is(tostring(e), 'E7', 'its __tostring gives the message')
  t.is(e.code, 7, 'its fields are intact')
  local f = function() end
  t.ok(rawequal(select(2, pcall(error, f)), f), 'a function as error value')
end

-- pcall results.
do
  local r = {pcall(function(...) return ... end, 1, nil, 3, nil)}
  t.is(r[1], true, 'success: true first')
  t.is(select('#', pcall(function() return 1, nil, nil end)), 4, 'success: every result, nils included')
  t.is(select('#', pcall(function() end)), 1, 'success with no results: only true')
  t.is(select(2, pcall(function(a, b) return a + b end, 2, 3)), 5, 'pcall passes its extra arguments')
  local ok, e = pcall(42)
  t.is(ok, false, 'pcall of a non-callable value returns false')
  t.like(e, 'call', 'and an error message about the call')
  t.is(pcall(pcall), false, 'pcall with no function raises (caught by the outer pcall)')
  t.is(select(2, pcall(pcall, error, 'x')), false, 'pcall(pcall, error, x): inner false returned as success')
end

-- Nested pcall and rethrowing.
do
  local inner_caught
  local ok = pcall(function()
    local ok2, e = pcall(error, 'inner')
    inner_caught = (not ok2) and e
    return 'continued'
  end)
  t.is(ok, true, 'outer pcall succeeds when the inner one caught the error')
  t.is(inner_caught, 'inner', 'inner pcall got the error')
  local obj = {}
  local _, e = pcall(function()
    local _, e1 = pcall(error, obj)
    error(e1)
  end)
  t.ok(rawequal(e, obj), 'rethrown table keeps its identity')
  _, e = pcall(function()
    local _, e1 = pcall(error, 'text', 0)
    error(e1, 0)
  end)
  t.is(e, 'text', 'rethrow with level 0 keeps the message exactly')
  local depth = 0
  local function nest(n)
    if n == 0 then error('bottom', 0) end
    local ok2, e2 = pcall(nest, n - 1)
    depth = depth + 1
    error(e2, 0)
  end
  local ok3, e3 = pcall(nest, 50)
  t.ok(not ok3 and e3 == 'bottom' and depth == 50, '50 nested pcalls each catch and rethrow')
end

-- Errors inside metamethods propagate to the caller of the operation.
do
  local obj = setmetatable({}, {
    __index = function(_, k) error('no field ' .. k, 0) end,
    __newindex = function() error({kind = 'ro'}) end,
    __add = function() error('add failed', 0) end,
    __call = function() error('call failed', 0) end,
  })
  t.is(select(2, pcall(function() return obj.x end)), 'no field x', 'error in __index propagates')
  local _, e = pcall(function() obj.y = 1 end)
  t.is(type(e) == 'table' and e.kind, 'ro', 'table error from __newindex passes through')
  t.is(select(2, pcall(function() return obj + 1 end)), 'add failed', 'error in __add propagates')
  t.is(select(2, pcall(function() return obj() end)), 'call failed', 'error in __call propagates')
  local chain = setmetatable({}, {__index = setmetatable({}, {__index = function() error('deep', 0) end})})
  t.is(select(2, pcall(function() return chain.z end)), 'deep', 'error two __index levels down propagates')
end

-- Stack overflow is an ordinary error.
do
  local function rec() return 1 + rec() end
  local ok, e = pcall(rec)
  t.is(ok, false, 'infinite recursion is caught')
  t.like(e, 'stack overflow', 'with a stack overflow message')
  t.is(select(2, pcall(function() return 'alive' end)), 'alive', 'the VM works after a stack overflow')
end

----------------------------------------------------------------------------
t.section '§6.1'
do
  t.is(select('#', assert(1, 2, 3)), 3, 'assert returns all its arguments')
  t.is(select(3, assert(1, 2, 3)), 3, 'assert returns them in order')
  t.error_like(function() assert(false) end, 'assertion failed!$', 'assert(false) default message')
  t.error_like(function() assert(nil, 'custom') end, 'custom$', 'assert(nil, msg) raises msg')
  t.ok(not pcall(assert), 'assert() raises')
  t.is(select(2, pcall(assert, false, 'exact')), 'exact', 'assert called directly by pcall: no Lua position to add')
  if D.version >= 5.3 then
    local obj = {}
    t.ok(rawequal(select(2, pcall(assert, false, obj)), obj), 'assert passes a table message unchanged (5.3+)')
  else
    t.skip('assert takes only string messages before 5.3', 1)
  end
end

t.done_testing()
