-- §3.4.10 Function Calls: argument adjustment, method calls (prefix
-- evaluated once), the f{...} and f'...' forms, proper tail calls
-- (unbounded depth). §3.3.1 the newline-before-'(' rule per dialect.
-- §3.3.3 Assignment: all values evaluated before assigning, swaps,
-- cyclic permutation, adjustment.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load
local unpack = table.unpack or unpack

----------------------------------------------------------------------------
t.section '§3.4.10'
do
  local function args(...) return select('#', ...), ... end
  local function two(a, b) return a, b end
  local a, b = two(1)
  t.ok(a == 1 and b == nil, 'missing arguments are nil')
  a, b = two(1, 2, 3, 4)
  t.ok(a == 1 and b == 2, 'extra arguments are dropped')
  t.is(args{1, 2}, 1, 'f{...} passes one table')
  t.is(select(2, args{1, 2})[2], 2, 'f{...} passes the constructed table')
  t.is(select(2, args'str'), 'str', "f'...' passes one string")
  t.is(select(2, args"dq"), 'dq', 'f"..." passes one string')
  t.is(select(2, args[[long]]), 'long', 'f[[...]] passes one string')
  t.is(('%d-%d'):format(1, 2), '1-2', 'method call on a parenthesised string')
  t.is((two)(5, 6), 5, 'call of a parenthesised function expression')
  local calls = 0
  local obj = {v = 7, get = function(self, extra) return self.v + (extra or 0) end}
  local function getobj() calls = calls + 1 return obj end
  t.is(getobj():get(1), 8, 'o:m(args) passes o as self')
  t.is(calls, 1, 'the prefix of a method call is evaluated once')
  t.is(obj.get(obj, 2), obj:get(2), 'o:m(x) is o.m(o, x)')
  local nest = {a = {b = {c = obj}}}
  t.is(nest.a.b.c:get(), 7, 'method call on a nested field')
  t.is(nest.a['b'].c:get(), 7, 'method call after bracket indexing')
  local order = {}
  local function mark(n) order[#order + 1] = n return n end
  local function sum3(x, y, z) return x + y + z end
  t.is(sum3(mark(1), mark(2), mark(3)), 6, 'all arguments evaluated before the call')
  t.is(#order, 3, 'each argument evaluated once')
  local big = {}
  for i = 1, 240 do big[i] = i end
  t.is(select('#', args(unpack(big))), 241, 'a call with 240 arguments')
  t.error_like(function() local n = nil n() end, 'call', 'calling nil raises')
  t.error_like(function() local s = 'x' s() end, 'call', 'calling a string raises')
  t.error_like(function() return obj:nosuch() end, 'call', 'calling a missing method raises')
end

-- Proper tail calls: a tail call does not grow the stack.
do
  local function loop(n) if n == 0 then return 'done' end return loop(n - 1) end
  t.is(loop(300000), 'done', '300000 tail calls do not overflow')
  local function ping(n) if n == 0 then return 'ping' end return (function(m) return ping(m) end)(n - 1) end
  t.is(ping(100000), 'ping', 'tail calls through another function')
  local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + n) end
  t.is(count(100000, 0), 5000050000, 'tail-recursive accumulation')
  local mt = {}
  local callable = setmetatable({}, mt)
  mt.__call = function(self, n) if n == 0 then return 'callable' end return self(n - 1) end
  t.is(callable(50000), 'callable', 'tail calls through __call')
  local function multi() return 1, 2, 3 end
  local function tailmulti() return multi() end
  t.is(select('#', tailmulti()), 3, 'a tail call returns all results')
end

-- A newline before '(' : 5.1 (and LuaJIT) reject it as ambiguous; 5.2+
-- read it as a call (5.2+ manuals, §3.3.1).
t.section '§3.3.1'
do
  local f = compile('local a = f\n(g)()')
  if D.version >= 5.2 then
    t.ok(f ~= nil, 'newline before ( continues the call (5.2+)')
  else
    t.ok(f == nil, 'newline before ( is ambiguous syntax (5.1)')
  end
  t.ok(compile('local a = f;\n(g)()') ~= nil, 'a semicolon separates the statements')
end

----------------------------------------------------------------------------
t.section '§3.3.3'
do
  local x, y, z = 1, 2, 3
  x, y = y, x
  t.ok(x == 2 and y == 1, 'x, y = y, x exchanges')
  x, y, z = 1, 2, 3
  x, y, z = y, z, x
  t.ok(x == 2 and y == 3 and z == 1, 'x, y, z = y, z, x permutes')
  local a = {}
  local i = 3
  i, a[i] = i + 1, 20
  t.ok(a[3] == 20 and a[4] == nil and i == 4, 'i, a[i] = i+1, 20 sets a[3]')
  local tb = {1, 2}
  tb[1], tb[2] = tb[2], tb[1]
  t.ok(tb[1] == 2 and tb[2] == 1, 'swapping table fields')
  local p, q = 1
  t.ok(p == 1 and q == nil, 'missing values are nil')
  local r, s = (function() return 1, 2 end)()
  t.ok(r == 1 and s == 2, 'a final call supplies several values')
  local u, v = ((function() return 1, 2 end)())
  t.ok(u == 1 and v == nil, 'a parenthesised call supplies one value')
  local log = {}
  local logged = setmetatable({}, {__newindex = function(_, k, val) log[#log + 1] = k .. '=' .. val end})
  logged.a, logged.b = 1, 2
  t.is(#log, 2, 'every target of a multiple assignment is assigned')
  local g1, g2 = 'one', 'two'
  g1, g2 = g2
  t.ok(g1 == 'two' and g2 == nil, 'the value list is extended with nil')
end

t.done_testing()
