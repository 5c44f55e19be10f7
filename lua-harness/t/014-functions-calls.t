-- 014-functions-calls.t -- Lua 5.4 manual §3.4.10 (function calls:
-- method calls evaluate the object once, f{...} and f"..." sugar,
-- __call, proper tail calls), §3.4.11 (function definitions: the
-- statement forms, local function vs local f = function, methods and
-- self, parameter adjustment, varargs, the manual's CALL/PARAMETERS
-- table, more than 1000 results), §3.4 (adjustment of call results),
-- §3.3.6 (calls as statements discard results), §3.3.4 (return).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles
local unpack = table.unpack or unpack



-- Packs the results with their count.
local function pack(...) return { n = select('#', ...), ... } end

----------------------------------------------------------------------------
t.section '§3.4.11'
-- The manual's argument/parameter table.
do
  local function f(a, b) return pack(a, b) end
  local function g(a, b, ...) return { a = a, b = b, rest = pack(...) } end
  local function r() return 1, 2, 3 end
  t.is_deeply(f(3), { n = 2, 3, nil }, 'f(3): a=3, b=nil')
  t.is_deeply(f(3, 4), { n = 2, 3, 4 }, 'f(3, 4): a=3, b=4')
  t.is_deeply(f(3, 4, 5), { n = 2, 3, 4 }, 'f(3, 4, 5): the extra argument is dropped')
  t.is_deeply(f(r(), 10), { n = 2, 1, 10 }, 'f(r(), 10): r() adjusted to one value')
  t.is_deeply(f(r()), { n = 2, 1, 2 }, 'f(r()): a=1, b=2')
  t.is_deeply(g(3), { a = 3, rest = { n = 0 } }, 'g(3): a=3, b=nil, ... empty')
  t.is_deeply(g(3, 4), { a = 3, b = 4, rest = { n = 0 } }, 'g(3, 4): ... empty')
  t.is_deeply(g(3, 4, 5, 8), { a = 3, b = 4, rest = { n = 2, 5, 8 } }, 'g(3, 4, 5, 8): ... is 5, 8')
  t.is_deeply(g(5, r()), { a = 5, b = 1, rest = { n = 2, 2, 3 } }, 'g(5, r()): a=5, b=1, ... is 2, 3')
end

-- Varargs.
do
  local function count(...) return select('#', ...) end
  t.is(count(), 0, 'no arguments')
  t.is(count(nil), 1, 'one nil argument')
  t.is(count(nil, nil, nil), 3, 'trailing nils are counted')
  t.is(count(1, nil), 2, 'a nil after a value is counted')
  local function first(...) local a = ... return a end
  t.is(first(7, 8, 9), 7, 'local a = ... takes the first value')
  local function mid(...) return ..., 'end' end
  t.is_deeply(pack(mid(1, 2, 3)), { n = 2, 1, 'end' }, '... in the middle of a list gives one value')
  local function last(...) return 'start', ... end
  t.is_deeply(pack(last(1, 2)), { n = 3, 'start', 1, 2 }, '... at the end gives all values')
  local function paren(...) return (...) end
  t.is_deeply(pack(paren(4, 5)), { n = 1, 4 }, '(...) gives one value')
  t.is_deeply(pack(paren()), { n = 1 }, '(...) with no arguments gives nil')
  local function tbl(...) return { ... } end
  t.is_deeply(tbl(1, 2, 3), { 1, 2, 3 }, '{...} collects all arguments')
  local function tbl2(...) return { ..., 'x' } end
  t.is_deeply(tbl2(1, 2, 3), { 1, 'x' }, '{..., x} keeps only the first')
  local function sel(...) return select(2, ...) end
  t.is_deeply(pack(sel('a', 'b', 'c')), { n = 2, 'b', 'c' }, 'select(2, ...)')
  local function nested(...) return (function(...) return select('#', ...) end)(...) end
  t.is(nested(1, nil, 3, nil), 4, '... passed on keeps its length')
  t.ok(not compiles('function f() return ... end'), '... outside a vararg function is an error')
  t.ok(not compiles('function f(a) local function g() return ... end end'),
       '... of an enclosing function is not visible')
  t.ok(compiles('function f(a, ...) return ... end'), '... after named parameters')
  t.ok(not compiles('function f(..., a) end'), '... must be the last parameter')
  t.is(select('#', run('return ...', 1, 2, nil)), 3, 'a chunk is a vararg function')
end

