-- 009-assignment.t -- Lua 5.4 manual §3.3.3 (assignment): multiple
-- assignment, adjustment of the value list (excess dropped, missing nil,
-- a final call expanded, parenthesised calls truncated), all reads inside
-- the statement happen before any write (swaps, rotations, i, a[i] =
-- i+1, 20), assignment to globals as _ENV fields, to table fields and
-- through __newindex; invalid targets. §3.4 (adjustment of expression
-- lists) where it shows in assignments.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



-- Packs the results with their count.
local function pack(...) return { n = select('#', ...), ... } end

local function none() end
local function one() return 1 end
local function three() return 1, 2, 3 end

----------------------------------------------------------------------------
t.section '§3.3.3'
-- Adjustment of the value list to the variable list.
do
  local a, b, c
  a, b, c = 1, 2, 3
  t.is_deeply({ a, b, c }, { 1, 2, 3 }, 'three values to three variables')
  a, b, c = 4, 5
  t.is_deeply(pack(a, b, c), { n = 3, 4, 5, nil }, 'a missing value becomes nil')
  a, b = 6, 7, 8
  t.is_deeply({ a, b }, { 6, 7 }, 'an excess value is dropped')
  a = 9, 10, 11
  t.is(a, 9, 'one variable takes the first value')
  local calls = 0
  local function side() calls = calls + 1 return 'x' end
  a, b = 1, 2, side()
  t.is(calls, 1, 'excess expressions are still evaluated')
  a, b, c = three()
  t.is_deeply({ a, b, c }, { 1, 2, 3 }, 'a final call expands to all its results')
  a, b, c = 0, three()
  t.is_deeply({ a, b, c }, { 0, 1, 2 }, 'a final call fills the remaining variables')
  a, b, c = three(), 10
  t.is_deeply(pack(a, b, c), { n = 3, 1, 10, nil }, 'a call not at the end gives one value')
  a, b, c = (three())
  t.is_deeply(pack(a, b, c), { n = 3, 1, nil, nil }, 'a parenthesised call gives one value')
  a, b = none()
  t.is_deeply(pack(a, b), { n = 2, nil, nil }, 'a call with no results gives nils')
  a, b = none(), 5
  t.is_deeply(pack(a, b), { n = 2, nil, 5 }, 'a call with no results in the middle gives nil')
  a, b, c = three(), three()
  t.is_deeply({ a, b, c }, { 1, 1, 2 }, 'first call truncated, last call expanded')
  a, b, c = one(), one(), one()
  t.is_deeply({ a, b, c }, { 1, 1, 1 }, 'three single-result calls')
  local function va(...) local x, y, z = ... return x, y, z end
  t.is_deeply(pack(va(7, 8)), { n = 3, 7, 8, nil }, '... adjusted to three locals')
  local function va2(...) local x, y = ..., 'last' return x, y end
  t.is_deeply({ va2(7, 8) }, { 7, 'last' }, '... not at the end gives one value')
end

