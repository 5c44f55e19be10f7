-- §3.4.3 Coercions and Conversions: integer -> float (exact or a
-- neighbour), float -> integer (exact or an error), string -> number by
-- the lexer's rules, and the places that convert (bitwise operators,
-- library integer arguments). §2.1 float keys with integral values are
-- normalised to integers; nil and NaN are not keys.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

local inf, nan = math.huge, 0/0

-- 'src' converted to an integer by a bitwise operator (5.3+).
local function toint(src, want)
  local v = value('(' .. src .. ') | 0')
  t.is(v, want, src .. ' converts to integer')
end
local function notint(src)
  t.error_like(assert(compile('return (' .. src .. ') | 0')), 'integer representation',
               src .. ' has no integer representation')
end

----------------------------------------------------------------------------
t.section '§3.4.3'
-- Integer to float: exact when representable, else a neighbouring float.
with('int64', 9, function()
  local v = math.maxinteger + 0.0
  t.ok(v == 2^63 or v == 2^63 - 1024, 'maxinteger to float is 2^63 or 2^63-1024')
  v = value('9007199254740993') + 0.0
  t.ok(v == 2^53 or v == 2^53 + 2, '2^53+1 to float is 2^53 or 2^53+2')
  t.is(math.mininteger + 0.0, -2^63, 'mininteger converts exactly')
  t.is(value('9007199254740992') + 0.0, 2^53, '2^53 converts exactly')
  t.is(value('4611686018427387904') * 1.0, 2^62, '2^62 converts exactly')
  t.is(math.type(math.maxinteger + 0.0), 'float', 'converted value is a float')
  t.is(7 + 0.0, 7.0, 'small integer converts exactly')
  t.is(-7 * 1.0, -7.0, 'negative integer converts exactly')
  t.is(3 / 1, 3.0, '/ converts its integer operands')
end)

-- Float to integer: only floats with an exact integer value convert.
with('bitops', 23, function()
  toint('3.0', 3)
  toint('-1.0', -1)
  toint('-0.0', 0)
  toint('2^53', 9007199254740992)
  toint('2^62', 4611686018427387904)
  toint('-2^63', math.mininteger)
  toint('2^63 - 1024', 9223372036854774784)
  toint('1e15', 1000000000000000)
  t.is(math.type(value('3.0 | 0')), 'integer', 'result of a conversion is an integer')
  notint('1.5')
  notint('-0.5')
  notint('0.1')
  notint('2^63')
  notint('-2^63 - 2048')
  notint('1e100')
  notint('math.huge')
  notint('-math.huge')
  notint('0/0')
  -- Strings in bitwise operations: 5.3 converts them; 5.4 does not
  -- ("bitwise operators do not do this coercion", §3.4.3).
  if D.version >= 5.4 then
    t.error_like(assert(compile('return "3" | 0')), 'bitwise', 'string operand of | (5.4: error)')
    t.error_like(assert(compile('return 1 & "3.0"')), 'bitwise', 'string operand of & (5.4: error)')
    t.error_like(assert(compile('return ~"0"')), 'bitwise', 'string operand of ~ (5.4: error)')
    t.error_like(assert(compile('return "0x10" >> 1')), 'bitwise', 'string operand of >> (5.4: error)')
    t.error_like(assert(compile('return "1.5" | 0')), 'bitwise', 'non-integral string operand (5.4: error)')
  else
    t.is(value('"3" | 0'), 3, 'string operand of | (5.3: converted)')
    t.is(value('1 & "3.0"'), 1, 'string operand of & (5.3: converted)')
    t.is(value('~"0"'), -1, 'string operand of ~ (5.3: converted)')
    t.is(value('"0x10" >> 1'), 8, 'string operand of >> (5.3: converted)')
    t.error_like(assert(compile('return "1.5" | 0')), 'integer representation',
                 'non-integral string operand (5.3: no integer representation)')
  end
end)

-- math.tointeger applies the same rule (5.3+).
with('math_tointeger', 8, function()
  t.is(math.tointeger(3.0), 3, 'math.tointeger(3.0)')
  t.is(math.tointeger(-0.0), 0, 'math.tointeger(-0.0)')
  t.is(math.tointeger(7), 7, 'math.tointeger(7)')
  t.is(math.tointeger(-2^63), math.mininteger, 'math.tointeger(-2^63)')
  t.is(math.tointeger(3.5), nil, 'math.tointeger(3.5) fails')
  t.is(math.tointeger(2^63), nil, 'math.tointeger(2^63) fails')
  t.is(math.tointeger(inf), nil, 'math.tointeger(inf) fails')
  t.is(math.tointeger(nan), nil, 'math.tointeger(NaN) fails')
end)