-- Parameters are locals initialized with the arguments.
do
  local function modify(x, tb) x = 99; tb.v = 99; return x end
  local x, tb = 1, { v = 1 }
  t.is(modify(x, tb), 99, 'the parameter is assigned inside')
  t.is(x, 1, 'the caller variable is not changed')
  t.is(tb.v, 99, 'a table argument is shared (a reference)')
  local function defaults(a, b) b = b or 'default' return a .. b end
  t.is(defaults('x'), 'xdefault', 'a missing argument is nil')
  local function none() end
  t.is(select('#', none()), 0, 'a function without return returns no values')
  local function rnil() return nil end
  t.is(select('#', rnil()), 1, 'return nil returns one value')
  local function emptyret() return end
  t.is(select('#', emptyret()), 0, 'an empty return returns no values')
end

-- Statement forms.
do
  run('function lvt_f1() return "global" end')
  t.is(lvt_f1(), 'global', 'function f () ... end assigns a global')
  lvt_f1 = nil
  local tb = { a = { b = { c = {} } } }
  run('local tb = ... function tb.a.b.c.f() return "deep" end', tb)
  t.is(tb.a.b.c.f(), 'deep', 'function t.a.b.c.f () defines a field')
  run('local tb = ... function tb.a.b.c:m(x) return self, x end', tb)
  local self_seen, x_seen = tb.a.b.c:m(5)
  t.ok(self_seen == tb.a.b.c and x_seen == 5, 'function t.a.b.c:m () gets self')
  local s2, x2 = tb.a.b.c.m('explicit', 6)
  t.ok(s2 == 'explicit' and x2 == 6, 'a method is a function with self as first parameter')
  t.is(run('local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end return fact(10)'),
       3628800, 'local function can call itself')
  t.error_like(function()
    run('local fact = function(n) if n <= 1 then return 1 end return n * fact(n - 1) end return fact(3)')
  end, 'nil', 'local f = function cannot see itself (f is global nil)')
  t.is(run([[
    local function even(n) if n == 0 then return true end return odd(n - 1) end
    function odd(n) if n == 0 then return false end return even(n - 1) end
    local r = even(10) odd = nil return r]]), true, 'a global function defined after its caller')
  t.error_like(function() run('local x function x.y.z() end') end, 'index',
               'function a.b.c() with a nil path is an error')
  t.ok(not compiles('function a:b:c() end'), 'only one colon in a function name')
  t.ok(not compiles('function a:b.c() end'), 'the colon comes last')
  t.ok(not compiles('local function a.b() end'), 'local function takes a plain name')
  t.ok(not compiles('function a[1]() end'), 'brackets are not allowed in a function name')
  t.ok(not compiles('local function () end'), 'local function needs a name')
  t.is(type(function() end), 'function', 'a function expression')
end

-- Closures: each evaluation of a function definition makes a new closure.
do
  local function counter()
    local n = 0
    return function() n = n + 1 return n end
  end
  local c1, c2 = counter(), counter()
  c1(); c1()
  t.is(c1(), 3, 'the first closure counts its own calls')
  t.is(c2(), 1, 'the second closure has its own state')
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i * 10 end end
  t.is(fs[1]() + fs[3](), 40, 'closures made in a loop')
end

