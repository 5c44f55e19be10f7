-- 006-coercion-tonumber.t -- Lua 5.4 manual §3.4.3 (coercions and
-- conversions) as seen through §6.1 tonumber: every digit of every base
-- from 2 to 36, white space and signs around numerals, embedded zeros,
-- names that are not numerals (inf, nan); and the coercions done where the
-- libraries expect a number (a numeric string) or a string (a number),
-- which go through lua_tonumber / lua_tolstring (§4.6).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect

-- The value of the expression 'src', or a string naming a compile error.
local function value(src)
  local f, e = compile('return ' .. src)
  if not f then return 'compile error: ' .. tostring(e) end
  return f()
end

local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'

----------------------------------------------------------------------------
t.section '§6.1 tonumber'
-- In base b the digits are 0-9 then A-Z (either case) for 10..35; a
-- digit >= b makes the string not a numeral.
for b = 2, 36 do
  local ok, why = true, ''
  for d = 0, 35 do
    local lo = DIGITS:sub(d + 1, d + 1)
    local up = lo:upper()
    local want = d < b and d or nil
    if tonumber(lo, b) ~= want then ok, why = false, why .. ' ' .. lo end
    if tonumber(up, b) ~= want then ok, why = false, why .. ' ' .. up end
  end
  -- '10' is the base itself; the largest two-digit numeral is b^2 - 1.
  local top = DIGITS:sub(b, b)
  if tonumber('10', b) ~= b then ok, why = false, why .. ' 10' end
  if tonumber(top .. top, b) ~= b * b - 1 then ok, why = false, why .. ' ' .. top .. top end
  if tonumber('100', b) ~= b * b then ok, why = false, why .. ' 100' end
  t.ok(ok, 'base ' .. b .. ': digits below the base accepted, others rejected' .. why)
end

do
  t.is(tonumber('1e1', 16), 481, 'in base 16 e is a digit, not an exponent')
  t.is(tonumber('7fffffff', 16), 2147483647, 'eight hex digits')
  t.is(tonumber('11111111', 2), 255, 'eight binary digits')
  t.is(tonumber('zz', 36), 1295, 'zz in base 36')
  t.is(tonumber('ZZ', 36), 1295, 'ZZ in base 36')
  t.is(tonumber('Lua', 36), 21 * 1296 + 30 * 36 + 10, 'Lua in base 36')
  t.is(tonumber('', 16), nil, 'empty string with a base')
  t.is(tonumber('  ', 16), nil, 'spaces only with a base')
  t.is(tonumber('1 1', 2), nil, 'inner space with a base')
  if D.version >= 5.2 then
    t.is(tonumber('1.', 10), nil, 'a dot with an explicit base 10 (5.2+)')
  else
    t.skip('5.1 treats an explicit base 10 as the default conversion', 1)
  end
  t.is(tonumber('g', 16), nil, 'g is not a hex digit')
  t.is(tonumber('z', 35), nil, 'z is not a digit in base 35')
  t.is(tonumber('10', 36.0), 36, 'a float base with an integral value')
  t.is(tonumber('10', '8'), 8, 'a numeric string base')
  t.error_like(function() return tonumber('10', 0) end, 'base', 'base 0 is out of range')
  t.error_like(function() return tonumber('10', -16) end, 'base', 'a negative base is out of range')
  t.error_like(function() return tonumber('10', 100) end, 'base', 'base 100 is out of range')
end

-- White space: the six ASCII space characters around a numeral.
do
  local spaces = { [' '] = 'space', ['\t'] = 'tab', ['\n'] = 'newline', ['\r'] = 'return',
                   ['\v'] = 'vertical tab', ['\f'] = 'form feed' }
  for _, c in ipairs({ ' ', '\t', '\n', '\r', '\v', '\f' }) do
    t.is(tonumber(c .. '12' .. c), 12, spaces[c] .. ' around a decimal numeral')
    t.is(tonumber(c .. 'ff' .. c, 16), 255, spaces[c] .. ' around a numeral with a base')
  end
  t.is(tonumber(' \t\n\r\v\f7.5 \t\n\r\v\f'), 7.5, 'all six spaces on both sides of a float')
  t.is(tonumber(' 0x10 '), 16, 'spaces around a hex numeral')
  t.is(tonumber('1 .5'), nil, 'a space inside a numeral')
  t.is(tonumber('0 x10'), nil, 'a space inside 0x')
  t.is(tonumber('1e 5'), nil, 'a space inside an exponent')
end

