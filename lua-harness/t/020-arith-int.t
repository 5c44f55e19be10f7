-- §3.4.1 Arithmetic Operators: + - * / % ^ and unary minus on integer
-- operands, result subtypes, wrap-around on integer overflow.
-- §3.1 integer numerals (decimal overflow gives a float, hex wraps).
-- §3.4.3 strings coerced to numbers in arithmetic.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

----------------------------------------------------------------------------
t.section '§3.4.1'
-- Values that are exact in every dialect (5.1 has only floats).
bin('2', '+', '3', 5)
bin('7', '-', '10', -3)
bin('6', '*', '7', 42)
bin('-6', '*', '-7', 42)
bin('0', '-', '5', -5)
bin('123456789', '*', '1000', 123456789000)
un('-', '5', -5)
un('-', '(-5)', 5)
un('-', '0', 0)
bin('7', '%', '3', 1)
bin('-7', '%', '3', 2)
bin('7', '%', '-3', -2)
bin('-7', '%', '-3', -1)
bin('6', '%', '3', 0)
bin('-6', '%', '3', 0)
bin('0', '%', '5', 0)
bin('7', '/', '2', 3.5)
bin('4', '/', '2', 2.0)
bin('-9', '/', '3', -3.0)
bin('2', '^', '10', 1024.0)
bin('2', '^', '-1', 0.5)
bin('(-2)', '^', '3', -8.0)
bin('9', '^', '0.5', 3.0)
bin('10', '^', '0', 1.0)

-- Result subtypes (§3.4.1): integer op integer is an integer, except / and ^.
with('integer', 16, function()
  mtype('1 + 2', 'integer')
  mtype('5 - 7', 'integer')
  mtype('6 * 7', 'integer')
  mtype('7 % 2', 'integer')
  mtype('-(3)', 'integer')
  mtype('4 / 2', 'float')
  mtype('2 ^ 2', 'float')
  mtype('1 + 2.0', 'float')
  mtype('2.0 * 3', 'float')
  mtype('7 % 2.0', 'float')
  mtype('10 - 0.0', 'float')
  mtype('-(3.0)', 'float')
  mtype('0 * 1.5', 'float')
  mtype('1e2', 'float')
  mtype('100', 'integer')
  mtype('0x10', 'integer')
end)

-- Integer overflow wraps around (two's complement, 64 bits).
with('int64', 38, function()
  bin('math.maxinteger', '+', '1', math.mininteger)
  bin('math.mininteger', '-', '1', math.maxinteger)
  bin('math.maxinteger', '*', '2', -2)
  bin('math.maxinteger', '*', 'math.maxinteger', 1)
  bin('math.mininteger', '*', '-1', math.mininteger)
  bin('math.mininteger', '+', 'math.mininteger', 0)
  bin('0x7fffffffffffffff', '+', '1', math.mininteger)
  bin('0x4000000000000000', '*', '2', math.mininteger)
  bin('0x4000000000000000', '*', '4', 0)
  bin('3037000500', '*', '3037000500', -9223372036709301616)
  bin('9007199254740992', '+', '1', 9007199254740993,
      '2^53 + 1 is exact in integers')
  bin('math.maxinteger', '-', 'math.maxinteger', 0)
  un('-', 'math.mininteger', math.mininteger)
end)

-- §3.1: a decimal integer numeral that overflows denotes a float; a
-- hexadecimal one wraps around.
t.section '§3.1'
with('int64', 7, function()
  t.is(math.type(value('9223372036854775807')), 'integer', 'maxinteger numeral is an integer')
  t.is(value('9223372036854775807'), math.maxinteger, 'maxinteger numeral value')
  t.is(math.type(value('9223372036854775808')), 'float', 'overflowing decimal numeral is a float')
  t.is(value('9223372036854775808'), 2^63, 'overflowing decimal numeral value')
  t.is(value('0xffffffffffffffff'), -1, 'hex numeral wraps to -1')
  t.is(value('0x10000000000000001'), 1, 'hex numeral beyond 64 bits wraps')
  t.is(value('-9223372036854775808'), -2^63, '-9223372036854775808 is minus a float')
end)

----------------------------------------------------------------------------
-- §3.4.3: strings in arithmetic are converted following the lexer's rules.
t.section '§3.4.3'
-- 5.3 computes these in floats (see below); 'si' gives the expected subtype.
local si = D.version == 5.3 and 0.0 or 0
bin('"10"', '+', '1', 11 + si, 'string + integer')
bin('"3"', '*', '"4"', 12 + si, 'string * string')
bin('"0x10"', '+', '0', 16 + si, 'hex string + 0')
bin('" 5 "', '+', '1', 6 + si, 'string with spaces + 1')
bin('"-2"', '*', '3', -6 + si, 'signed string * 3')
bin('"1e1"', '+', '0', 10.0, 'exponent string + 0')
bin('10', '-', '"2.5"', 7.5, 'integer - float string')
un('-', '"2"', -2 + si, 'unary minus on a string')
-- The message for a string that is not a numeral differs (5.4 raises it
-- from the string library's metamethod): only the error is checked.
binerr('"abc"', '+', '1', '.', 'non-numeric string + 1')
binerr('""', '+', '1', '.', 'empty string + 1')
binerr('"1 2"', '+', '0', '.', 'two numerals in a string + 0')
binerr('"0x"', '+', '0', '.', 'bare 0x string + 0')
-- 5.3+ convert strings by the lexer's rules, which have no 'inf'; 5.1's
-- manual only says "the usual conversion rules" (its strtod accepts it).
if D.version >= 5.3 then
  binerr('"inf"', '*', '1', '.', 'string inf * 1')
else
  t.skip('5.1/5.2 manuals do not tie string conversion to the lexer', 1)
end
binerr('{}', '+', '1', 'arithmetic', 'table + 1')
binerr('nil', '*', '2', 'arithmetic', 'nil * 2')
binerr('2', '-', 'true', 'arithmetic', '2 - true')
binerr('"5"', '%', '{}', '.', 'string % table')

-- The subtype of a string operand's result differs by dialect: 5.3's
-- §3.4.1 converts both operands to floats unless both ARE integers; 5.4's
-- §3.4.3 converts the string to an integer or a float by its syntax.
with('integer', 4, function()
  if D.version >= 5.4 then
    t.is(math.type(value('"10" + 1')), 'integer', 'integer string + 1 subtype (5.4: integer)')
    t.is(math.type(value('"10" * "2"')), 'integer', 'integer strings product subtype (5.4: integer)')
    t.is(type(getmetatable('').__add), 'function', 'string metatable has __add (5.4)')
    t.is(type(getmetatable('').__unm), 'function', 'string metatable has __unm (5.4)')
  else
    t.is(math.type(value('"10" + 1')), 'float', 'integer string + 1 subtype (5.3: float)')
    t.is(math.type(value('"10" * "2"')), 'float', 'integer strings product subtype (5.3: float)')
    t.is(getmetatable('').__add, nil, 'string metatable has no __add (5.3)')
    t.is(getmetatable('').__unm, nil, 'string metatable has no __unm (5.3)')
  end
end)
with('integer', 2, function()
  t.is(math.type(value('"10.0" + 1')), 'float', 'float string + 1 is a float')
  t.is(math.type(value('"1e1" * 1')), 'float', 'exponent string * 1 is a float')
end)

-- Equal-looking numbers and strings are still different values (§3.4.4).
t.ok(("10" + 0) == 10, 'coerced string equals the number')
t.ok("10" ~= 10, 'the string itself is not equal to the number')

t.done_testing()
