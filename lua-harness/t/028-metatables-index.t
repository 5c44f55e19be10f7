-- §2.4 Metatables and Metamethods: setmetatable/getmetatable, the __index
-- and __newindex events through tables and functions, chains of them,
-- rawget/rawset/rawequal bypassing them, metamethods fetched raw from
-- the metatable, and __index on strings (the string library methods).
local t = require 'tap'
local D = require 'lvt_dialect'

----------------------------------------------------------------------------
t.section '§2.4'
do
  local tb, mt = {}, {}
  t.ok(rawequal(setmetatable(tb, mt), tb), 'setmetatable returns its first argument')
  t.ok(rawequal(getmetatable(tb), mt), 'getmetatable returns the metatable')
  setmetatable(tb, nil)
  t.is(getmetatable(tb), nil, 'setmetatable(t, nil) removes it')
  t.is(getmetatable({}), nil, 'a new table has no metatable')
  t.is(getmetatable(1), nil, 'numbers have no metatable by default')
  t.is(getmetatable(nil), nil, 'nil has no metatable by default')
  t.is(getmetatable(print), nil, 'functions have no metatable by default')
  t.error_like(function() setmetatable(tb, 1) end, 'nil or table', 'metatable must be nil or a table')
  t.error_like(function() setmetatable(1, {}) end, 'table expected', 'only tables via setmetatable')
  local shared = {}
  local a, b = setmetatable({}, shared), setmetatable({}, shared)
  t.ok(rawequal(getmetatable(a), getmetatable(b)), 'tables may share a metatable')
end

-- __index with a table: consulted only for absent keys.
do
  local proto = {greet = 'hello', n = 1, f = false}
  local obj = setmetatable({n = 2}, {__index = proto})
  t.is(obj.greet, 'hello', 'absent key found in the __index table')
  t.is(obj.n, 2, 'present key shadows __index')
  t.is(obj.f, false, 'false value found through __index')
  t.is(obj.missing, nil, 'absent everywhere gives nil')
  t.is(rawget(obj, 'greet'), nil, 'rawget does not consult __index')
  obj.n = nil
  t.is(obj.n, 1, 'a key set to nil is absent again')
  local shadow = setmetatable({f = 'own'}, {__index = proto})
  t.is(shadow.f, 'own', 'own value wins over an inherited false')
  local holey = setmetatable({false}, {__index = function() return 'mm' end})
  t.is(holey[1], false, 'a present false value does not trigger __index')
end

-- __index chains through several tables.
do
  local a = {a = 'A'}
  local b = setmetatable({b = 'B'}, {__index = a})
  local c = setmetatable({c = 'C'}, {__index = b})
  local d = setmetatable({}, {__index = c})
  t.is(d.a, 'A', 'three levels up')
  t.is(d.b, 'B', 'two levels up')
  t.is(d.c, 'C', 'one level up')
  t.is(d.z, nil, 'absent at every level')
  a.a = 'A2'
  t.is(d.a, 'A2', 'lookups are dynamic')
end