-- All reads happen before the assignments (the manual's examples).
do
  local i = 3
  local a = {}
  i, a[i] = i + 1, 20
  t.is(a[3], 20, 'i, a[i] = i+1, 20 sets a[3]')
  t.is(a[4], nil, 'and does not touch a[4]')
  t.is(i, 4, 'i becomes 4')
  local x, y = 1, 2
  x, y = y, x
  t.is_deeply({ x, y }, { 2, 1 }, 'x, y = y, x swaps')
  local z
  x, y, z = 1, 2, 3
  x, y, z = y, z, x
  t.is_deeply({ x, y, z }, { 2, 3, 1 }, 'x, y, z = y, z, x rotates')
  local arr = { 'a', 'b', 'c' }
  arr[1], arr[3] = arr[3], arr[1]
  t.is_deeply(arr, { 'c', 'b', 'a' }, 'swap of two table elements')
  local p, q = 1, 3
  arr[p], arr[q], p = arr[q], arr[p], 2
  t.is_deeply(arr, { 'a', 'b', 'c' }, 'indices read before p is assigned')
  t.is(p, 2, 'p assigned in the same statement')
  local tb = { k = 'k1', k1 = 'v1' }
  local k = 'k'
  k, tb[k] = tb[k], 'new'
  t.is(tb.k, 'new', 'the key expression uses the old value of k')
  t.is(k, 'k1', 'k gets the old tb.k')
  local u, v = {}, {}
  local cur = u
  cur, cur.x = v, 1
  t.is(u.x, 1, 'cur.x uses the table cur held before the statement')
  t.is(v.x, nil, 'the new table is not written')
  local n = 5
  n, n = n + 1, n + 2
  t.ok(n == 6 or n == 7, 'two assignments to one variable: one of the values (order unspecified)')
  local s = 'ab'
  s, s = s .. 'c', s .. 'd'
  t.ok(s == 'abc' or s == 'abd', 'both right-hand sides read the old value')
end

-- The same guarantees for globals and upvalues.
do
  run('lvt_x, lvt_y = 1, 2 lvt_x, lvt_y = lvt_y, lvt_x')
  t.is_deeply({ lvt_x, lvt_y }, { 2, 1 }, 'swapping globals')
  lvt_x, lvt_y = nil, nil
  local up1, up2 = 'a', 'b'
  local function swap() up1, up2 = up2, up1 end
  swap()
  t.is(up1 .. up2, 'ba', 'swapping upvalues')
  local i = 1
  local a = {}
  local function f() i, a[i] = i + 1, 'v' end
  f()
  t.is(a[1], 'v', 'i, a[i] with upvalues: a[1] set')
  t.is(i, 2, 'upvalue i incremented')
end

-- An assignment to a global is an assignment to a field of the environment.
do
  run('lvt_ga = 11')
  t.is(_G.lvt_ga, 11, 'a global assignment writes _G')
  _G.lvt_ga = 12
  t.is(run('return lvt_ga'), 12, 'writing _G changes the global')
  lvt_ga = nil
  if D.has.env then
    local env = {}
    run('local _ENV = ... g1, g2 = 1, 2', env)
    t.is_deeply(env, { g1 = 1, g2 = 2 }, 'globals go to the _ENV in scope (5.2+)')
    t.is(rawget(_G, 'g1'), nil, 'not to the global table')
  else
    local env = {}
    local f = assert(compile('g1, g2 = 1, 2'))
    setfenv(f, env)
    f()
    t.is_deeply(env, { g1 = 1, g2 = 2 }, 'globals go to the function environment (5.1)')
    t.is(rawget(_G, 'g1'), nil, 'not to the global table')
  end
end

-- Assignments to fields and __newindex.
do
  local tb = {}
  tb.a, tb['b'], tb[1], tb[1.5], tb[true] = 1, 2, 3, 4, 5
  t.is_deeply(tb, { a = 1, b = 2, [1] = 3, [1.5] = 4, [true] = 5 }, 'fields of several key types')
  local nested = { x = { y = { z = 0 } } }
  nested.x.y.z = 42
  t.is(nested.x.y.z, 42, 'a nested field path')
  local log = {}
  local proxy = setmetatable({}, { __newindex = function(t2, k, v) log[#log + 1] = k .. '=' .. tostring(v) end })
  proxy.p = 1
  t.is(log[1], 'p=1', '__newindex sees an assignment to an absent field')
  t.is(rawget(proxy, 'p'), nil, 'and the raw table is unchanged')
  local store = {}
  local redirect = setmetatable({}, { __newindex = store })
  redirect.q = 2
  t.is(store.q, 2, '__newindex as a table receives the assignment')
  local present = setmetatable({ r = 0 }, { __newindex = function() error('not called') end })
  present.r = 3
  t.is(present.r, 3, 'an existing field is assigned without __newindex')
  local function f() return tb end
  f().z = 'via call'
  t.is(tb.z, 'via call', 'a call result as the table of a field assignment')
  ;(tb).w = 'paren'
  t.is(tb.w, 'paren', 'a parenthesised prefix expression')
  tb.a = nil
  t.is(tb.a, nil, 'assigning nil clears a field')
end

-- Runtime errors in assignment targets.
do
  t.error_like(function() local x; x.y = 1 end, 'index', 'assigning a field of nil')
  t.error_like(function() local x = 5; x.y = 1 end, 'index', 'assigning a field of a number')
  t.error_like(function() local x = true; x[1] = 1 end, 'index', 'assigning a field of a boolean')
  t.error_like(function() local tb = {}; tb[nil] = 1 end, 'nil', 'a nil key')
  t.error_like(function() local tb = {}; tb.a.b = 1 end, 'index', 'assigning through a missing field')
  local tb = {}
  local ok = pcall(function() tb.x, tb[nil] = 1, 2 end)
  t.is(ok, false, 'an error in one target fails the statement')
end

-- Invalid assignment targets are syntax errors.
do
  for _, src in ipairs({ '1 = 2', 'f() = 1', 'a, f() = 1, 2', '(a) = 1', 'a + b = 1',
                         '"s" = 1', 'nil = 1', 'a =', '= 1', 'a, = 1', 'a b = 1',
                         '... = 1', 'a.b:c = 1', '{} = 1' }) do
    t.ok(not compiles(src), src .. ' does not compile')
  end
  t.ok(compiles('a, b.c, d[1], e.f.g = 1, 2, 3, 4'), 'a mixed variable list compiles')
  t.ok(compiles('a = 1, 2, 3'), 'more values than variables compiles')
end

t.done_testing()
