-- 004-numerals.t -- Lua 5.4 manual §3.1 (numeric constants): decimal and
-- hexadecimal numerals, fractional parts, decimal and binary exponents,
-- integer vs float typing, overflowing decimal integers becoming floats,
-- hexadecimal integers wrapping around, malformed numerals. §3.4.3: a
-- string converts to a number "following the rules of the Lua lexer",
-- checked by comparing tonumber(s) with the numeral s compiled.
-- Hex floats and 64-bit literals live in load() strings.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, compiles = h.with, h.compiles

-- The value of the expression 'src', or a string naming a compile error.
local function value(src)
  local f, e = compile('return ' .. src)
  if not f then return 'compile error: ' .. tostring(e) end
  return f()
end



-- The numeral 'src' has value 'want' and, where subtypes exist, subtype
-- 'mt' ('integer' or 'float').
local function numeral(src, want, mt)
  t.is(value(src), want, src)
  if D.has.integer then
    t.is(math.type(value(src)), mt, src .. ' is ' .. (mt == 'integer' and 'an ' or 'a ') .. mt)
  else
    t.skip('no integer subtype in ' .. _VERSION, 1)
  end
end

----------------------------------------------------------------------------
t.section '§3.1'
-- The manual's valid integer and float constants, plus more. Values are
-- given as expressions that are exact in every dialect.
do
  numeral('3', 3, 'integer')
  numeral('345', 345, 'integer')
  numeral('0xff', 255, 'integer')
  numeral('0xBEBADA', 12499674, 'integer')
  numeral('0', 0, 'integer')
  numeral('007', 7, 'integer')               -- a leading zero is not octal
  numeral('010', 10, 'integer')
  numeral('0XA', 10, 'integer')
  numeral('0x0', 0, 'integer')
  numeral('0xabcdef', 11259375, 'integer')
  numeral('0XABCDEF', 11259375, 'integer')
  numeral('0x00000000000000000010', 16, 'integer')
  numeral('123456789012', 123456789012, 'integer')
  numeral('3.0', 3.0, 'float')
  numeral('3.1416', 31416 / 10000, 'float')
  numeral('314.16e-2', 3.1416, 'float')
  numeral('0.31416E1', 3.1416, 'float')
  numeral('34e1', 340.0, 'float')
  numeral('.5', 0.5, 'float')
  numeral('5.', 5.0, 'float')
  numeral('5.e2', 500.0, 'float')
  numeral('.5e1', 5.0, 'float')
  numeral('1E+2', 100.0, 'float')
  numeral('1e-2', 1 / 100, 'float')
  numeral('1e0', 1.0, 'float')
  numeral('0e0', 0.0, 'float')
  numeral('0.0', 0.0, 'float')
  numeral('1e010', 1e10, 'float')            -- exponent digits are decimal
  numeral('2.5E-3', 0.0025, 'float')
  numeral('00.5', 0.5, 'float')
end

-- Hexadecimal floats with a binary exponent (5.2+ manual; LuaJIT). 5.1's
-- manual has none (its strtod happens to read some): not tested there.
local hexfloat = D.version >= 5.2 or D.luajit
local function with_hexfloat(n, fn)
  if hexfloat then fn() else t.skip('hex float numerals are 5.2+ (not in ' .. _VERSION .. ')', n) end
end
with_hexfloat(28, function()
  numeral('0x0.1E', 0.1171875, 'float')
  numeral('0xA23p-4', 162.1875, 'float')
  numeral('0X1.921FB54442D18P+1', math.pi, 'float')
  numeral('0x1p4', 16.0, 'float')
  numeral('0x1P4', 16.0, 'float')
  numeral('0x1p+4', 16.0, 'float')
  numeral('0x1p-4', 0.0625, 'float')
  numeral('0x.8', 0.5, 'float')
  numeral('0x8.', 8.0, 'float')
  numeral('0x1p10', 1024.0, 'float')         -- the exponent is decimal
  numeral('0xA.8p1', 21.0, 'float')
  numeral('0x.1p4', 1.0, 'float')
  numeral('0x1.8', 1.5, 'float')
  numeral('0x0p0', 0.0, 'float')
end)

