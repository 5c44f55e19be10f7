-- §3.5 Visibility Rules: lexical scoping, shadowing, "local x = x", a
-- fresh local per loop iteration (and per execution of a local
-- statement), upvalues shared between closures and outliving their
-- block. §3.4.11 Function Definitions: closures, local function
-- recursion, ... not visible in nested functions.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

----------------------------------------------------------------------------
t.section '§3.5'
do
  local x = 1
  do
    local x = 2
    t.is(x, 2, 'inner local shadows outer')
  end
  t.is(x, 1, 'outer local visible again after the block')
  local y = 10
  do
    local y = y + 1
    t.is(y, 11, 'local y = y + 1 reads the outer y')
  end
  t.is(y, 10, 'outer y unchanged')
  local z = 'a'
  local z = z .. 'b'
  t.is(z, 'ab', 'redeclaring a local in the same block')
end

-- A counter: the upvalue survives its block.
do
  local function counter()
    local n = 0
    return function() n = n + 1 return n end
  end
  local c1, c2 = counter(), counter()
  c1(); c1()
  t.is(c1(), 3, 'closure keeps its own state')
  t.is(c2(), 1, 'another call of the factory: a separate upvalue')
end

-- Sibling closures share one upvalue.
do
  local function pair()
    local v = 0
    return function() return v end, function(n) v = n end
  end
  local get, set = pair()
  set(42)
  t.is(get(), 42, 'setter and getter share the variable')
  local get2 = pair()
  t.is(get2(), 0, 'a second pair has its own variable')
  if D.version >= 5.2 then
    local g, s = pair()
    t.ok(debug.upvalueid(g, 1) == debug.upvalueid(s, 1), 'debug.upvalueid: the same upvalue (5.2+)')
    t.ok(debug.upvalueid(g, 1) ~= debug.upvalueid(get, 1), 'debug.upvalueid: different pairs differ (5.2+)')
  else
    t.skip('debug.upvalueid is 5.2+', 2)
  end
end

-- Closures capture variables, not values.
do
  local v = 'before'
  local f = function() return v end
  v = 'after'
  t.is(f(), 'after', 'closure sees later assignments')
  local function outer()
    local a = 1
    local function mid()
      local function inner() a = a + 1 return a end
      return inner
    end
    local i = mid()
    i(); i()
    return a
  end
  t.is(outer(), 3, 'an upvalue two levels deep is the same variable')
end

-- A fresh local for each loop iteration.
do
  local fns = {}
  for i = 1, 3 do fns[i] = function() return i end end
  t.is(fns[1]() .. fns[2]() .. fns[3](), '123', 'numeric for: one variable per iteration')
  fns = {}
  for k, v in ipairs({'a', 'b', 'c'}) do fns[k] = function() return v end end
  t.is(fns[1]() .. fns[2]() .. fns[3](), 'abc', 'generic for: one variable per iteration')
  fns = {}
  local j = 0
  while j < 3 do
    j = j + 1
    local captured = j
    fns[j] = function() return captured end
  end
  t.is(fns[1]() .. fns[2]() .. fns[3](), '123', 'while body local: one per iteration')
  fns = {}
  local k = 0
  repeat
    k = k + 1
    local r = k * 10
    fns[k] = function() return r end
  until r >= 30
  t.is(fns[1]() + fns[2]() + fns[3](), 60, 'repeat body local: one per iteration; visible in until')
  local shared = 0
  fns = {}
  for i = 1, 3 do fns[i] = function() shared = shared + i return shared end end
  fns[1](); fns[2](); fns[3]()
  t.is(shared, 6, 'closures in a loop share an outer variable')
  fns = {}
  for i = 1, 3 do
    local own = 0
    fns[i] = {inc = function() own = own + 1 return own end, get = function() return own end}
  end
  fns[2].inc(); fns[2].inc()
  t.is(fns[2].get() .. fns[1].get(), '20', 'per-iteration local shared by that iteration\'s closures only')
  fns = {}
  for i = 1, 5 do
    fns[#fns + 1] = function() return i end
    if i == 2 then break end
  end
  t.is(#fns .. fns[2](), '22', 'closure captured before a break')
end

-- goto back over a local declaration creates a new variable each time (5.2+).
if D.has['goto'] then
  local fns = assert(compile([[
    local fns = {}
    local i = 1
    ::top::
    local j = i
    fns[i] = function() return j end
    i = i + 1
    if i <= 3 then goto top end
    return fns]]))()
  t.is(fns[1]() .. fns[2]() .. fns[3](), '123', 'goto loop: a new local each pass')
else
  t.skip('needs goto', 1)
end

-- local function can recurse; local f = function cannot see itself.
do
  local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
  t.is(fact(10), 3628800, 'local function sees its own name')
  rawset(_G, '__lvt_selfref', 'global')
  local g = function() return __lvt_selfref end
  local __lvt_selfref = function() return 'local' end
  t.is(g(), 'global', 'a local declared after a function is not its upvalue')
  rawset(_G, '__lvt_selfref', nil)
  local h = assert(compile('local h = function() return h end return h'))()
  t.is(h(), nil, 'local h = function ... h ... end: h inside is the global')
  local even, odd
  function even(n) if n == 0 then return true end return odd(n - 1) end
  function odd(n) if n == 0 then return false end return even(n - 1) end
  t.is(even(10), true, 'mutual recursion through forward-declared locals')
  t.is(odd(7), true, 'mutual recursion, other direction')
end

-- Upvalues from several scopes; many upvalues.
do
  local a, b, c = 1, 2, 3
  local function f()
    local d = 4
    return function() return a + b + c + d end
  end
  local g = f()
  a = 100
  t.is(g(), 109, 'upvalues from two enclosing scopes')
  local src = {'local '}
  for i = 1, 60 do src[#src + 1] = 'u' .. i .. (i < 60 and ', ' or ' = ') end
  for i = 1, 60 do src[#src + 1] = i .. (i < 60 and ', ' or '\n') end
  src[#src + 1] = 'return function() return '
  for i = 1, 60 do src[#src + 1] = 'u' .. i .. (i < 60 and ' + ' or ' end') end
  t.is(assert(compile(table.concat(src)))()(), 1830, 'a closure with 60 upvalues')
end

-- Upvalues shared with a coroutine.
do
  local v = 0
  local co = coroutine.wrap(function()
    while true do v = v + 1 coroutine.yield() end
  end)
  co(); co(); co()
  t.is(v, 3, 'a coroutine updates an upvalue of the main code')
end

----------------------------------------------------------------------------
t.section '§3.4.11'
t.ok(compile('function f(...) return function() return ... end end') == nil,
     '... is not visible inside a nested function')
t.ok(compile('return function() return ... end') == nil, '... in a non-vararg function is a compile error')
t.ok(compile('local function f(...) local g = function(...) return ... end return g(...) end') ~= nil,
     'a nested vararg function has its own ...')
do
  local f1 = function() return 1 end
  local f2 = function() return 1 end
  t.ok(f1 ~= f2, 'two function expressions give different functions')
  local obj = {v = 5}
  function obj.get(self) return self.v end
  function obj:get2() return self.v end
  t.is(obj:get(), 5, 'function t.f(self) called with :')
  t.is(obj.get2(obj), 5, 'function t:f() called with . and explicit self')
  local deep = {a = {b = {}}}
  function deep.a.b.c() return 'deep' end
  t.is(deep.a.b.c(), 'deep', 'function a.b.c() defines a nested field')
end

t.done_testing()
