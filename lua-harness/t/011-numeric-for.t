-- 011-numeric-for.t -- Lua 5.4 manual §3.3.5 (the numerical for loop):
-- arithmetic progressions with positive, negative and float steps, the
-- control expressions evaluated once, the loop variable local to the body
-- and fresh per iteration, integer vs float loops, a zero step as an error
-- (5.4), integer loops that never wrap around (5.4), non-number errors.
-- Loops that would run forever on older dialects are only run on 5.4.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with, run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, run, compiles = h.with, h.run, h.compiles



-- The values taken by the control variable of 'for v = a, b, c' (source
-- text of the three expressions), at most 'max' of them (default 100).
local function values(a, b, c, max)
  local src = 'local out, max = {}, ... for v = ' .. a .. ', ' .. b .. (c and ', ' .. c or '') ..
              ' do out[#out + 1] = v if #out >= max then break end end return out'
  local r = run(src, max or 100)
  return type(r) == 'table' and r or { r }
end

-- The math.type of each value of the loop, joined by spaces.
local function types(a, b, c)
  local out = {}
  for _, v in ipairs(values(a, b, c)) do out[#out + 1] = math.type(v) end
  return table.concat(out, ' ')
end


----------------------------------------------------------------------------
t.section '§3.3.5'
-- Arithmetic progressions.
do
  t.is_deeply(values('1', '3'), { 1, 2, 3 }, '1, 3: the step defaults to 1')
  t.is_deeply(values('1', '10', '3'), { 1, 4, 7, 10 }, '1, 10, 3 reaches the limit exactly')
  t.is_deeply(values('1', '9', '3'), { 1, 4, 7 }, '1, 9, 3 stops below the limit')
  t.is_deeply(values('3', '1', '-1'), { 3, 2, 1 }, 'a negative step counts down')
  t.is_deeply(values('10', '1', '-4'), { 10, 6, 2 }, '10, 1, -4')
  t.is_deeply(values('5', '5'), { 5 }, 'initial value equal to the limit: one iteration')
  t.is_deeply(values('5', '5', '-1'), { 5 }, 'equal bounds with a negative step: one iteration')
  t.is_deeply(values('3', '1'), {}, 'initial value above the limit: no iteration')
  t.is_deeply(values('1', '3', '-1'), {}, 'initial value below the limit with a negative step')
  t.is_deeply(values('-3', '-1'), { -3, -2, -1 }, 'negative bounds')
  t.is_deeply(values('0', '0'), { 0 }, '0, 0')
  t.is_deeply(values('-1', '1', '2'), { -1, 1 }, 'crossing zero with step 2')
  t.is_deeply(values('1', '3.5'), { 1, 2, 3 }, 'a float limit with integer values')
  t.is_deeply(values('1', '0.5'), {}, 'a float limit below the start')
  t.is_deeply(values('-1', '-2.5', '-1'), { -1, -2 }, 'a float limit counting down')
  t.is_deeply(values('0', '1', '0.25'), { 0.0, 0.25, 0.5, 0.75, 1.0 }, 'a float step of 0.25')
  t.is_deeply(values('1', '2', '0.5'), { 1.0, 1.5, 2.0 }, 'integer bounds, float step')
  t.is_deeply(values('3', '1', '-0.5'), { 3.0, 2.5, 2.0, 1.5, 1.0 }, 'a negative float step')
  t.is_deeply(values('0.5', '2'), { 0.5, 1.5 }, 'a float start')
  t.is_deeply(values('1', '-1/0'), {}, 'a -inf limit: no iteration')
  t.is_deeply(values('1', '1/0', '1', 3), { 1, 2, 3 }, 'an inf limit runs until break')
  t.is_deeply(values('1', '1/0', '1.5', 3), { 1.0, 2.5, 4.0 }, 'an inf limit with a float step')
end

-- The three expressions are evaluated once, before the loop.
do
  local calls = { a = 0, b = 0, c = 0 }
  local function a() calls.a = calls.a + 1 return 1 end
  local function b() calls.b = calls.b + 1 return 5 end
  local function c() calls.c = calls.c + 1 return 2 end
  local n = 0
  for _ = a(), b(), c() do n = n + 1 end
  t.is(n, 3, '1, 5, 2 runs three times')
  t.is(calls.a, 1, 'the initial value is evaluated once')
  t.is(calls.b, 1, 'the limit is evaluated once')
  t.is(calls.c, 1, 'the step is evaluated once')
  local limit, iters = 3, 0
  for _ = 1, limit do limit = 10; iters = iters + 1 end
  t.is(iters, 3, 'changing the limit variable in the body does not extend the loop')
  local step, seen = 1, {}
  for i = 1, 5, step do step = 100; seen[#seen + 1] = i end
  t.is(#seen, 5, 'changing the step variable in the body does not change the step')
  local zero_calls = 0
  for _ = 1, 0, (function() zero_calls = zero_calls + 1 return 1 end)() do end
  t.is(zero_calls, 1, 'the step is evaluated even when the body never runs')
  local order = {}
  local function rec(x) order[#order + 1] = x return x end
  for _ = rec(1), rec(2), rec(1) do end
  t.is(#order, 3, 'all three expressions evaluated for a loop')
end

-- The control variable is a new local of the body.
do
  t.is(run('for i = 1, 3 do end return i'), nil, 'the variable does not exist after the loop')
  t.is(run('local i = "outer" for i = 1, 3 do end return i'), 'outer', 'an outer i is not changed')
  local fs = {}
  for i = 1, 3 do fs[i] = function() return i end end
  t.is(fs[1]() * 100 + fs[2]() * 10 + fs[3](), 123, 'each iteration has its own variable')
  local gs = {}
  for i = 1, 2 do
    local function get() return i end
    local function set(v) i = v end
    gs[i] = { get = get, set = set }
  end
  gs[1].set(10)
  t.is(gs[1].get(), 10, 'closures of one iteration share its variable')
  t.is(gs[2].get(), 2, 'the other iteration is unaffected')
  local last
  for i = 1, 4 do last = i end
  t.is(last, 4, 'copy the variable to keep its value after the loop')
  t.is(run('local s = 0 for i = 1, 3 do local i = i * 10 s = s + i end return s'), 60,
       'a body local may shadow the control variable')
  t.is(run('local s = 0 for i = 1, 2 do for i = 10, 11 do s = s + i end end return s'), 42,
       'a nested loop may reuse the name')
end

-- Subtypes: integer loops when the initial value and the step are integers.
with('integer', 9, function()
  t.is(types('1', '3'), 'integer integer integer', '1, 3 is an integer loop')
  t.is(types('1', '3.5'), 'integer integer integer', 'a float limit keeps an integer loop')
  t.is(types('1.0', '3'), 'float float float', 'a float start makes a float loop')
  t.is(types('1', '3', '1.0'), 'float float float', 'a float step makes a float loop')
  t.is(types('3', '1', '-1'), 'integer integer integer', 'a negative integer step')
  t.is(types('0', '1', '0.5'), 'float float float', 'a fractional step')
  t.is(types('1', '2^2'), 'integer integer integer integer', 'a float limit from ^')
  t.is(types('2^0', '2'), 'float float', '2^0 is a float start')
  t.is(types('1//1', '2'), 'integer integer', '// gives an integer start')
end)

-- Non-number control values are errors. (5.4 says "bad 'for' limit
-- (number expected, got table)", older dialects "'for' limit must be a
-- number": the pattern matches both.) A NaN bound is left out: 5.4's two
-- sentences ("continues while the value is <= the limit" and "if the
-- initial value is already greater than the limit ... not executed")
-- disagree for NaN, and 5.4.4 runs a float loop once where 5.3 runs none.
do
  t.error_like(function() for _ = {}, 2 do end end, "'for' initial value",
               'a table initial value')
  t.error_like(function() for _ = 1, {} do end end, "'for' limit", 'a table limit')
  t.error_like(function() for _ = 1, 2, {} do end end, "'for' step", 'a table step')
  t.error_like(function() for _ = nil, 2 do end end, "'for' initial value",
               'a nil initial value')
  t.error_like(function() for _ = 1, nil do end end, "'for' limit", 'a nil limit')
  t.error_like(function() for _ = 1, 2, false do end end, "'for' step", 'a false step')
  t.error_like(function() for _ = 1, 'x' do end end, "'for' limit", 'a non-numeric string limit')
end

-- 5.4: a zero step is an error; integer loops end instead of wrapping.
-- (5.3 and earlier loop forever in these cases: not run there.)
if D.version >= 5.4 then
  t.error_like(function() for _ = 1, 10, 0 do end end, "'for' step is zero", 'a zero step (5.4)')
  t.error_like(function() for _ = 1.0, 10, 0.0 do end end, "'for' step is zero", 'a zero float step (5.4)')
  t.error_like(function() for _ = 1, 0, 0 do end end, "'for' step is zero", 'zero step even if no iteration would run (5.4)')
  t.is_deeply(values('math.maxinteger - 2', 'math.maxinteger'),
              { math.maxinteger - 2, math.maxinteger - 1, math.maxinteger }, 'up to maxinteger: 3 iterations, no wrap')
  t.is_deeply(values('math.mininteger + 2', 'math.mininteger', '-1'),
              { math.mininteger + 2, math.mininteger + 1, math.mininteger }, 'down to mininteger: no wrap')
  t.is_deeply(values('math.maxinteger', 'math.mininteger', 'math.mininteger'),
              { math.maxinteger, -1 }, 'maxinteger to mininteger with step mininteger: 2 iterations')
  t.is_deeply(values('math.mininteger', 'math.maxinteger', 'math.maxinteger'),
              { math.mininteger, -1, math.maxinteger - 1 }, 'mininteger to maxinteger with step maxinteger: 3')
  t.is_deeply(values('1', '10', 'math.maxinteger'), { 1 }, 'a huge step: one iteration')
  t.is_deeply(values('0', 'math.maxinteger', '1 << 62'), { 0, math.tointeger(2^62) }, 'step 2^62 up to maxinteger: 2 iterations')
  t.is_deeply(values('math.maxinteger - 1', '1/0'), { math.maxinteger - 1, math.maxinteger },
              'an inf limit is clipped to maxinteger')
  t.is_deeply(values('math.maxinteger - 1', '2^63'), { math.maxinteger - 1, math.maxinteger },
              'a float limit above maxinteger is clipped')
  t.is_deeply(values('math.mininteger + 1', '-1/0', '-1'), { math.mininteger + 1, math.mininteger },
              'a -inf limit counting down is clipped to mininteger')
  t.is_deeply(values('math.maxinteger', 'math.maxinteger'), { math.maxinteger }, 'maxinteger, maxinteger: one iteration')
  t.is_deeply(values('math.mininteger', 'math.mininteger', '-1'), { math.mininteger }, 'mininteger, mininteger, -1: one')
  t.is_deeply(values('0', '-1/0'), {}, '-inf limit with a positive step: none')
  t.is_deeply(values('0', '1/0', '-1'), {}, 'inf limit with a negative step: none')
  t.is_deeply(values('math.mininteger', '-2^63 - 1e6'), {}, 'a float limit below mininteger: none')
else
  t.skip('5.4 raises on a zero step and never wraps (older dialects loop forever)', 17)
end

-- Syntax.
do
  t.ok(not compiles('for i = 1 do end'), 'a limit is required')
  t.ok(not compiles('for i = 1, 2, 3, 4 do end'), 'at most three expressions')
  t.ok(not compiles('for i, j = 1, 2 do end'), 'one control variable only')
  t.ok(not compiles('for i.x = 1, 2 do end'), 'the control variable is a name')
  t.ok(not compiles('for i = 1, 2 end'), 'do is required')
  t.ok(not compiles('for i = 1, 2 do'), 'end is required')
  t.ok(not compiles('for 1 = 1, 2 do end'), 'a numeral is not a name')
end

-- Long loops.
do
  local sum = 0
  for i = 1, 1000000 do sum = sum + i end
  t.is(sum, 500000500000, 'a million iterations')
  local down = 0
  for i = 1000, 1, -1 do down = down + i end
  t.is(down, 500500, 'a thousand iterations counting down')
  local steps = 0
  for _ = 0, 1, 1 / 1024 do steps = steps + 1 end
  t.is(steps, 1025, 'a float loop with an exact binary step: 1025 iterations')
end

t.done_testing()
