-- §2.4 Metatables and Metamethods: __call (extra arguments, all results),
-- __tostring (tostring, print, string.format %s), __metatable (protects
-- getmetatable/setmetatable), __name (5.3+: "may be used by tostring and
-- in error messages"; checked against what every 5.3+ VM does).
local t = require 'tap'
local D = require 'lvt_dialect'

----------------------------------------------------------------------------
t.section '§2.4'
-- __call
do
  local got
  local obj = setmetatable({}, {__call = function(...)
    got = {n = select('#', ...), ...}
    return 'r1', nil, 'r3'
  end})
  local r = {n = select('#', obj(1, 2)), obj(1, 2)}
  t.ok(rawequal(got[1], obj), '__call gets the called object first')
  t.is(got[2], 1, '__call gets the first argument second')
  t.is(got[3], 2, '__call gets the second argument third')
  t.is(got.n, 3, '__call gets object plus the arguments')
  t.is(r.n, 3, 'all results of __call are returned')
  t.is(r[1] .. tostring(r[2]) .. r[3], 'r1nilr3', 'results in order, nil kept')
  obj()
  t.is(got.n, 1, 'call with no arguments passes only the object')
  obj(nil, nil)
  t.is(got.n, 3, 'nil arguments are passed')
  local ok, v = pcall(obj, 'p')
  t.ok(ok and v == 'r1', 'pcall can call a callable table')
  t.is(got[2], 'p', 'pcall passes the arguments')
  local holder = {f = obj}
  holder:f('m')
  t.ok(rawequal(got[2], holder), 'method call on a callable field passes self after the object')
  t.is(got[3], 'm', 'method call argument follows self')
  local function tail(x) return obj(x) end
  t.is((tail('tc')), 'r1', 'callable in a tail call')
  t.is(got[2], 'tc', 'tail call passes the argument')
  local s = setmetatable({}, {__call = function(self, a, b) return a + b end})
  t.is(s(2, 3), 5, '__call computing from its arguments')
end
t.error_like(function() local x = {} x() end, 'call', 'calling a table without __call raises')
t.error_like(function() local x = setmetatable({}, {}) x() end, 'call', 'metatable without __call: raises')
t.error_like(function() local x = 5 x() end, 'call', 'calling a number raises')

-- __tostring
do
  local seen
  local obj = setmetatable({}, {__tostring = function(o) seen = o return 'OBJ' end})
  t.is(tostring(obj), 'OBJ', 'tostring uses __tostring')
  t.ok(rawequal(seen, obj), '__tostring gets the object')
  local two = setmetatable({}, {__tostring = function() return 'a', 'b' end})
  t.is(select('#', tostring(two)), 1, 'tostring returns one value')
  t.error_like(function() return obj .. '' end, 'concatenate', '.. does not use __tostring')
  seen = nil
  local pobj = setmetatable({}, {__tostring = function(o) seen = o return '# print used __tostring' end})
  print(pobj)
  t.ok(rawequal(seen, pobj), 'print calls __tostring')
  if D.version >= 5.2 then
    t.is(string.format('%s|%s', obj, 1), 'OBJ|1', 'string.format %s uses __tostring (5.2+)')
  else
    t.skip('5.1 string.format %s expects a string', 1)
  end
  local inherited = setmetatable({}, {__index = {__tostring = function() return 'no' end}})
  t.unlike(tostring(inherited), '^no$', '__tostring inherited by the metatable is not used')
end

-- __metatable
do
  local mt = {__metatable = 'locked'}
  local obj = setmetatable({}, mt)
  t.is(getmetatable(obj), 'locked', 'getmetatable returns the __metatable field')
  t.error_like(function() setmetatable(obj, {}) end, 'protected', 'setmetatable on a protected table raises')
  t.error_like(function() setmetatable(obj, nil) end, 'protected', 'removing a protected metatable raises')
  t.ok(rawequal(debug.getmetatable(obj), mt), 'debug.getmetatable returns the real metatable')
  local f = setmetatable({}, {__metatable = false})
  t.is(getmetatable(f), false, '__metatable false is returned')
  t.error_like(function() setmetatable(f, {}) end, 'protected', '__metatable false still protects')
  local tb = {}
  local shield = setmetatable({}, {__metatable = tb})
  t.ok(rawequal(getmetatable(shield), tb), '__metatable may be a table')
  t.ok(getmetatable('') ~= nil, 'the string metatable is not protected by default')
  local other = setmetatable({}, {__index = {__metatable = 'x'}})
  t.is(type(getmetatable(other)), 'table', '__metatable is read raw')
end

-- __name (5.3+)
do
  local obj = setmetatable({}, {__name = 'MyType'})
  if D.version >= 5.3 then
    t.error_like(function() return obj + 1 end, 'MyType', 'arithmetic error names the __name (5.3+)')
    t.error_like(function() return obj .. 'x' end, 'MyType', 'concatenation error names the __name (5.3+)')
    t.error_like(function() return ('x'):rep(obj) end, 'MyType', 'argument error names the __name (5.3+)')
    t.like(tostring(obj), '^MyType', 'tostring uses the __name (5.3+)')
  else
    t.skip('__name is 5.3+', 4)
  end
  local bad = setmetatable({}, {__name = 42})
  t.is(type(tostring(bad)), 'string', 'a non-string __name does not break tostring')
end

-- __gc must be in the metatable when it is set (§2.5.3, 5.2+ for tables);
-- __mode makes a table weak (§2.5.4). Garbage is made inside a call so
-- that no dead register keeps it alive.
if D.need(t, 'collectgarbage', 4) then
  local function full() collectgarbage() collectgarbage() end
  local marked, unmarked = false, false
  ;(function()
    setmetatable({}, {__gc = function() marked = true end})
    local mt = {}
    setmetatable({}, mt)
    mt.__gc = function() unmarked = true end
  end)()
  full()
  if D.version >= 5.2 then
    t.is(marked, true, '__gc present at setmetatable: finalizer runs (5.2+)')
    t.is(unmarked, false, '__gc added after setmetatable: never runs (5.2+)')
  else
    t.is(marked, false, '__gc is not used for tables (5.1)')
    t.skip('table finalizers are 5.2+', 1)
  end
  local weak = setmetatable({}, {__mode = 'k'})
  local keep = {}
  weak[keep] = true
  ;(function() weak[{}] = true end)()
  full()
  local n = 0
  for _ in pairs(weak) do n = n + 1 end
  t.is(n, 1, '__mode k: the unreachable key is gone, the reachable one stays')
  t.ok(weak[keep], 'the reachable key is still there')
end

t.done_testing()