-- __index with a function: called with the table and the key.
do
  local seen = {}
  local obj = setmetatable({}, {__index = function(tb, k)
    seen[#seen + 1] = {tb, k}
    return k .. '!', 'dropped'
  end})
  t.is(obj.x, 'x!', 'function __index result')
  t.ok(rawequal(seen[1][1], obj), 'function __index gets the table')
  t.is(seen[1][2], 'x', 'function __index gets the key')
  t.is(select('#', obj.y), 1, 'index expression gives one value')
  t.is(obj[1], '1!', 'numeric key reaches function __index')
  t.is(#seen, 3, 'function __index called once per lookup')
end
do
  local obj = setmetatable({}, {__index = function(_, k) return type(k) end})
  t.is(obj[1], 'number', 'numeric key passed to __index')
  t.is(obj[true], 'boolean', 'boolean key passed to __index')
  local key = {}
  t.is(obj[key], 'table', 'table key passed to __index')
  -- A function __index can fall back to a table that has its own __index.
  local base = setmetatable({}, {__index = function(_, k) return 'base:' .. k end})
  local mid = setmetatable({}, {__index = base})
  t.is(mid.q, 'base:q', 'table __index whose own __index is a function')
end

-- __newindex with a table: assignment of absent keys goes there
-- (a regular assignment, so that table's own __newindex applies).
do
  local store = {}
  local obj = setmetatable({present = 1}, {__newindex = store})
  obj.x = 10
  t.is(rawget(obj, 'x'), nil, 'absent key not stored in the object')
  t.is(store.x, 10, 'absent key stored in the __newindex table')
  obj.present = 2
  t.is(rawget(obj, 'present'), 2, 'present key assigned raw')
  t.is(store.present, nil, 'present key does not reach __newindex')
  local deeper = {}
  local mid = setmetatable({}, {__newindex = deeper})
  local top = setmetatable({}, {__newindex = mid})
  top.k = 'v'
  t.is(deeper.k, 'v', '__newindex chains through tables')
  t.is(rawget(mid, 'k'), nil, 'intermediate table untouched')
end

-- __newindex with a function.
do
  local log = {}
  local obj = setmetatable({}, {__newindex = function(tb, k, v)
    log[#log + 1] = tostring(k) .. '=' .. tostring(v)
    rawset(tb, k, v * 2)
  end})
  obj.a = 1
  t.is(log[1], 'a=1', 'function __newindex gets key and value')
  t.is(rawget(obj, 'a'), 2, 'function __newindex may rawset')
  obj.a = 5
  t.is(#log, 1, 'existing key: __newindex not called')
  t.is(obj.a, 5, 'existing key assigned raw')
  obj.a = nil
  obj.a = 3
  t.is(log[2], 'a=3', 'key removed by nil assignment is absent again')
  rawset(obj, 'b', 7)
  t.is(#log, 2, 'rawset does not call __newindex')
  t.is(obj.b, 7, 'rawset stores')
  local ro = setmetatable({}, {__newindex = function() error('read-only table', 2) end})
  t.error_like(function() ro.x = 1 end, 'read%-only table', 'error from __newindex propagates')
  t.is(rawget(ro, 'x'), nil, 'failed assignment stored nothing')
end

-- Both __index and __newindex on one proxy.
do
  local backing = {}
  local proxy = setmetatable({}, {__index = backing, __newindex = backing})
  proxy.a = 1
  proxy.a = 2
  t.is(backing.a, 2, 'proxy forwards every assignment (key stays absent in proxy)')
  t.is(proxy.a, 2, 'proxy reads through')
  t.is(next(proxy), nil, 'proxy itself stays empty')
end

-- Metamethods are fetched raw from the metatable.
do
  local mt = setmetatable({}, {__index = {__index = function() return 'via mt index' end}})
  local obj = setmetatable({}, mt)
  t.is(obj.x, nil, '__index inherited by the metatable is not used')
  local mt2 = {}
  local obj2 = setmetatable({}, mt2)
  t.is(obj2.y, nil, 'no __index yet')
  mt2.__index = {y = 'late'}
  t.is(obj2.y, 'late', '__index added after setmetatable is used')
  mt2.__index = nil
  t.is(obj2.y, nil, '__index removed after setmetatable is not used')
end

-- A loop of __index tables is detected (the exact limit is unspecified).
do
  local a, b = {}, {}
  setmetatable(a, {__index = b})
  setmetatable(b, {__index = a})
  t.error_like(function() return a.x end, '.', '__index loop raises an error')
  local c, d = {}, {}
  setmetatable(c, {__newindex = d})
  setmetatable(d, {__newindex = c})
  t.error_like(function() c.x = 1 end, '.', '__newindex loop raises an error')
end

-- Indexing a value without a metatable raises.
t.error_like(function() local x return x.y end, 'index', 'indexing nil raises')
t.error_like(function() local x = 5 return x.y end, 'index', 'indexing a number raises')
t.error_like(function() local x = true x.y = 1 end, 'index', 'assigning into a boolean raises')

-- rawequal / rawget / rawset.
do
  local eqmt = {__eq = function() return true end}
  local a, b = setmetatable({}, eqmt), setmetatable({}, eqmt)
  t.is(rawequal(a, b), false, 'rawequal ignores __eq')
  t.is(rawequal(a, a), true, 'rawequal of a value with itself')
  t.is(rawequal('x', 'x'), true, 'rawequal of equal strings')
  t.is(rawequal(1, 1.0), true, 'rawequal of 1 and 1.0')
  t.error_like(function() rawget(1, 1) end, 'table expected', 'rawget needs a table')
  t.error_like(function() rawset('s', 1, 1) end, 'table expected', 'rawset needs a table')
  local tb = {}
  t.ok(rawequal(rawset(tb, 'k', 'v'), tb), 'rawset returns the table')
end

-- __index on strings: the string library.
do
  local smt = getmetatable('')
  t.is(type(smt), 'table', 'strings share a metatable')
  t.ok(rawequal(smt.__index, string), 'its __index is the string table')
  t.is(('abc'):upper(), 'ABC', 'method call on a string literal')
  local s = 'hello'
  t.is(s:len(), 5, 's:len()')
  t.is(s:sub(2, 3), 'el', 's:sub()')
  t.is(#s:rep(3), 15, '#s:rep(3)')
  t.is(s.len, string.len, 's.len is string.len')
  t.is(s.nosuch, nil, 'missing string method is nil')
  t.error_like(function() return s:nosuch() end, 'call', 'calling a missing method raises')
  t.ok(rawequal(getmetatable('a'), getmetatable('other')), 'one metatable for all strings')
end

t.done_testing()