-- The library converts its integer arguments the same way (5.3+).
with('integer', 7, function()
  t.is(string.rep('ab', 2.0), 'abab', 'string.rep with count 2.0')
  t.is(('abc'):sub(2.0), 'bc', 'string.sub with start 2.0')
  t.is(string.char(65.0, 66), 'AB', 'string.char with 65.0')
  t.is(select(2.0, 'a', 'b'), 'b', 'select with index 2.0')
  t.is(table.concat({1, 2, 3}, ',', 2.0), '2,3', 'table.concat with start 2.0')
  t.error_like(function() return ('abc'):sub(1.5) end, 'integer representation',
               'string.sub with start 1.5')
  t.error_like(function() return string.rep('x', 0.5) end, 'integer representation',
               'string.rep with count 0.5')
end)
t.is(('x'):rep('3'), 'xxx', 'string.rep with count "3"')

-- String to number, in arithmetic: the lexer's numerals plus spaces and a sign.
local si = D.version == 5.3 and 0.0 or 0       -- see 020: 5.3 yields floats
t.is(' -0x10 ' + 0, -16 + si, 'signed hex string with spaces')
t.is('.5' + 0, 0.5, 'string .5')
t.is('5.' + 0, 5.0, 'string 5.')
t.is('1E2' + 0, 100.0, 'string 1E2')
t.is('0x.8' + 0, 0.5, 'hex fraction string')
t.is('\t\n12\n' + 0, 12 + si, 'string with tabs and newlines around')
if D.version >= 5.2 then
  t.is('0x1p4' + 0, 16.0, 'hex float string (5.2+)')
else
  t.skip('hex float numerals are 5.2+', 1)
end
for _, s in ipairs({'1e', '0x1g', '1..2', '- 1', '1 1', '0x', '.', 'e1', '1e+'}) do
  t.error_like(function() return s + 0 end, '.', 'string "' .. s .. '" is not a numeral')
end
with('int64', 4, function()
  t.is(math.type('9223372036854775807' + 0), D.version == 5.3 and 'float' or 'integer',
       'string maxinteger subtype')
  t.is('9223372036854775808' + 0, 2^63, 'overflowing decimal string is a float')
  t.is('0xffffffffffffffff' + 0, -1 + si, 'hex string wraps around')
  t.is(math.type('10.0' + 0), 'float', 'string 10.0 stays a float')
end)

----------------------------------------------------------------------------
-- §2.1: float keys with integral values are converted to integers.
t.section '§2.1'
do
  local tb = {}
  tb[1.0] = 'a'; tb[2] = 'b'; tb[-0.0] = 'z'
  t.is(tb[1], 'a', 't[1.0] and t[1] are the same key')
  t.is(tb[2.0], 'b', 't[2] and t[2.0] are the same key')
  t.is(tb[0], 'z', 't[-0.0] and t[0] are the same key')
  t.is(#tb, 2, 'keys 1.0 and 2 make a sequence')
  t.is(rawget(tb, 1.0), 'a', 'rawget with 1.0')
  local n = 0
  for _ in pairs(tb) do n = n + 1 end
  t.is(n, 3, 'three distinct keys')
end
with('integer', 6, function()
  t.is(math.type((next({[2.0] = true}))), 'integer', 'key 2.0 is stored as integer 2')
  t.is(math.type((next({[-0.0] = true}))), 'integer', 'key -0.0 is stored as integer 0')
  t.is(math.type((next({[2^53] = true}))), 'integer', 'key 2^53 is stored as an integer')
  t.is(math.type((next({[1.5] = true}))), 'float', 'key 1.5 stays a float')
  t.is(math.type((next({[2^63] = true}))), 'float', 'key 2^63 stays a float')
  local tb = {}
  tb[3.0] = 'x'
  t.is(rawget(tb, 3), 'x', 'rawget with 3 finds the key set as 3.0')
end)
-- nil and NaN are not keys: reading gives nil, writing is an error.
do
  local tb = {}
  t.is(tb[nil], nil, 'reading t[nil] gives nil')
  t.error_like(function() tb[nil] = 1 end, 'nil', 'writing t[nil] raises')
  t.error_like(function() rawset(tb, nil, 1) end, 'nil', 'rawset with key nil raises')
  if D.version >= 5.2 then
    t.is(tb[nan], nil, 'reading t[NaN] gives nil')
    t.error_like(function() tb[nan] = 1 end, 'NaN', 'writing t[NaN] raises')
    t.error_like(function() rawset(tb, nan, 1) end, 'NaN', 'rawset with key NaN raises')
  else
    t.skip('NaN keys are excluded by the 5.2+ manuals', 3)
  end
end

t.done_testing()
