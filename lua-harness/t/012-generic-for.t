-- 012-generic-for.t -- Lua 5.4 manual §3.3.5 (the generic for loop):
-- the explist evaluated once and adjusted (iterator, state, initial
-- control value, and in 5.4 a closing value), the iterator called with
-- the state and the control variable, the loop ending when the first
-- value is nil (not false), multiple-assignment rules for the loop
-- variables, stateless and stateful iterators, fresh variables per
-- iteration, the closing value closed on every way out (5.4).
-- §6.1 ipairs/pairs/next as iterators.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with, run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, run, compiles = h.with, h.run, h.compiles




-- The sorted keys of a table, as a string.
local function keys_of(tb)
  local ks = {}
  for k in pairs(tb) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  return table.concat(ks, ' ')
end

----------------------------------------------------------------------------
t.section '§3.3.5'
-- The iterator protocol.
do
  local calls = {}
  local function iter(s, c)
    calls[#calls + 1] = { n = select('#', s, c), s = s, c = c }
    if c < 3 then return c + 1, c * 10 end
  end
  local state = { 'the state' }
  local got = {}
  for i, v in iter, state, 0 do got[#got + 1] = i .. ':' .. v end
  t.is(table.concat(got, ' '), '1:0 2:10 3:20', 'values from an explicit iterator triple')
  t.is(#calls, 4, 'the iterator is called until it returns nil')
  t.ok(calls[1].s == state and calls[4].s == state, 'the state is passed unchanged on every call')
  t.is(calls[1].c, 0, 'the first call gets the initial value')
  t.is(calls[2].c, 1, 'later calls get the previous control value')
  t.is(calls[4].c, 3, 'the last call gets the last control value')
  local nargs = 0
  local function count_args(...) nargs = select('#', ...) return nil end
  for _ in count_args, 's', 'c' do end
  t.is(nargs, 2, 'the iterator is called with exactly two arguments')
end

-- The explist is evaluated once and adjusted.
do
  local evals = 0
  local function make()
    evals = evals + 1
    local i = 0
    return function() i = i + 1 if i <= 3 then return i end end
  end
  local n = 0
  for _ in make() do n = n + 1 end
  t.is(n, 3, 'a closure iterator returned by a call')
  t.is(evals, 1, 'the explist is evaluated once')
  local function triple() return next, { a = 1, b = 2 }, nil end
  local seen = {}
  for k, v in triple() do seen[k] = v end
  t.is_deeply(seen, { a = 1, b = 2 }, 'a call returning the triple expands')
  local function gen(_, c) c = c + 1 if c <= 2 then return c end end
  local vals = {}
  for v in gen, nil, 0 do vals[#vals + 1] = v end
  t.is_deeply(vals, { 1, 2 }, 'a nil state is allowed')
  local only = {}
  for v in (function() local done = false return function() if not done then done = true return 'once' end end end)() do
    only[#only + 1] = v
  end
  t.is_deeply(only, { 'once' }, 'a missing state and control value are nil')
  local s_seen = 'unset'
  for _ in function(s) s_seen = s end do end
  t.is(s_seen, nil, 'a lone iterator gets a nil state')
  local ctl = {}
  for v in function(_, c) ctl[#ctl + 1] = tostring(c) if c == nil then return 'first' end end do end
  t.is(table.concat(ctl, ','), 'nil,first', 'a missing initial value is nil')
end

-- The loop ends when the first value is nil, not when it is false.
do
  local seq = { false, false, 'x' }
  local function it(s, i)
    i = i + 1
    if i <= #s then return i, s[i] end
  end
  local n = 0
  for _, v in it, seq, 0 do n = n + 1 end
  t.is(n, 3, 'false second values do not stop the loop')
  local falses = { false, false }
  local k = 0
  local got = {}
  for v in function() k = k + 1 if k <= 2 then return falses[k] end end do
    got[#got + 1] = tostring(v)
    if k > 5 then break end
  end
  t.is(table.concat(got, ','), 'false,false', 'a false control value continues the loop')
  local stops = 0
  for _ in function() stops = stops + 1 return nil, 'ignored' end do end
  t.is(stops, 1, 'a nil first value ends the loop even with other values')
end

-- Loop variables follow multiple-assignment rules.
do
  local function many() local i = 0 return function() i = i + 1 if i == 1 then return 1, 2, 3, 4 end end end
  local a, b, c, d, e
  for x, y, z, w, v in many() do a, b, c, d, e = x, y, z, w, v end
  t.is_deeply({ a, b, c, d, e }, { 1, 2, 3, 4 }, 'extra loop variables are nil')
  local only
  for x in many() do only = x end
  t.is(only, 1, 'extra values are dropped')
  t.is(run('for k in pairs({1}) do end return k'), nil, 'loop variables do not leak')
  t.is(run('local k = "outer" for k in pairs({1}) do end return k'), 'outer', 'an outer name is untouched')
  local fs = {}
  for i, v in ipairs({ 'a', 'b', 'c' }) do fs[i] = function() return i .. v end end
  t.is(fs[1]() .. fs[2]() .. fs[3](), '1a2b3c', 'fresh loop variables per iteration')
  t.is(run('local s = "" for i, v in ipairs({"x"}) do local v = v .. "!" s = s .. v end return s'), 'x!',
       'a body local may shadow a loop variable')
end

-- Stateless and stateful iterators.
do
  local function range(n)
    return function(max, i) if i < max then return i + 1 end end, n, 0
  end
  local sum = 0
  for i in range(100) do sum = sum + i end
  t.is(sum, 5050, 'a stateless range iterator')
  local function fib()
    local a, b = 0, 1
    return function() a, b = b, a + b return a end
  end
  local fs = {}
  for v in fib() do if v > 50 then break end fs[#fs + 1] = v end
  t.is(table.concat(fs, ','), '1,1,2,3,5,8,13,21,34', 'a stateful closure iterator')
  local words = {}
  for w in ('one two  three'):gmatch('%a+') do words[#words + 1] = w end
  t.is_deeply(words, { 'one', 'two', 'three' }, 'string.gmatch as an iterator')
  local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * i) end end)
  local sq = {}
  for v in co do sq[#sq + 1] = v end
  t.is_deeply(sq, { 1, 4, 9 }, 'coroutine.wrap as an iterator')
  local pairs_kv = {}
  for k, v in next, { x = 1, y = 2 } do pairs_kv[#pairs_kv + 1] = k .. v end
  table.sort(pairs_kv)
  t.is(table.concat(pairs_kv, ','), 'x1,y2', 'next, t is a valid explist')
  local nested = 0
  for _ in pairs({ 1, 2, 3 }) do for _ in pairs({ 1, 2 }) do nested = nested + 1 end end
  t.is(nested, 6, 'nested generic loops')
end

-- ipairs and pairs.
do
  local got = {}
  for i, v in ipairs({ 10, 20, nil, 40 }) do got[#got + 1] = i .. '=' .. v end
  t.is(table.concat(got, ' '), '1=10 2=20', 'ipairs stops at the first nil')
  local n = 0
  for _ in ipairs({ n = 3, x = 1 }) do n = n + 1 end
  t.is(n, 0, 'ipairs ignores non-integer keys')
  local falsy = {}
  for i, v in ipairs({ false, false, true }) do falsy[i] = v end
  t.is(#falsy, 3, 'ipairs does not stop at false')
  local tb = { 1, 2, 3, a = 'x', b = 'y', [10] = 'z' }
  t.is(keys_of(tb), '1 10 2 3 a b', 'pairs visits every key once')
  local big = {}
  for i = 1, 1000 do big['k' .. i] = i end
  local total = 0
  for _, v in pairs(big) do total = total + v end
  t.is(total, 500500, 'pairs over 1000 keys')
  local mod = { a = 1, b = 2, c = 3, d = 4 }
  for k in pairs(mod) do mod[k] = mod[k] * 10 end
  t.is(mod.a + mod.b + mod.c + mod.d, 100, 'assigning existing fields during traversal')
  local clear = { a = 1, b = 2, c = 3, d = 4 }
  for k in pairs(clear) do clear[k] = nil end
  t.is(next(clear), nil, 'clearing fields during traversal')
  local count = 0
  for _ in pairs({}) do count = count + 1 end
  t.is(count, 0, 'pairs of an empty table')
end

-- Errors.
do
  t.error_like(function() for _ in 1 do end end, 'call', 'a number is not an iterator')
  t.error_like(function() for _ in nil do end end, 'call', 'nil is not an iterator')
  t.error_like(function() for _ in {} do end end, 'call', 'a table without __call is not an iterator')
  local callable = setmetatable({}, { __call = function(self, s, c) if not c then return 1 end end })
  local n = 0
  for _ in callable do n = n + 1 end
  t.is(n, 1, 'a table with __call works as an iterator')
  t.error_like(function() for _ in function() error('from iterator') end do end end, 'from iterator',
               'an error in the iterator propagates')
  t.ok(not compiles('for k in do end'), 'an empty explist is a syntax error')
  t.ok(not compiles('for in pairs({}) do end'), 'a missing name is a syntax error')
  t.ok(not compiles('for k, in pairs({}) do end'), 'a dangling comma is a syntax error')
  t.ok(not compiles('for k = pairs({}) do end'), '= with one expression is a syntax error')
  t.ok(not compiles('for k in pairs({}) end'), 'a missing do is a syntax error')
end

-- 5.4: the fourth value is a closing value, closed when the loop ends.
with('close', 12, function()
  local log = {}
  local function closer(tag)
    return setmetatable({}, { __close = function(_, err) log[#log + 1] = tag .. ':' .. tostring(err) end })
  end
  local function iter(n, tag)
    local i = 0
    return function() i = i + 1 if i <= n then return i end end, nil, nil, closer(tag)
  end
  local seen_in_body = {}
  for i in iter(2, 'normal') do seen_in_body[#seen_in_body + 1] = #log end
  t.is_deeply(seen_in_body, { 0, 0 }, 'not closed during the loop')
  t.is(log[1], 'normal:nil', 'closed after a normal end, with a nil error')
  for _ in iter(5, 'break') do break end
  t.is(log[2], 'break:nil', 'closed on break')
  local function ret() for i in iter(5, 'return') do return i end end
  t.is(ret(), 1, 'the return value is kept')
  t.is(log[3], 'return:nil', 'closed on return')
  local ok, e = pcall(function() for _ in iter(5, 'error') do error('boom', 0) end end)
  t.is(e, 'boom', 'the error propagates')
  t.is(log[4], 'error:boom', 'closed on error with the error object')
  run([[
    local iter = ...
    for _ in iter(5, 'goto') do goto out end
    ::out::
  ]], iter)
  t.is(log[5], 'goto:nil', 'closed on goto out of the loop')
  local n = 0
  for _ in function() n = n + 1 if n < 3 then return n end end, nil, nil, nil do end
  t.is(n, 3, 'a nil closing value is allowed')
  t.error_like(function() for _ in next, {}, nil, {} do end end, 'non%-closable',
               'a closing value without __close is an error')
  local nested = {}
  local function c2(tag) return setmetatable({}, { __close = function() nested[#nested + 1] = tag end }) end
  for _ in function() return nil end, nil, nil, c2('outer') do end
  for _ in next, { 1 }, nil, c2('a') do for _ in next, { 1 }, nil, c2('b') do end end
  t.is(table.concat(nested, ','), 'outer,b,a', 'inner loops close before outer ones')
  t.is(#log, 5, 'each loop closes once')
end)

-- Before 5.4 the explist is adjusted to three values: a fourth is dropped.
if D.version < 5.4 then
  local vals = {}
  for v in function(_, c) c = c + 1 if c <= 2 then return c end end, nil, 0, 'extra' do
    vals[#vals + 1] = v
  end
  t.is_deeply(vals, { 1, 2 }, 'a fourth value is dropped (pre-5.4)')
else
  t.skip('the pre-5.4 adjustment to three values', 1)
end

t.done_testing()
