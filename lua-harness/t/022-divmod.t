-- §3.4.1 Floor division (//) and modulo (%): rounding towards minus
-- infinity for integers and floats, signs of the results, division by
-- zero (an error for integers, inf/NaN for floats), and the overflowing
-- case mininteger // -1. 5.1 and 5.2 have no // and define
-- a % b == a - math.floor(a/b)*b (their manuals, §2.5.1 / §3.4.1).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

local inf, nan = math.huge, 0/0
local function isnegzero(x) return x == 0 and 1/x < 0 end

----------------------------------------------------------------------------
t.section '§3.4.1'
-- Modulo in every dialect: the result has the sign of the divisor.
bin('5', '%', '3', 2)
bin('-5', '%', '3', 1)
bin('5', '%', '-3', -1)
bin('-5', '%', '-3', -2)
bin('5.5', '%', '2', 1.5)
bin('-5.5', '%', '2', 0.5)
bin('5.5', '%', '-2', -0.5)
bin('-5.5', '%', '-2', -1.5)
bin('5.25', '%', '0.5', 0.25)
bin('-6.0', '%', '3', 0.0)
bin('5', '%', '0.0', nan, 'float modulo by zero is NaN')
bin('math.huge', '%', '2', nan, 'inf % 2 is NaN')

-- Sign and range of a % b, and a % b == a - floor(a/b)*b, over a grid.
do
  local bad_sign, bad_def = {}, {}
  for a = -9, 9 do
    for _, b in ipairs({-4, -3, -2, -1, 1, 2, 3, 4, -2.5, 2.5, 0.5}) do
      local m = a % b
      if b > 0 and not (m >= 0 and m < b) or b < 0 and not (m <= 0 and m > b) then
        bad_sign[#bad_sign + 1] = a .. ' % ' .. b
      end
      if m ~= a - math.floor(a / b) * b then bad_def[#bad_def + 1] = a .. ' % ' .. b end
    end
  end
  t.is(table.concat(bad_sign, ', '), '', 'a % b has the sign of b and |a % b| < |b|')
  t.is(table.concat(bad_def, ', '), '', 'a % b == a - floor(a/b)*b on small values')
end

-- Modulo by an infinite divisor: 5.3+ define % as the remainder of the
-- floor division (computed with fmod); 5.1/5.2's formula gives NaN.
if D.version >= 5.3 then
  bin('5', '%', 'math.huge', 5.0, '5 % inf (5.3+: 5.0)')
  bin('5.5', '%', '-math.huge', -inf, '5.5 % -inf (5.3+: -inf)')
else
  bin('5', '%', 'math.huge', nan, '5 % inf (5.1/5.2: a - floor(a/b)*b is NaN)')
  bin('5.5', '%', '-math.huge', nan, '5.5 % -inf (5.1/5.2: NaN)')
end

-- Integer % 0: an error in 5.3+ (integers); NaN in 5.1/5.2 (floats).
if D.has.integer then
  binerr('1', '%', '0', '.', 'integer % 0')
  binerr('0', '%', '0', '.', 'integer 0 % 0')
  binerr('math.mininteger', '%', '0', '.', 'mininteger % 0')
  t.ok(compile('return 1 % 0') ~= nil, 'constant 1 % 0 compiles (the error is at run time)')
else
  bin('1', '%', '0', nan, '1 % 0 (5.1/5.2: NaN)')
  bin('0', '%', '0', nan, '0 % 0 (5.1/5.2: NaN)')
end

-- Integer modulo: subtypes and extreme values.
with('integer', 4, function()
  mtype('7 % 2', 'integer')
  mtype('-7 % 2', 'integer')
  mtype('7 % 2.0', 'float')
  mtype('7.0 % 2', 'float')
end)
with('int64', 15, function()
  bin('math.mininteger', '%', '-1', 0)
  bin('math.maxinteger', '%', '-1', 0)
  bin('math.mininteger', '%', 'math.maxinteger', math.maxinteger - 1)
  bin('math.maxinteger', '%', 'math.mininteger', -1)
  bin('-1', '%', 'math.maxinteger', math.maxinteger - 1)
end)

----------------------------------------------------------------------------
-- Floor division (5.3+).
with('floordiv', 66, function()
  bin('7', '//', '2', 3)
  bin('-7', '//', '2', -4)
  bin('7', '//', '-2', -4)
  bin('-7', '//', '-2', 3)
  bin('6', '//', '3', 2)
  bin('-6', '//', '3', -2)
  bin('0', '//', '5', 0)
  bin('1', '//', '2', 0)
  bin('-1', '//', '2', -1)
  bin('7.0', '//', '2', 3.0)
  bin('7', '//', '2.0', 3.0)
  bin('-7.5', '//', '2', -4.0)
  bin('7.5', '//', '-2', -4.0)
  bin('1', '//', '0.0', inf, 'float floor division by zero is inf')
  bin('-1', '//', '0.0', -inf, 'negative float floor division by zero is -inf')
  bin('0.0', '//', '0', nan, '0.0 // 0 is NaN')
  bin('math.huge', '//', '1', inf)
  bin('1', '//', 'math.huge', 0.0)
  bin('2^53', '//', '2', 2^52)
  mtype('7 // 2', 'integer')
  mtype('7.0 // 2', 'float')
  mtype('7 // 2.0', 'float')
  t.ok(isnegzero(value('-0.0 // 1')), '-0.0 // 1 is a negative zero')

  -- Integer // 0 is an error at run time (no integer result exists); the
  -- constant expression still compiles.
  binerr('1', '//', '0', '.', 'integer // 0')
  binerr('0', '//', '0', '.', 'integer 0 // 0')
  binerr('math.mininteger', '//', '0', '.', 'mininteger // 0')
  t.ok(compile('return 1 // 0') ~= nil, 'constant 1 // 0 compiles (the error is at run time)')

  -- a == (a // b) * b + a % b, on integers and floats.
  local bad = {}
  for a = -9, 9 do
    for _, b in ipairs({-4, -3, -2, -1, 1, 2, 3, 4, -2.5, 2.5, 0.5}) do
      local q = value(a .. ' // ' .. b)
      if q * b + a % b ~= a then bad[#bad + 1] = a .. ' // ' .. b end
      if q ~= math.floor(a / b) then bad[#bad + 1] = 'floor ' .. a .. ' / ' .. b end
    end
  end
  t.is(table.concat(bad, ', '), '', 'a == (a // b) * b + a % b and a // b == floor(a / b)')
end)

with('int64', 21, function()
  bin('math.maxinteger', '//', '-1', -math.maxinteger)
  bin('math.mininteger', '//', '-1', math.mininteger, 'mininteger // -1 wraps around')
  bin('math.mininteger', '//', '1', math.mininteger)
  bin('math.maxinteger', '//', 'math.mininteger', -1)
  bin('math.mininteger', '//', 'math.maxinteger', -2)
  bin('math.mininteger', '//', '2', -4611686018427387904)
  bin('math.mininteger', '//', '-1.0', 2^63, 'mininteger // -1.0 is the float 2^63')
end)

-- Strings in floor division follow the same subtype rules as in 020.
with('floordiv', 4, function()
  bin('"7"', '//', '2', D.version == 5.3 and 3.0 or 3, 'string // integer')
  binerr('"x"', '//', '2', '.', 'non-numeric string // 2')
end)

t.done_testing()
