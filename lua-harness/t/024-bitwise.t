-- §3.4.2 Bitwise Operators (5.3+): & | ~ << >> and unary ~ on 64-bit
-- integers; logical shifts that fill with zeros, negative displacements,
-- displacements >= 64; float operands converted (§3.4.3); precedence of
-- the bitwise operators (§3.4.8). 5.1/5.2 and LuaJIT have no such
-- operators (LuaJIT's 'bit' library is not part of any manual).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with, value, bin, binerr, un, mtype: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, value, bin, binerr, un, mtype = h.with, h.value, h.bin, h.binerr, h.un, h.mtype

----------------------------------------------------------------------------
t.section '§3.4.2'
if not D.has.bitops then
  t.ok(compile('return 1 & 2') == nil, 'binary & is not in the grammar before 5.3')
  t.ok(compile('return ~1') == nil, 'unary ~ is not in the grammar before 5.3')
end

with('bitops', 65, function()
  bin('5', '&', '3', 1)
  bin('5', '|', '3', 7)
  bin('5', '~', '3', 6)
  bin('0xF0', '&', '0x3C', 0x30)
  bin('0xF0', '|', '0x0F', 0xFF)
  bin('-1', '&', '0xFF', 0xFF)
  bin('-1', '~', '0xFF', -256)
  un('~', '0', -1)
  un('~', '5', -6)
  un('~', '(-1)', 0)
  un('~', 'math.mininteger', math.maxinteger)
  bin('1', '<<', '4', 16)
  bin('256', '>>', '4', 16)
  bin('1', '<<', '63', math.mininteger)
  bin('0xFF', '<<', '56', -72057594037927936)
  bin('-1', '>>', '1', math.maxinteger, '-1 >> 1 fills with a zero (logical shift)')
  bin('-1', '>>', '63', 1)
  bin('math.mininteger', '>>', '62', 2)
  bin('1', '<<', '64', 0, 'shift left by 64 gives 0')
  bin('1', '<<', '65', 0, 'shift left by 65 gives 0')
  bin('-1', '<<', '64', 0, 'shift left of -1 by 64 gives 0')
  bin('-1', '>>', '64', 0, 'shift right of -1 by 64 gives 0')
  bin('1', '>>', '1000', 0, 'shift right by 1000 gives 0')
end)

with('bitops', 34, function()
  -- Negative displacements shift the other way.
  bin('2', '<<', '-1', 1, '2 << -1 shifts right')
  bin('16', '>>', '-2', 64, '16 >> -2 shifts left')
  bin('1', '<<', '-64', 0, '1 << -64 gives 0')
  bin('-1', '>>', '-63', math.mininteger, '-1 >> -63 shifts left by 63')
  bin('1', '<<', 'math.mininteger', 0, 'shift by mininteger gives 0')
  bin('1', '>>', 'math.mininteger', 0, 'shift right by mininteger gives 0')
  bin('1', '<<', 'math.maxinteger', 0, 'shift by maxinteger gives 0')
  -- Float operands are converted to integers; the result is an integer.
  bin('3.0', '|', '4', 7, 'float | integer')
  bin('2^53', '|', '1', 9007199254740993, '2^53 | 1 is exact')
  bin('1', '<<', '2.0', 4, 'float displacement')
  un('~', '0.0', -1, '~ of a float')
  t.is(math.type(value('3.0 & 3.0')), 'integer', 'float & float is an integer')
  local f = assert(compile('local a = ... return a & 1'))
  t.error_like(function() return f(1.5) end, 'integer representation', '1.5 & 1 raises')
end)

with('bitops', 11, function()
  -- Non-numbers without metamethods.
  t.error_like(function() return value('{} & 1') end, 'bitwise', 'table & 1 raises')
  t.error_like(function() return value('1 | nil') end, 'bitwise', '1 | nil raises')
  t.error_like(function() return value('~true') end, 'bitwise', '~true raises')
  t.error_like(function() return value('"abc" << 1') end, 'bitwise', 'non-numeric string << 1 raises')

  -- Identities on a set of values (each checked over all of them).
  local vals = {0, 1, -1, 2, 0x5555555555555555, math.maxinteger, math.mininteger, 12345, -98765}
  local bad = {}
  local function check(cond, what, a) if not cond then bad[#bad + 1] = what .. '(' .. a .. ')' end end
  local band, bor, bxor, bnot, shl, shr = value([[function(a, b) return a & b end,
    function(a, b) return a | b end, function(a, b) return a ~ b end,
    function(a) return ~a end, function(a, n) return a << n end,
    function(a, n) return a >> n end]])
  for _, a in ipairs(vals) do
    check(bxor(a, a) == 0, 'a~a', a)
    check(band(a, bnot(a)) == 0, 'a&~a', a)
    check(bor(a, bnot(a)) == -1, 'a|~a', a)
    check(bnot(bnot(a)) == a, '~~a', a)
    check(bnot(a) == -1 - a, '~a == -1-a', a)
    check(shl(a, 1) == a * 2, 'a<<1 == a*2 (wrapping)', a)
    check(shr(shl(a, 8), 8) == band(a, 0x00FFFFFFFFFFFFFF), 'a<<8>>8', a)
    check(shl(a, 0) == a and shr(a, 0) == a, 'shift by 0', a)
  end
  t.is(table.concat(bad, ' '), '', 'bitwise identities hold on sample values')
  local ok = true
  for n = 0, 63 do
    if shl(1, n) ~= 2^n and n < 63 then ok = false end
    if shr(shl(1, n), n) ~= 1 then ok = false end
    if shl(1, n) ~= shr(1, -n) then ok = false end
  end
  t.ok(ok, '1 << n for n = 0..63 and its inverse')
  local ok2 = true
  for a = -20, 20 do
    for b = -20, 20 do
      if bxor(a, b) ~= bor(a, b) - band(a, b) then ok2 = false end
      if bor(a, b) + band(a, b) ~= a + b then ok2 = false end
    end
  end
  t.ok(ok2, 'a ~ b == (a | b) - (a & b) and (a | b) + (a & b) == a + b')
  t.ok(select('#', bnot(1)) == 1, 'a bitwise result is one value')

  -- Wrapped hex numerals as operands; shifts associate to the left.
  t.is(value('0x7fffffffffffffff & -1'), math.maxinteger, 'hex maxinteger & -1')
  t.is(value('0xFFFFFFFFFFFFFFFF ~ 0'), -1, 'wrapped hex numeral ~ 0')
  t.is(value('1 << 62 << 1'), math.mininteger, 'shifts are left-associative')
end)

----------------------------------------------------------------------------
-- §3.4.8 precedence: or < and < comparison < | < ~ < & < shifts < .. < +-
t.section '§3.4.8'
with('bitops', 11, function()
  t.is(value('1 | 2 & 3'), 3, '& binds tighter than |')
  t.is(value('5 & 3 ~ 1'), 0, '& binds tighter than binary ~')
  t.is(value('6 ~ 3 | 1'), 5, 'binary ~ binds tighter than |')
  t.is(value('1 << 2 + 1'), 8, '+ binds tighter than <<')
  t.is(value('1 | 2 == 3'), true, '| binds tighter than ==')
  t.is(value('2 & 3 < 3'), true, '& binds tighter than <')
  t.is(value('~-1'), 0, 'unary ~ of unary minus')
  t.is(value('-~1'), 2, 'unary minus of unary ~')
  t.is(value('~1 << 1'), -4, 'unary ~ binds tighter than <<')
  t.is(value('2 * 3 << 1'), 12, '* binds tighter than <<')
  t.is(value('1 << 3 - 1'), 4, '- binds tighter than <<')
end)

t.done_testing()
