-- 042-coroutine-yield-across.t -- Lua 5.4 manual §2.6 and §6.2: yielding
-- across pcall/xpcall (5.2+, LuaJIT), across metamethods (§2.4; 5.2+,
-- LuaJIT), inside generic-for iterators (§3.3.5), and the value the
-- interrupted operation gets once resumed.
local t = require 'tap'
local D = require 'lvt_dialect'

local co_create, co_resume, co_yield = coroutine.create, coroutine.resume, coroutine.yield
local co_status, co_wrap = coroutine.status, coroutine.wrap

local function pack(...) return { n = select('#', ...), ... } end

-- Compiles 'src' with 'env' as its globals (5.1: setfenv).
local function compile(src, env)
  if setfenv then
    local f = assert(loadstring(src))
    setfenv(f, env)
    return f
  end
  return assert(load(src, '=compile', 't', env))
end

-- ---------------------------------------------------------------------
t.section '§6.1 pcall: yield across pcall'
if D.need(t, 'yield_across_pcall', 16) then
  local co = co_create(function()
    local r = pack(pcall(function(a)
      local b = co_yield('inside pcall', a)
      return 'pcall body done', b
    end, 'A'))
    return r
  end)
  local r1 = pack(co_resume(co))
  t.is_deeply(r1, { n = 3, true, 'inside pcall', 'A' }, 'a yield inside pcall reaches resume')
  t.is(co_status(co), 'suspended', 'the coroutine is suspended inside pcall')
  local ok, r = co_resume(co, 'B')
  t.ok(ok, 'resumed through pcall')
  t.is_deeply(r, { n = 3, true, 'pcall body done', 'B' }, 'pcall returns true plus the body results after the resume')

  local co2 = co_create(function()
    return pcall(function() co_yield(1) error('after yield', 0) end)
  end)
  co_resume(co2)
  local r2 = pack(co_resume(co2))
  t.is_deeply(r2, { n = 3, true, false, 'after yield' }, 'an error after a yield is still caught by that pcall')

  local co3 = co_create(function()
    local r = pack(pcall(co_yield, 'direct'))
    return r
  end)
  local _, v = co_resume(co3)
  t.is(v, 'direct', 'pcall(coroutine.yield, v) yields v')
  local _, r3 = co_resume(co3, 'x', 'y')
  t.is_deeply(r3, { n = 3, true, 'x', 'y' }, 'and returns true plus the resume values')

  -- nested pcalls: the innermost one catches, the outer ones go on
  local co4 = co_create(function()
    local trace = {}
    local ok1 = pcall(function()
      local ok2, e2 = pcall(function()
        local ok3 = pcall(function() co_yield('deep') end)
        trace[#trace + 1] = 'level3:' .. tostring(ok3)
        co_yield('again')
        error('level2 error', 0)
      end)
      trace[#trace + 1] = 'level2:' .. tostring(ok2) .. ':' .. e2
    end)
    trace[#trace + 1] = 'level1:' .. tostring(ok1)
    return trace
  end)
  local _, a = co_resume(co4)
  t.is(a, 'deep', 'a yield three pcalls deep')
  local _, b = co_resume(co4)
  t.is(b, 'again', 'a second yield two pcalls deep')
  local _, tr = co_resume(co4)
  t.is_deeply(tr, { 'level3:true', 'level2:false:level2 error', 'level1:true' },
              'each pcall returns in order with the right status')
  t.is(co_status(co4), 'dead', 'and the coroutine finished')

  -- isyieldable is true inside pcall
  if D.has.coroutine_isyieldable then
    local w = co_wrap(function() local _, y = pcall(coroutine.isyieldable) return y end)
    t.is(w(), true, 'isyieldable inside pcall in a coroutine')
  else
    t.skip('needs coroutine.isyieldable', 1)
  end

  -- a yield inside pcall inside a wrap used as an iterator
  local got = {}
  for v in co_wrap(function() for i = 1, 3 do pcall(co_yield, i) end end) do got[#got + 1] = v end
  t.is_deeply(got, { 1, 2, 3 }, 'a generator yielding through pcall')

  -- an error thrown by the resumer does not go into the pcall of the coroutine
  local co5 = co_create(function() return pcall(co_yield, 'p') end)
  co_resume(co5)
  local caught = pcall(error, 'outside')
  t.is(caught, false, 'errors outside the coroutine are not seen by its pending pcall')
  t.is_deeply(pack(co_resume(co5, 'fine')), { n = 3, true, true, 'fine' }, 'the pending pcall completes normally')
  -- the coroutine's pcall is unwound properly after many yields
  local co6 = co_create(function()
    local n = 0
    for i = 1, 100 do
      local ok = pcall(function() co_yield(i) n = n + 1 end)
      if not ok then return 'failed' end
    end
    return n
  end)
  local last
  repeat local _, v2 = co_resume(co6) last = v2 until co_status(co6) == 'dead'
  t.is(last, 100, '100 yields from 100 pcalls in a row')
end

t.section '§6.1 xpcall: yield across xpcall'
if D.need(t, 'yield_across_pcall', 4) then
  local co = co_create(function()
    return xpcall(function()
      co_yield('x')
      error('xp', 0)
    end, function(m) return 'handled:' .. m end)
  end)
  local _, v = co_resume(co)
  t.is(v, 'x', 'a yield inside xpcall reaches resume')
  local r = pack(co_resume(co))
  t.is_deeply(r, { n = 3, true, false, 'handled:xp' }, 'the handler runs for an error after the resume')
  local co2 = co_create(function()
    return xpcall(function() return co_yield('y') end, function(m) return m end)
  end)
  co_resume(co2)
  local r2 = pack(co_resume(co2, 'ret'))
  t.is_deeply(r2, { n = 3, true, true, 'ret' }, 'xpcall returns true plus the results after the resume')
  t.is(co_status(co2), 'dead', 'the coroutine finished')
end

-- ---------------------------------------------------------------------
t.section '§2.4 yield across metamethods'
local Y = co_yield
local mt = {}
for _, e in ipairs({ '__add', '__sub', '__mul', '__div', '__mod', '__pow', '__unm', '__concat',
                     '__len', '__eq', '__lt', '__le', '__index', '__newindex', '__call',
                     '__idiv', '__band', '__bor', '__bxor', '__shl', '__shr', '__bnot' }) do
  mt[e] = function(...)
    local r = Y(e)
    return r
  end
end
local A, B = setmetatable({}, mt), setmetatable({}, mt)
local env = { A = A, B = B, Y = Y, rawget = rawget }

-- 'src' yields the metamethod name; resuming with 'R' gives 'expect'.
local function check(name, src, event, expect)
  local co = co_create(compile(src, env))
  local ok, v = co_resume(co)
  t.ok(ok and v == event, name .. ': yields from ' .. event)
  local ok2, v2 = co_resume(co, 'R')
  t.ok(ok2 and v2 == expect, name .. ': the operation completes with the resumed value')
end

local arith = {
  { 'addition', 'return A + 1', '__add', 'R' },
  { 'subtraction', 'return 1 - A', '__sub', 'R' },
  { 'multiplication', 'return A * B', '__mul', 'R' },
  { 'division', 'return A / 2', '__div', 'R' },
  { 'modulo', 'return A % 2', '__mod', 'R' },
  { 'exponentiation', 'return 2 ^ A', '__pow', 'R' },
  { 'unary minus', 'return -A', '__unm', 'R' },
  { 'concatenation', 'return A .. "x"', '__concat', 'R' },
  { 'concatenation of three', 'return "a" .. A .. "b"', '__concat', 'aR' },
  { 'equality', 'return A == B', '__eq', true },
  { 'inequality', 'return A ~= B', '__eq', false },
  { 'less than', 'return A < B', '__lt', true },
  { 'greater than', 'return A > B', '__lt', true },
  { 'less or equal', 'return A <= B', '__le', true },
  { 'index', 'return A.key', '__index', 'R' },
  { 'newindex', 'A.key = 1 return rawget(A, "key") == nil', '__newindex', true },
  { 'call', 'return A(1, 2)', '__call', 'R' },
}
if D.need(t, 'yield_across_metamethod', 2 * #arith) then
  for _, c in ipairs(arith) do check(c[1], c[2], c[3], c[4]) end
end

t.section '§2.4 yield across the __len metamethod'
if D.has.yield_across_metamethod and D.has.len_metamethod_tables then
  check('length', 'return #A', '__len', 'R')
else
  t.skip('needs yields across metamethods and __len on tables', 2)
end

t.section '§2.4 yield across integer metamethods (5.3+)'
local intops = {
  { 'floor division', 'return A // 2', '__idiv', 'R' },
  { 'bitwise and', 'return A & 1', '__band', 'R' },
  { 'bitwise or', 'return 1 | A', '__bor', 'R' },
  { 'bitwise xor', 'return A ~ 1', '__bxor', 'R' },
  { 'shift left', 'return A << 1', '__shl', 'R' },
  { 'shift right', 'return A >> 1', '__shr', 'R' },
  { 'bitwise not', 'return ~A', '__bnot', 'R' },
}
if D.has.yield_across_metamethod and D.has.bitops and D.has.floordiv then
  for _, c in ipairs(intops) do check(c[1], c[2], c[3], c[4]) end
else
  t.skip('needs integer operators (5.3+) and yields across metamethods', 2 * #intops)
end

t.section '§2.4 yield across metamethods: chains'
if D.need(t, 'yield_across_metamethod', 5) then
  -- an __index chain that yields at each level
  local inner = setmetatable({}, { __index = function(_, k) return Y('inner ' .. k) end })
  local outer = setmetatable({}, { __index = function(_, k) Y('outer ' .. k) return inner[k] end })
  local co = co_create(function() return outer.z end)
  local _, a = co_resume(co)
  local _, b = co_resume(co)
  local _, c = co_resume(co, 'final')
  t.is(a, 'outer z', 'the outer __index yields first')
  t.is(b, 'inner z', 'then the inner __index it reads from')
  t.is(c, 'final', 'the value travels back through both')
  -- a metamethod that yields several times
  local multi = setmetatable({}, { __add = function(x, y)
    local s = 0
    for i = 1, 3 do s = s + Y(i) end
    return s
  end })
  local co2 = co_create(function() return multi + 0 end)
  co_resume(co2)
  co_resume(co2, 10)
  co_resume(co2, 20)
  local _, sum = co_resume(co2, 12)
  t.is(sum, 42, 'a metamethod may yield several times')
  -- metamethod inside pcall inside the coroutine
  local co3 = co_create(function() return pcall(function() return A + B end) end)
  co_resume(co3)
  local r = pack(co_resume(co3, 'v'))
  t.is_deeply(r, { n = 3, true, true, 'v' }, 'a metamethod yielding inside pcall')
end

-- ---------------------------------------------------------------------
t.section '§3.3.5 yield inside a generic-for iterator'
if D.version >= 5.2 or D.luajit then
  local co = co_create(function()
    local got = {}
    local i = 0
    for v in function() i = i + 1 if i <= 3 then return Y(i) end end do got[#got + 1] = v end
    return got
  end)
  local _, a = co_resume(co)
  local _, b = co_resume(co, 'x')
  local _, c = co_resume(co, 'y')
  local _, got = co_resume(co, 'z')
  t.is_deeply({ a, b, c }, { 1, 2, 3 }, 'the iterator yields on each call')
  t.is_deeply(got, { 'x', 'y', 'z' }, 'the resumed values become the loop values')
  t.is(co_status(co), 'dead', 'the loop ended when the iterator returned nil')
else
  t.skip('Lua 5.1 cannot yield inside a for iterator called from the VM', 3)
end

do   -- a Lua function called by a Lua function: always yieldable
  local function step(x) return Y(x) end
  local co = co_create(function() return step(1) + step(2) end)
  local _, a = co_resume(co)
  local _, b = co_resume(co, 40)
  local _, sum = co_resume(co, 2)
  t.ok(a == 1 and b == 2, 'yields from ordinary Lua calls inside an expression')
  t.is(sum, 42, 'the expression completes with the resumed values')
end

do   -- yield from a function called through __call (a plain Lua call)
  local callable = setmetatable({}, { __call = function(_, x) return Y(x) end })
  local co = co_create(function() return callable('c') end)
  local _, v = co_resume(co)
  local _, r = co_resume(co, 'done')
  t.ok(v == 'c' and r == 'done', 'yield inside a __call function')
end

t.done_testing()