-- Signs.
do
  t.is(tonumber('-12'), -12, 'leading minus')
  t.is(tonumber('+12'), 12, 'leading plus')
  t.is(tonumber('  -3.5'), -3.5, 'spaces then minus')
  t.is(tonumber('-.5'), -0.5, 'minus before a leading dot')
  t.is(tonumber('+0x10'), 16, 'plus before a hex numeral')
  t.is(tonumber('- 12'), nil, 'a space between sign and digits')
  t.is(tonumber('--12'), nil, 'two minus signs')
  t.is(tonumber('+-12'), nil, 'plus then minus')
  t.is(tonumber('12-'), nil, 'a trailing sign')
  t.is(tonumber('1e-'), nil, 'a sign without exponent digits')
  t.is(tonumber('-'), nil, 'a lone minus')
  t.is(tonumber('+'), nil, 'a lone plus')
  t.is(tonumber('0x-10'), nil, 'a sign after 0x')
  if D.version >= 5.3 then
    t.is(tonumber('-zz', 36), -1295, 'a sign with a base (5.3+ manual)')
    t.is(tonumber('  +101  ', 2), 5, 'plus with a base and spaces (5.3+ manual)')
  else
    t.skip('a sign with a base is specified from 5.3 on', 2)
  end
end

-- Strings that are not Lua numerals.
do
  for _, s in ipairs({ 'abc', '1a', 'a1', '0x1g', '1,5', '1..5', '.', '..', 'e5', 'x10',
                       '0xx1', '1e1e1', '1.5.', '(1)', '1;', '\0001' }) do
    t.is(tonumber(s), nil, 'tonumber(' .. string.format('%q', s) .. ') is nil')
  end
  if D.version >= 5.2 then
    -- The lexer has no names for infinity or NaN (5.1 leaves it to strtod).
    t.is(tonumber('inf'), nil, '"inf" is not a numeral (5.2+)')
    t.is(tonumber('nan'), nil, '"nan" is not a numeral (5.2+)')
    t.is(tonumber('-inf'), nil, '"-inf" is not a numeral (5.2+)')
    t.is(tonumber('infinity'), nil, '"infinity" is not a numeral (5.2+)')
    -- The whole string must be the numeral: an embedded zero ends nothing.
    t.is(tonumber('1\0'), nil, 'a trailing zero byte (5.2+)')
    t.is(tonumber('1\0002'), nil, 'a zero byte between digits (5.2+)')
    t.is(tonumber('ff\0', 16), nil, 'a zero byte with a base (5.2+)')
  else
    t.skip('5.1 converts with strtod and C strings', 7)
  end
end

-- Numbers pass through tonumber unchanged.
do
  t.is(tonumber(42), 42, 'an integer')
  t.is(tonumber(-0.5), -0.5, 'a float')
  t.is(tonumber(1 / 0), 1 / 0, 'inf')
  local nan = tonumber(0 / 0)
  t.ok(nan ~= nan, 'NaN stays NaN')
  if D.has.integer then
    t.is(math.type(tonumber(3.0)), 'float', 'a float keeps its subtype')
    t.is(math.type(tonumber(3)), 'integer', 'an integer keeps its subtype')
    t.is(math.type(tonumber('0x10')), 'integer', 'a hex string gives an integer')
    t.is(math.type(tonumber('1e2')), 'float', 'an exponent gives a float')
    t.is(math.type(tonumber('  -7  ')), 'integer', 'a signed integer string with spaces')
    t.is(math.type(tonumber('-7.')), 'float', 'a trailing dot gives a float')
  else
    t.skip('needs integer (not in ' .. _VERSION .. ')', 6)
  end
  t.is(tonumber(true), nil, 'a boolean is not convertible')
  t.is(tonumber(print), nil, 'a function is not convertible')
  t.is(select('#', tonumber('x')), 1, 'a failed conversion returns one value')
end

----------------------------------------------------------------------------
-- Where a library expects a number, a numeric string is converted; where
-- it expects a string, a number is converted (lua_tonumber, lua_tolstring).
t.section '§3.4.3'
do
  t.is(string.char('65', ' 66 '), 'AB', 'string.char with numeric strings')
  t.is(('hello'):sub('2', '3'), 'el', 'string.sub with numeric strings')
  t.is(math.floor('3.7'), 3, 'math.floor with a numeric string')
  t.ok(math.abs('-2') == 2, 'math.abs with a numeric string')
  t.is(('abc'):byte('0x2'), 98, 'a hex string as an index')
  t.error_like(function() return ('x'):rep('two') end, 'number expected', 'a non-numeric string is rejected')
  t.error_like(function() return math.floor('') end, 'number expected', 'the empty string is rejected')
  t.is(string.len(12345), 5, 'string.len of a number')
  t.is(string.upper(12), '12', 'string.upper of a number')
  t.is(string.rep(1, 3), '111', 'string.rep of a number')
  t.is(string.byte(65), 54, 'string.byte(65) looks at the string "65"')
  t.is(string.find(12345, 34), 3, 'string.find with a number subject and pattern')
  t.is(string.reverse(-12), '21-', 'string.reverse of a negative number')
  t.is(table.concat({ 1, 2, 3 }, 0), '10203', 'table.concat with a number separator')
  t.is(table.concat({ 1, 'a', 2.5 }), '1a2.5', 'table.concat converts number elements')
  if D.has.string_rep_sep then
    t.is(('%d'):rep(2, 1), '%d1%d', 'a number separator in string.rep (5.2+)')
  else
    t.skip('string.rep has a separator from 5.2 on', 1)
  end
end

t.done_testing()