-- More than 1000 results and arguments (the manual guarantees > 1000).
do
  local big = {}
  for i = 1, 1500 do big[i] = i end
  local function many() return unpack(big) end
  t.is(select('#', many()), 1500, 'a function returns 1500 values')
  t.is(select(1500, many()), 1500, 'the last of 1500 values')
  local function count(...) return select('#', ...) end
  t.is(count(many()), 1500, '1500 values passed as arguments')
  t.is(#{ many() }, 1500, '1500 values in a table constructor')
  t.is(count(many(), many()), 1501, 'the first call is truncated, the last expanded')
end

----------------------------------------------------------------------------
t.section '§3.4.10'
-- Method calls.
do
  local evals = 0
  local obj = { v = 3 }
  function obj:get(k) return self.v * (k or 1) end
  local function getobj() evals = evals + 1 return obj end
  t.is(getobj():get(2), 6, 'v:name(args) passes v as self')
  t.is(evals, 1, 'the object expression is evaluated once')
  t.is(obj.get(obj, 3), 9, 'v.name(v, args) is the same call')
  t.is(('abc'):upper(), 'ABC', 'a method call on a string literal')
  local s = 'x'
  t.is(s:rep(3), 'xxx', 'a method call on a string variable')
  t.error_like(function() local o = {} return o:missing() end, 'missing', 'a missing method is an error naming it')
  t.error_like(function() return obj.get() end, 'index', 'calling a method without self fails inside')
end

-- Call sugar: f{...}, f'...', f"...", f[[...]].
do
  local function id(...) return ... end
  local got = id{ 1, 2 }
  t.is_deeply(got, { 1, 2 }, 'f{...} passes one new table')
  t.ok(id{} ~= id{}, 'f{} makes a new table each time')
  t.is(id'single', 'single', "f'...' passes one string")
  t.is(id"double", 'double', 'f"..." passes one string')
  t.is(id[[long]], 'long', 'f[[...]] passes one string')
  t.is(select('#', id'x'), 1, 'exactly one argument')
  local obj = { m = function(self, x) return type(self) .. ':' .. type(x) end }
  t.is(obj:m'str', 'table:string', "obj:m'str' is a method call")
  t.is(obj:m{ 1 }, 'table:table', 'obj:m{...} is a method call')
  local function chain(x) return function(y) return x .. y end end
  t.is(chain'a''b', 'ab', "f'a''b' chains calls")
  t.is(run('return type{}'), 'table', 'type{} calls type with a table')
  t.is(run('return ("%d"):format(7)'), '7', 'a parenthesised literal string method call')
end

-- __call.
do
  local seen
  local callable = setmetatable({}, { __call = function(self, a, b) seen = { self, a, b } return a + b end })
  t.is(callable(2, 3), 5, 'a table with __call can be called')
  t.ok(seen[1] == callable and seen[2] == 2 and seen[3] == 3, '__call gets the object then the arguments')
  t.is(pcall(callable, 1, 1), true, 'pcall calls through __call')
  t.error_like(function() local x = nil x() end, 'call', 'calling nil is an error')
  t.error_like(function() local x = 1 x() end, 'call', 'calling a number is an error')
  t.error_like(function() local x = {} x() end, 'call', 'calling a table without __call is an error')
  t.error_like(function() local x = 'f' x() end, 'call', 'calling a string is an error')
end

-- Arguments are evaluated before the call.
do
  local log = {}
  local function f(...) log[#log + 1] = 'call' return ... end
  local function arg(v) log[#log + 1] = 'arg' .. v return v end
  f(arg(1), arg(2))
  t.is(log[#log], 'call', 'the call happens after its arguments')
  t.is(#log, 3, 'both arguments evaluated')
end

-- Calls as statements discard their results (§3.3.6).
t.section '§3.3.6'
do
  t.is(run('local function f() return 1, 2 end f() return "discarded"'), 'discarded',
       'a call statement discards its results')
  t.ok(not compiles('1 + 1'), 'an expression is not a statement')
  t.ok(not compiles('x'), 'a name alone is not a statement')
  t.ok(not compiles('(f)'), 'a parenthesised name is not a statement')
  t.ok(not compiles('f() + 1'), 'an expression starting with a call is not a statement')
  t.ok(compiles('f()()'), 'a chained call is a statement')
  t.ok(compiles('a.b:c"x"{}'), 'a chain of sugar calls is a statement')
end

-- Proper tail calls: no limit on the number of nested tail calls.
t.section '§3.4.10'
do
  local function loop(n) if n == 0 then return 'done' end return loop(n - 1) end
  t.is(loop(1000000), 'done', 'a million nested tail calls')
  local even, odd
  function even(n) if n == 0 then return true end return odd(n - 1) end
  function odd(n) if n == 0 then return false end return even(n - 1) end
  t.is(even(300001), false, 'mutual tail recursion 300001 deep')
  local obj = {}
  function obj:down(n) if n == 0 then return self end return self:down(n - 1) end
  t.is(obj:down(500000), obj, 'a method tail call 500000 deep')
  local function acc(n, s) if n == 0 then return s end return acc(n - 1, s + n) end
  t.is(acc(200000, 0), 20000100000, 'an accumulator in tail position')
  local function multi(n) if n == 0 then return 1, 2, 3 end return multi(n - 1) end
  t.is_deeply(pack(multi(100000)), { n = 3, 1, 2, 3 }, 'a tail call returns all results')
  local function notail(n) if n == 0 then return 0 end return 1 + notail(n - 1) end
  local ok, e = pcall(notail, 1e7)
  t.ok(not ok and tostring(e):find('overflow') ~= nil, 'deep non-tail recursion is a stack overflow error')
  t.is(notail(5000), 5000, 'non-tail recursion 5000 deep works')
end

-- return f() and its non-tail variants return what the manual says.
do
  local function r() return 1, 2, 3 end
  local function a() return r() end
  local function b() return (r()) end
  local function c() return 2 * r() end
  local function d() return 0, r() end
  local function e() r() return end
  local function f() return nil or r() end
  t.is_deeply(pack(a()), { n = 3, 1, 2, 3 }, 'return f() returns all results')
  t.is_deeply(pack(b()), { n = 1, 1 }, 'return (f(x)) returns one result')
  t.is_deeply(pack(c()), { n = 1, 2 }, 'return 2 * f(x) returns one result')
  t.is_deeply(pack(d()), { n = 4, 0, 1, 2, 3 }, 'return x, f(x) returns x and all results')
  t.is_deeply(pack(e()), { n = 0 }, 'f(x); return returns nothing')
  t.is_deeply(pack(f()), { n = 1, 1 }, 'return x or f(x) returns one result')
end

t.done_testing()