-- A minus sign is an operator, not part of the numeral.
do
  t.is(value('-1'), -1, 'unary minus applied to 1')
  t.is(value('- 1'), -1, 'space between minus and numeral')
  t.is(value('- - 1'), 1, 'two unary minus operators')
  t.is(value('2-1'), 1, '2-1 is a subtraction')
  t.is(value('2 -1'), 1, '2 -1 is a subtraction')
  t.is(value('1e2-1'), 99.0, '1e2-1: the exponent ends before the minus')
  t.is(value('1e-2-1'), 1 / 100 - 1, '1e-2-1: signed exponent then subtraction')
  if D.has.integer then
    t.is(math.type(value('-1')), 'integer', '-1 is an integer')
    t.is(math.type(value('-1.0')), 'float', '-1.0 is a float')
  else
    t.skip('needs integer (not in ' .. _VERSION .. ')', 2)
  end
  t.is(value('0x10+1'), 17, '0x10+1')
  t.is(value('0xe+1'), 15, '0xe+1: e is a hex digit, not an exponent')
  t.is(value('0xE-1'), 13, '0xE-1: E is a hex digit')
end

-- Integer typing at the edges of 64-bit integers.
with('int64', 22, function()
  numeral('9223372036854775807', math.maxinteger, 'integer')
  numeral('9223372036854775808', 2^63, 'float')           -- decimal overflow: float
  numeral('18446744073709551615', 2^64, 'float')
  numeral('100000000000000000000', 1e20, 'float')
  numeral('0x7fffffffffffffff', math.maxinteger, 'integer')
  numeral('0x8000000000000000', math.mininteger, 'integer') -- hex wraps around
  numeral('0xffffffffffffffff', -1, 'integer')
  numeral('0x10000000000000000', 0, 'integer')
  numeral('0x1ffffffffffffffff', -1, 'integer')
  numeral('0x123456789abcdef0123', value('0x456789abcdef0123'), 'integer')
  t.is(value('-9223372036854775808'), -2^63, '-9223372036854775808 is minus a float')
  t.is(math.type(value('-9223372036854775808')), 'float', '-9223372036854775808 is a float')
end)

-- Malformed numerals are compile errors.
do
  local bad = { '3..2', '0x', '0X', '1e', '1e+', '1E-', '1.2.3', '3x', '0xg', '0x1p',
                '1.5p2', '0b101', '1_000', '0x1.p', '1ee2', '0xx1', '08a', '.', '1e2.5' }
  for _, s in ipairs(bad) do
    t.ok(not compiles('return ' .. s), 'malformed numeral ' .. s)
  end
  t.ok(not compiles('return 1 .5'), 'a space splits 1 .5 (a syntax error)')
  t.ok(not compiles('return 1e 2'), 'a space inside an exponent')
  t.ok(not compiles('return 0 x10'), 'a space inside 0x10')
  t.ok(not compiles('return .e1'), '.e1 is not a numeral')
  t.ok(not compiles('return 1 2'), 'two numerals in a row')
end

-- IEEE double precision floats (§2.1: "Standard Lua uses ... double").
do
  t.is(value('9007199254740993.0'), value('9007199254740992.0'), '2^53+1 rounds to a double')
  t.ok(value('0.1') + value('0.2') ~= value('0.3'), '0.1 + 0.2 is not 0.3 in binary floating point')
  t.is(value('1e308') * 10, math.huge, '1e308 * 10 overflows to inf')
  t.ok(value('1e308') < math.huge, '1e308 is finite')
  t.is(value('4.9406564584124654e-324') > 0, true, 'the smallest subnormal is positive')
end

----------------------------------------------------------------------------
-- §3.4.3: "A string is converted to an integer or a float following its
-- syntax and the rules of the Lua lexer": tonumber(s) is the numeral s.
t.section '§3.4.3'
do
  local same = { '3', '345', '0xff', '0XA', '007', '3.0', '.5', '5.', '1E+2', '1e-2',
                 '34e1', '0.31416E1', '314.16e-2', '123456789012', '0' }
  for _, s in ipairs(same) do
    t.is(tonumber(s), value(s), 'tonumber("' .. s .. '") equals the numeral')
  end
  for _, s in ipairs({ '3..2', '0x', '1e', '1e+', '3x', '0xg', '1.2.3', '0b101', '1_000' }) do
    t.is(tonumber(s), nil, 'tonumber("' .. s .. '") fails like the lexer')
  end
end
with_hexfloat(5, function()
  for _, s in ipairs({ '0x0.1E', '0xA23p-4', '0x1p4', '0x.8', '0X1.921FB54442D18P+1' }) do
    t.is(tonumber(s), value(s), 'tonumber("' .. s .. '") equals the hex float numeral')
  end
end)
with('int64', 6, function()
  for _, s in ipairs({ '9223372036854775807', '9223372036854775808', '0xffffffffffffffff',
                       '0x10000000000000000', '18446744073709551615', '0x7fffffffffffffff' }) do
    local n = tonumber(s)
    t.ok(n == value(s) and math.type(n) == math.type(value(s)),
         'tonumber("' .. s .. '") has the numeral\'s value and subtype')
  end
end)

t.done_testing()
