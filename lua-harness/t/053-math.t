-- 053-math.t -- Lua 5.4 manual §6.7 (mathematical functions): abs,
-- ceil/floor (integers in 5.3+), fmod, huge, log with a base (5.2+), max/
-- min, maxinteger/mininteger, modf, pi, random (ranges, seeds,
-- determinism), sqrt, exp and trigonometric identities, tointeger, type,
-- ult (5.3+), and the 5.1/5.2 functions removed later.
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end
local mtype = math.type or function() return nil end
local INT = D.has.integer

-- Infinities and -0.0 computed at run time: Lua 5.1 merges the constants
-- 0 and -0 of a function, which would turn a later 'INF' into -inf.
local INF, ZERO = math.huge, 0
local NEGZERO = -ZERO

local function close_to(a, b, eps) return math.abs(a - b) <= (eps or 1e-12) end

-- ---------------------------------------------------------------------
t.section '§6.7 math.abs'
do
  t.is(math.abs(-5), 5, 'abs of a negative integer')
  t.is(math.abs(5), 5, 'abs of a positive integer')
  t.is(math.abs(-2.5), 2.5, 'abs of a negative float')
  t.ok(math.abs(NEGZERO) == 0 and 1 / math.abs(NEGZERO) == INF, 'abs of -0.0 is +0.0')
  t.is(math.abs(-INF), INF, 'abs of -inf')
  if INT then
    t.is(math.abs(math.mininteger), math.mininteger, 'abs(mininteger) wraps around (5.3+)')
    t.is(mtype(math.abs(-3)), 'integer', 'abs keeps integers integers (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 2)
  end
  t.error_like(function() math.abs('x') end, 'bad argument #1', 'abs of a non-number is an error')
end

t.section '§6.7 math.ceil and math.floor'
do
  t.is(math.floor(3.7), 3, 'floor(3.7)')
  t.is(math.floor(-3.5), -4, 'floor(-3.5)')
  t.is(math.ceil(3.2), 4, 'ceil(3.2)')
  t.is(math.ceil(-3.5), -3, 'ceil(-3.5)')
  t.is(math.floor(5), 5, 'floor of an integer value')
  t.ok(math.ceil(-0.5) == 0, 'ceil(-0.5) is zero')
  t.is(math.floor(INF), INF, 'floor(inf) is inf')
  t.is(math.floor('2.5'), 2, 'a numeric string is converted')
  if INT then
    t.is(mtype(math.floor(3.7)), 'integer', 'floor returns an integer when it fits (5.3+)')
    t.is(mtype(math.ceil(3.2)), 'integer', 'ceil returns an integer when it fits (5.3+)')
    t.is(mtype(math.floor(1e100)), 'float', 'floor returns a float when the result does not fit (5.3+)')
    t.is(mtype(math.ceil(-1e100)), 'float', 'ceil returns a float when the result does not fit (5.3+)')
    t.is(math.floor(math.maxinteger), math.maxinteger, 'floor of maxinteger (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 5)
  end
  t.error_like(function() math.floor('x') end, 'bad argument #1', 'floor of a non-number is an error')
end

t.section '§6.7 math.fmod'
do
  t.is(math.fmod(7, 3), 1, 'fmod(7, 3)')
  t.is(math.fmod(-7, 3), -1, 'the quotient rounds towards zero: fmod(-7, 3) = -1')
  t.is(math.fmod(7, -3), 1, 'fmod(7, -3) = 1')
  t.is(math.fmod(-7, -3), -1, 'fmod(-7, -3) = -1')
  t.is(math.fmod(7.5, 2), 1.5, 'fmod with a float')
  t.is(math.fmod(-7.5, 2), -1.5, 'fmod of a negative float')
  t.ok(math.fmod(5, INF) == 5, 'fmod(x, inf) is x')
  local nan = math.fmod(1.0, 0)
  t.ok(nan ~= nan, 'fmod of a float by zero is NaN')
  if INT then
    t.is(mtype(math.fmod(7, 3)), 'integer', 'fmod of integers is an integer (5.3+)')
    t.is(math.fmod(math.mininteger, -1), 0, 'fmod(mininteger, -1) is 0 (5.3+)')
    t.error_like(function() math.fmod(1, 0) end, 'bad argument #2', 'integer fmod by zero is an error (5.3+)')
    t.is(mtype(math.fmod(7.0, 3)), 'float', 'fmod with a float argument is a float (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 4)
  end
end

t.section '§6.7 math.huge, math.pi, maxinteger, mininteger'
do
  t.is(math.huge, INF, 'huge is the float infinity')
  t.ok(math.huge > 1e308, 'huge is greater than any finite float')
  t.is(-math.huge, -INF, '-huge is minus infinity')
  t.ok(close_to(math.pi, 3.141592653589793), 'pi')
  t.is(string.format('%.15f', math.pi), '3.141592653589793', 'pi to 15 decimals')
  if INT then
    t.is(math.maxinteger, 9223372036854775807, 'maxinteger (64-bit)')
    t.is(math.mininteger, -9223372036854775807 - 1, 'mininteger (64-bit)')
    t.is(math.maxinteger + 1, math.mininteger, 'integer overflow wraps around')
    t.is(math.mininteger - 1, math.maxinteger, 'integer underflow wraps around')
    t.is(mtype(math.huge), 'float', 'huge is a float')
  else
    t.skip('integers are 5.3+', 5)
  end
end

t.section '§6.7 math.log'
do
  t.ok(close_to(math.log(1), 0), 'log(1) is 0')
  t.ok(close_to(math.log(math.exp(2)), 2), 'log is the inverse of exp')
  t.is(math.log(0), -INF, 'log(0) is -inf')
  local nan = math.log(-1)
  t.ok(nan ~= nan, 'log of a negative number is NaN')
  if D.version >= 5.2 or D.luajit then
    t.is(math.log(8, 2), 3.0, 'log(8, 2) is exactly 3')
    t.is(math.log(100, 10), 2.0, 'log(100, 10) is exactly 2')
    t.is(math.log(1000, 10), 3.0, 'log(1000, 10) is exactly 3')
    t.ok(close_to(math.log(27, 3), 3), 'log(27, 3) is 3')
    t.ok(close_to(math.log(math.exp(1), math.exp(1)), 1), 'log(e, e) is 1')
  else
    t.skip('math.log takes a base from 5.2 on', 5)
  end
end

t.section '§6.7 math.max and math.min'
do
  t.is(math.max(1, 5, 3), 5, 'max of integers')
  t.is(math.min(4, 2, 8), 2, 'min of integers')
  t.is(math.max(1, 2.5), 2.5, 'max of mixed values')
  t.is(math.min(-1, -2.5), -2.5, 'min of mixed values')
  t.is(math.max(7), 7, 'max of one value')
  t.is(math.min(-0.5), -0.5, 'min of one value')
  t.is(math.max(-INF, 0), 0, 'max with -inf')
  if INT then
    t.is(mtype(math.max(3, 2.0)), 'integer', 'max returns the argument itself, integer (5.3+)')
    t.is(mtype(math.max(2, 3.0)), 'float', 'max returns the argument itself, float (5.3+)')
    t.is(math.max(math.mininteger, math.maxinteger), math.maxinteger, 'extreme integers (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 3)
  end
  t.error_like(function() math.max() end, 'bad argument #1', 'max() is an error')
  t.error_like(function() math.min() end, 'bad argument #1', 'min() is an error')
  t.error_like(function() math.max(1, 'x') end, '', 'a non-number is an error')
end

t.section '§6.7 math.modf'
do
  local i, f = math.modf(3.75)
  t.ok(i == 3 and f == 0.75, 'modf(3.75) is 3 and 0.75')
  local i2, f2 = math.modf(-3.75)
  t.ok(i2 == -3 and f2 == -0.75, 'modf rounds towards zero: -3 and -0.75')
  local i3, f3 = math.modf(5)
  t.ok(i3 == 5 and f3 == 0, 'modf of an integer value: fraction 0')
  local i4, f4 = math.modf(INF)
  t.ok(i4 == INF and f4 == 0, 'modf(inf) is inf and 0')
  local i5, f5 = math.modf(-INF)
  t.ok(i5 == -INF and f5 == 0, 'modf(-inf) is -inf and 0')
  local nan, fnan = math.modf((ZERO / ZERO))
  t.ok(nan ~= nan and fnan ~= fnan, 'modf(NaN) is NaN and NaN')
  t.is(select('#', math.modf(1.5)), 2, 'modf returns two values')
  if INT then
    t.is(mtype(select(2, math.modf(5))), 'float', 'the fraction is always a float (5.3+)')
    t.is(mtype(select(2, math.modf(2.5))), 'float', 'the fraction of a float is a float (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 2)
  end
end

t.section '§6.7 math.sqrt, exp and trigonometry'
do
  t.is(math.sqrt(16), 4.0, 'sqrt(16)')
  t.is(math.sqrt(2) ^ 2 - 2 < 1e-15, true, 'sqrt(2) squared')
  local nan = math.sqrt(-1)
  t.ok(nan ~= nan, 'sqrt(-1) is NaN')
  t.is(math.sqrt(INF), INF, 'sqrt(inf) is inf')
  t.is(math.exp(0), 1.0, 'exp(0) is 1')
  t.ok(close_to(math.exp(1), 2.718281828459045), 'exp(1) is e')
  t.is(math.sin(0), 0.0, 'sin(0)')
  t.is(math.cos(0), 1.0, 'cos(0)')
  t.is(math.tan(0), 0.0, 'tan(0)')
  t.ok(close_to(math.sin(math.pi / 2), 1), 'sin(pi/2)')
  t.ok(close_to(math.cos(math.pi), -1), 'cos(pi)')
  t.ok(close_to(math.tan(math.pi / 4), 1), 'tan(pi/4)')
  local allok = true
  for x = -3, 3, 0.25 do
    if not close_to(math.sin(x) ^ 2 + math.cos(x) ^ 2, 1, 1e-14) then allok = false end
    if not close_to(math.tan(x), math.sin(x) / math.cos(x), 1e-12) then allok = false end
  end
  t.ok(allok, 'sin^2 + cos^2 = 1 and tan = sin/cos')
  t.ok(close_to(math.asin(1), math.pi / 2), 'asin(1) is pi/2')
  t.ok(close_to(math.acos(1), 0), 'acos(1) is 0')
  t.ok(close_to(math.atan(1), math.pi / 4), 'atan(1) is pi/4')
  t.ok(close_to(math.deg(math.pi), 180), 'deg(pi) is 180')
  t.ok(close_to(math.rad(180), math.pi), 'rad(180) is pi')
  if D.version >= 5.3 then
    t.ok(close_to(math.atan(1, -1), 3 * math.pi / 4), 'atan(y, x) uses the signs of both (5.3+)')
    t.ok(close_to(math.atan(-1, -1), -3 * math.pi / 4), 'atan(-1, -1) is -3pi/4 (5.3+)')
  else
    t.skip('math.atan takes two arguments from 5.3 on', 2)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.7 math.random'
do
  math.randomseed(1234)
  local okf, okr, okn = true, true, true
  local seen = {}
  for _ = 1, 2000 do
    local x = math.random()
    if not (x >= 0 and x < 1) then okf = false end
    local r = math.random(6)
    if r < 1 or r > 6 or r ~= math.floor(r) then okr = false end
    seen[r] = true
    local n = math.random(-3, 3)
    if n < -3 or n > 3 then okn = false end
  end
  t.ok(okf, 'random() is in [0, 1)')
  t.ok(okr, 'random(6) is an integer in [1, 6]')
  t.ok(okn, 'random(-3, 3) is in [-3, 3]')
  t.ok(seen[1] and seen[6], 'both ends of [1, 6] occur in 2000 draws')
  t.is(math.random(5, 5), 5, 'random(m, m) is m')
  t.is(math.random(1), 1, 'random(1) is 1')
  if INT then
    t.is(mtype(math.random(10)), 'integer', 'random(m) is an integer (5.3+)')
    t.is(mtype(math.random()), 'float', 'random() is a float (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 2)
  end
end

t.section '§6.7 math.randomseed: determinism'
do
  local function draw()
    local r = {}
    for i = 1, 10 do r[i] = math.random(1000) end
    r[11] = math.random()
    r[12] = math.random(-50, 50)
    return r
  end
  math.randomseed(42)
  local a = draw()
  math.randomseed(42)
  local b = draw()
  t.is_deeply(a, b, 'the same seed gives the same sequence')
  math.randomseed(43)
  local c = draw()
  t.isnt(table.concat(a, ','), table.concat(c, ','), 'another seed gives another sequence')
  math.randomseed(7)
  local x = {}
  for i = 1, 20 do x[i] = math.random(6) end
  math.randomseed(7)
  local y = {}
  for i = 1, 20 do y[i] = math.random(1, 6) end
  t.is_deeply(x, y, 'random(n) is equivalent to random(1, n)')
end

t.section '§6.7 math.random errors'
if not D.luajit then
  t.error_like(function() math.random(2, 1) end, 'interval is empty', 'random(m, n) with m > n is an error')
  t.error_like(function() math.random(0, -1) end, 'interval is empty', 'random(0, -1) is an error')
  t.error_like(function() math.random(1, 2, 3) end, 'wrong number of arguments', 'three arguments is an error')
else
  t.skip('LuaJIT does not check the interval (unspecified in the 5.1 manual)', 3)
end
if INT then
  t.error_like(function() math.random(1.5) end, 'number has no integer representation', 'random needs integers (5.3+)')
else
  t.skip('integer arguments are 5.3+', 1)
end

t.section '§6.7 math.random and randomseed (5.4)'
if D.version >= 5.4 then
  t.is(mtype(math.random(0)), 'integer', 'random(0) is a random integer')
  local r = math.random(math.mininteger, math.maxinteger)
  t.is(mtype(r), 'integer', 'the whole integer range is allowed')
  t.is_deeply(pack(math.randomseed(42)), { n = 2, 42, 0 }, 'randomseed returns the seed components used')
  local s1, s2 = math.randomseed()
  local first = { math.random(1000), math.random(1000), math.random(0) }
  math.randomseed(s1, s2)
  local again = { math.random(1000), math.random(1000), math.random(0) }
  t.is_deeply(again, first, 'setting the returned components again repeats the sequence')
  math.randomseed(1, 2)
  local p = math.random(0)
  math.randomseed(1, 3)
  t.isnt(math.random(0), p, 'the second seed component matters')
else
  t.skip('5.4 random(0), full range and randomseed results', 5)
end

-- ---------------------------------------------------------------------
t.section '§6.7 math.tointeger, math.type, math.ult (5.3+)'
if INT then
  t.is(math.tointeger(3.0), 3, 'tointeger(3.0) is 3')
  t.is(mtype(math.tointeger(3.0)), 'integer', 'and an integer')
  t.is(math.tointeger(3.5), nil, 'tointeger(3.5) is fail')
  t.is(math.tointeger(2 ^ 63), nil, 'a float out of range is fail')
  t.is(math.tointeger(NEGZERO), 0, 'tointeger(-0.0) is 0')
  t.is(math.tointeger(7), 7, 'an integer is returned as is')
  t.is(math.tointeger({}), nil, 'a table is fail')
  t.is(math.type(1), 'integer', 'type(1)')
  t.is(math.type(1.0), 'float', 'type(1.0)')
  t.is(math.type(2 ^ 53), 'float', 'exponentiation gives a float')
  t.is(math.type('1'), nil, 'a string is not a number for math.type')
  t.is(math.type(nil), nil, 'nil is fail')
  t.error_like(function() math.type() end, 'bad argument #1', 'type() is an error')
  t.is(math.ult(1, 2), true, 'ult(1, 2)')
  t.is(math.ult(1, -1), true, '-1 is the largest unsigned value')
  t.is(math.ult(-1, 1), false, 'ult(-1, 1) is false')
  t.is(math.ult(math.maxinteger, math.mininteger), true, 'maxinteger is below mininteger unsigned')
  t.is(math.ult(5, 5), false, 'ult is strict')
  t.error_like(function() math.ult(1.5, 2) end, 'bad argument #1', 'ult needs integers')
else
  t.skip('tointeger, type and ult are 5.3+', 19)
end

t.section '§6.7 functions of the 5.1 and 5.2 manuals'
if D.version <= 5.2 then
  t.is(math.pow(2, 10), 1024, 'math.pow (5.1, 5.2)')
  t.is(math.ldexp(1, 3), 8, 'math.ldexp (5.1, 5.2)')
  t.is_deeply(pack(math.frexp(8)), { n = 2, 0.5, 4 }, 'math.frexp (5.1, 5.2)')
  t.ok(close_to(math.atan2(1, 1), math.pi / 4), 'math.atan2 (5.1, 5.2)')
  t.ok(close_to(math.cosh(0), 1) and close_to(math.sinh(0), 0) and close_to(math.tanh(0), 0), 'cosh, sinh, tanh (5.1, 5.2)')
else
  t.skip('pow, ldexp, frexp, atan2, cosh... left the manual in 5.3', 5)
end

t.done_testing()
