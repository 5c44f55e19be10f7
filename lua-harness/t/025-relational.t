-- §3.4.4 Relational Operators: == ~= < > <= >=. Equality first compares
-- types; numbers compare by mathematical value (exactly, even between
-- integers and floats beyond 2^53); NaN is unordered; strings compare by
-- the current locale (the harness runs in the "C" locale, where that is
-- byte order); ordering values of other types raises an error.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

local inf, nan = math.huge, 0/0

----------------------------------------------------------------------------
t.section '§3.4.4'
bin('1', '==', '1.0', true)
bin('1', '~=', '1.0', false)
bin('1', '<', '2', true)
bin('2', '<=', '2', true)
bin('3', '>', '2.5', true)
bin('-1', '>=', '0', false)
bin('1', '==', '1.5', false)
bin('3', '<', '3.5', true)
bin('-3', '>', '-3.5', true)
bin('-0.0', '==', '0.0', true)
bin('-0.0', '<', '0.0', false)
bin('-0.0', '<=', '0.0', true)
bin('-math.huge', '<', 'math.huge', true)
bin('math.huge', '==', 'math.huge', true)
bin('math.huge', '>', '1e308', true)

-- NaN: every order comparison is false; NaN equals nothing, not even NaN.
bin('(0/0)', '==', '(0/0)', false, 'NaN == NaN')
bin('(0/0)', '~=', '(0/0)', true, 'NaN ~= NaN')
bin('(0/0)', '<', '1', false, 'NaN < 1')
bin('(0/0)', '>', '1', false, 'NaN > 1')
bin('(0/0)', '<=', '(0/0)', false, 'NaN <= NaN')
bin('1', '>=', '(0/0)', false, '1 >= NaN')
bin('math.huge', '<', '(0/0)', false, 'inf < NaN')
t.ok(not (nan < 1) and not (nan >= 1), 'not (NaN < 1) is not the same as NaN >= 1')

-- Values of different types are never equal, and == never raises.
bin('"1"', '==', '1', false, 'string "1" == 1')
bin('1', '==', '"1"', false, '1 == string "1"')
bin('1', '~=', '"1"', true, '1 ~= string "1"')
bin('nil', '==', 'false', false)
bin('0', '==', 'false', false)
bin('""', '==', 'false', false)
bin('{}', '==', '1', false, 'table == number does not raise')
bin('{}', '==', '{}', false, 'two constructors make different tables')
do
  local tb, f = {}, function() end
  t.ok(tb == tb, 'a table equals itself')
  t.ok(f == f, 'a function equals itself')
  t.ok(print == print, 'a C function equals itself')
  t.ok(tb ~= {}, 'table differs from another table')
  t.is(type(1 < 2), 'boolean', 'a comparison yields a boolean')
  t.is(1 == 1, true, 'true comparison is the value true')
  t.is(2 < 1, false, 'false comparison is the value false')
end

-- Strings: byte order in the C locale; embedded zeros count.
bin('"a"', '<', '"b"', true)
bin('"a"', '<', '"ab"', true, 'a prefix is smaller')
bin('""', '<', '"a"', true, 'empty string is smallest')
bin('"Z"', '<', '"a"', true, 'upper case before lower case')
bin('"10"', '<', '"9"', true, 'numeric strings compare as strings')
bin('"a\\0b"', '<', '"a\\0c"', true, 'compare past an embedded zero')
bin('"a"', '<', '"a\\0"', true, 'a string is smaller than itself plus a zero')
bin('"\\255"', '>', '"a"', true, 'bytes compare unsigned')
bin('"abc"', '<=', '"abc"', true)
bin('"b"', '>=', '"a"', true)
bin('"abc"', '==', '"abc"', true)
bin('"abc"', '~=', '"abd"', true)
do
  local long1 = string.rep('x', 100) .. 'y'
  local long2 = string.rep('x', 100) .. 'y'
  local long3 = string.rep('x', 100) .. 'z'
  t.ok(long1 == long2, 'long strings built apart are equal by value')
  t.ok(long1 < long3, 'long strings order by their last byte')
  t.ok(not (long3 <= long1), 'long string not <= a smaller one')
end

-- Ordering different types, or non-numbers/non-strings, raises an error.
binerr('1', '<', '"2"', 'compare', 'number < string')
binerr('"2"', '<', '1', 'compare', 'string < number')
binerr('"2"', '>=', '1', 'compare', 'string >= number')
binerr('{}', '<', '{}', 'compare', 'table < table')
binerr('nil', '<', '1', 'compare', 'nil < number')
binerr('true', '<', 'false', 'compare', 'boolean < boolean')
binerr('{}', '<=', '1', 'compare', 'table <= number')
binerr('print', '>', 'print', 'compare', 'function > function')

----------------------------------------------------------------------------
-- Integers and floats compare by their mathematical values (5.3+), even
-- where a conversion to float would round.
with('int64', 60, function()
  bin('math.maxinteger', '<', '2^63', true)
  bin('math.maxinteger', '==', '2^63', false)
  bin('math.maxinteger', '>=', '2^63', false)
  bin('2^63', '>', 'math.maxinteger', true)
  bin('math.mininteger', '==', '-2^63', true)
  bin('math.mininteger', '<', '-2^63', false)
  bin('-2^63 - 2048', '<', 'math.mininteger', true)
  bin('9007199254740993', '>', '2^53', true)
  bin('9007199254740993', '==', '2^53', false)
  bin('9007199254740993', '<', '2^53 + 2', true)
  bin('9007199254740992', '==', '2^53', true)
  bin('math.maxinteger - 1', '>', '2^63 - 1024', true)
  bin('math.maxinteger', '<', 'math.huge', true)
  bin('math.mininteger', '>', '-math.huge', true)
  bin('math.maxinteger', '==', '(0/0)', false, 'maxinteger == NaN')
  bin('1', '<', '(0/0)', false, 'integer < NaN')
  bin('2^63', '==', 'math.mininteger', false)
  bin('9007199254740993', '<=', '9007199254740992.0', false)
  bin('-9007199254740993', '<', '-2^53', true)
  bin('3', '==', '3.0', true)
end)

t.done_testing()
