-- §3.4.1 Arithmetic Operators on floats: IEEE 754 results (the manual says
-- "usually the IEEE 754 standard"; every supported platform is IEEE),
-- infinities, NaN, negative zero, exponentiation through ISO C pow, and
-- the subtype of mixed results.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

local inf, nan = math.huge, 0/0

-- True when 'x' is a zero with the sign bit set.
local function isnegzero(x) return x == 0 and 1/x < 0 end
local function isposzero(x) return x == 0 and 1/x > 0 end

----------------------------------------------------------------------------
t.section '§3.4.1'
bin('0.5', '+', '0.25', 0.75)
bin('1.5', '*', '4', 6.0)
bin('1', '-', '0.75', 0.25)
bin('1', '/', '4', 0.25)
bin('7', '/', '2', 3.5)
bin('1', '/', '3', 1/3, 'one third')
bin('0.1', '+', '0.2', 0.30000000000000004, '0.1 + 0.2 rounds up')
t.ok(0.1 + 0.2 ~= 0.3, '0.1 + 0.2 is not 0.3')
t.is(1/3*3, 1.0, '1/3*3 rounds back to 1')
bin('2^53', '+', '1', 2^53, 'float 2^53 + 1 is absorbed')
bin('2^53', '+', '2', 2^53 + 2.0, 'float 2^53 + 2 is exact')
bin('1e308', '*', '10', inf, 'overflow to +inf')
bin('-1e308', '*', '10', -inf, 'overflow to -inf')
bin('2^-1074', '/', '2', 0.0, 'underflow to zero')
t.ok(2^-1074 > 0, 'smallest subnormal is positive')

-- Division by zero in floats gives infinities and NaN, never an error.
bin('1', '/', '0', inf)
bin('-1', '/', '0', -inf)
bin('1', '/', '(-0.0)', -inf, '1 / -0.0')
bin('0', '/', '0', nan)
bin('1.5', '/', '0.0', inf)

-- Infinities and NaN.
bin('math.huge', '+', '1', inf)
bin('math.huge', '-', 'math.huge', nan)
bin('math.huge', '*', '0', nan)
bin('math.huge', '/', 'math.huge', nan)
bin('-math.huge', '*', '-1', inf)
bin('(0/0)', '+', '1', nan, 'NaN + 1')
bin('(0/0)', '*', '0', nan, 'NaN * 0')
t.ok(inf > 1e308, 'inf above the largest finite float')
t.ok(-inf < -1e308, '-inf below the lowest finite float')
t.ok(nan ~= nan, 'NaN differs from itself')

-- Negative zero: -0.0 == 0.0, but it keeps its sign through arithmetic.
t.ok(isnegzero(value('-0.0')), '-0.0 is a negative zero [constant]')
do
  local z = 0.0
  t.ok(isnegzero(-z), 'unary minus of 0.0 is a negative zero [register]')
  t.ok(isposzero(-(-z)), 'minus minus 0.0 is a positive zero')
  t.ok(isnegzero(z * -1), '0.0 * -1 is a negative zero')
  t.ok(isposzero(-z + z), '-0.0 + 0.0 is a positive zero')
  t.ok(isnegzero(-z - z), '-0.0 - 0.0 is a negative zero')
  t.ok(isnegzero(-z * z), '-0.0 * 0.0 is a negative zero')
  t.ok(-z == z, '-0.0 == 0.0')
  t.ok(not (-z < z), '-0.0 < 0.0 is false')
end
-- Integer zero has no sign (5.3+); in 5.1/5.2 every number is a float.
do
  local zero = 0
  if D.has.integer then
    t.is(1 / -zero, inf, '1 / -0 with integer 0 is +inf (integers have no -0)')
  else
    t.is(1 / -zero, -inf, '1 / -0 is -inf (0 is a float zero)')
  end
end

-- Exponentiation uses ISO C pow (C99 Annex F special cases).
bin('4', '^', '0.5', 2.0)
bin('2', '^', '-2', 0.25)
bin('10', '^', '2', 100.0)
bin('0', '^', '0', 1.0, '0 ^ 0')
bin('(0/0)', '^', '0', 1.0, 'NaN ^ 0')
bin('1', '^', '(0/0)', 1.0, '1 ^ NaN')
bin('0', '^', '-1', inf, '0 ^ -1')
bin('(-0.0)', '^', '-1', -inf, '-0.0 ^ -1')
bin('(-8)', '^', '(1/3)', nan, 'negative base, fractional exponent')
bin('math.huge', '^', '0.5', inf)
bin('(-math.huge)', '^', '2', inf)
bin('2', '^', '1024', inf, '2 ^ 1024 overflows')
bin('2', '^', '-1074', 2^-1074, '2 ^ -1074 is the smallest subnormal')
bin('(-2)', '^', '2', 4.0)
un('-', '1.5', -1.5)
un('-', '(-0.25)', 0.25)
un('-', 'math.huge', -inf)

-- Subtypes: any float operand makes the result a float; / and ^ always do.
with('integer', 12, function()
  mtype('3.0 + 1', 'float')
  mtype('1 + 3.0', 'float')
  mtype('3 * 1.0', 'float')
  mtype('2.5 - 0.5', 'float')
  mtype('6 / 3', 'float')
  mtype('2 ^ 2', 'float')
  mtype('2 ^ 0', 'float')
  mtype('0.0 * 0', 'float')
  mtype('-(0.0)', 'float')
  mtype('2^53 + 1', 'float')
  mtype('math.maxinteger + 0.0', 'float')
  mtype('math.huge - 1', 'float')
end)

-- Integer operands of / and ^ are converted to floats first, so results
-- that overflow integers do not wrap.
with('int64', 4, function()
  t.is(math.maxinteger / 1, 2^63, 'maxinteger / 1 is the float 2^63')
  t.is(math.mininteger / -1, 2^63, 'mininteger / -1 does not wrap')
  t.is(2^63, 9223372036854775808.0, '2 ^ 63 is exact in floats')
  t.ok(2^64 > math.maxinteger, '2 ^ 64 does not wrap')
end)

t.done_testing()
