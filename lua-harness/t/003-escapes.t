-- 003-escapes.t -- Lua 5.4 manual §3.1 (lexical conventions): short
-- literal strings and every escape sequence: \a \b \f \n \r \t \v \\ \"
-- \', backslash-newline, \z, \xXX, \ddd, \u{XXX} (up to 2^31 in 5.4),
-- invalid escapes, unescaped line breaks, embedded zeros.
-- Strings with \x, \z and \u are built inside load() so that this file
-- parses on 5.1; expected bytes are written with decimal escapes.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with, run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, run, compiles = h.with, h.run, h.compiles



-- The string literal 'lit' (source text, with its quotes) as a value.
local function lit(s) return run('return ' .. s) end


local char = string.char

----------------------------------------------------------------------------
t.section '§3.1'
-- The C-like escapes, in both kinds of quotes.
do
  local esc = { a = 7, b = 8, f = 12, n = 10, r = 13, t = 9, v = 11 }
  for _, k in ipairs({ 'a', 'b', 'f', 'n', 'r', 't', 'v' }) do
    t.is(lit('"\\' .. k .. '"'), char(esc[k]), '\\' .. k .. ' is byte ' .. esc[k] .. ' (double quotes)')
    t.is(lit("'\\" .. k .. "'"), char(esc[k]), '\\' .. k .. ' is byte ' .. esc[k] .. ' (single quotes)')
  end
  t.is(lit('"\\\\"'), char(92), '\\\\ is a backslash')
  t.is(lit('"\\""'), char(34), '\\" in double quotes')
  t.is(lit("'\\\"'"), char(34), '\\" in single quotes')
  t.is(lit("'\\''"), char(39), "\\' in single quotes")
  t.is(lit('"\\\'"'), char(39), "\\' in double quotes")
  t.is(lit([["it's"]]), "it" .. char(39) .. "s", 'unescaped single quote inside double quotes')
  t.is(lit([['say "hi"']]), 'say ' .. char(34) .. 'hi' .. char(34), 'unescaped double quotes inside single quotes')
  t.is(lit('"a\\tb\\nc"'), 'a' .. char(9) .. 'b' .. char(10) .. 'c', 'escapes mixed with text')
  t.is(#lit('"\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\\'"'), 10, 'ten escapes make ten bytes')
  t.is(lit('""'), '', 'empty double-quoted string')
  t.is(lit("''"), '', 'empty single-quoted string')
end

-- Decimal escapes \ddd: up to three digits, value at most 255.
do
  t.is(lit('"\\0"'), char(0), '\\0 is a zero byte')
  t.is(lit('"\\00"'), char(0), '\\00 is a zero byte')
  t.is(lit('"\\000"'), char(0), '\\000 is a zero byte')
  t.is(lit('"\\65"'), 'A', '\\65 is A')
  t.is(lit('"\\065"'), 'A', '\\065 is A')
  t.is(lit('"\\0651"'), 'A1', 'a fourth digit is not part of the escape')
  t.is(lit('"\\1234"'), '{4', '\\123 then 4')
  t.is(lit('"\\9"'), char(9), 'one digit: \\9 is a tab')
  t.is(lit('"\\10x"'), '\nx', 'two digits followed by a letter')
  t.is(lit('"\\255"'), char(255), '\\255 is the highest byte')
  t.is(lit('"\\200\\201"'), char(200, 201), 'two high decimal escapes')
  t.is(lit('"\\97lo\\10\\04923\\""'), 'alo\n123"', 'the manual\'s decimal-escape example')
  t.ok(not compiles('return "\\256"'), '\\256 is too large')
  t.ok(not compiles('return "\\999"'), '\\999 is too large')
  t.ok(not compiles('return "\\300"'), '\\300 is too large')
  t.is(lit('"\\0009"'), char(0) .. '9', 'a digit after a three-digit zero')
end

-- Embedded zeros: strings are 8-bit clean (§2.1).
do
  local s = lit('"a\\0b\\0\\0c"')
  t.is(#s, 6, 'length counts embedded zeros')
  t.is(s:byte(2), 0, 'the zero byte is stored')
  t.is(s:sub(3, 3), 'b', 'bytes after a zero are kept')
  t.ok(lit('"a\\0b"') ~= lit('"a\\0c"'), 'strings differing after a zero differ')
  t.ok(lit('"a\\0"') ~= 'a', 'a trailing zero is part of the string')
end

-- A backslash followed by a line break gives a newline.
do
  t.is(lit('"a\\\nb"'), 'a\nb', 'backslash \\n')
  t.is(lit('"a\\\rb"'), 'a\nb', 'backslash \\r gives \\n')
  t.is(lit('"a\\\r\nb"'), 'a\nb', 'backslash \\r\\n gives one \\n')
  t.is(lit('"a\\\n\rb"'), 'a\nb', 'backslash \\n\\r gives one \\n')
  t.is(lit('"a\\\n\\\nb"'), 'a\n\nb', 'two escaped line breaks')
  t.is(lit("'x\\\ny'"), 'x\ny', 'in single quotes')
  local f = assert(compile('local s = "a\\\n\\\nb"\nerror("e")', '=c'))
  local _, e = pcall(f)
  t.like(tostring(e), '^c:4:', 'escaped line breaks are counted as lines')
end

-- Short strings cannot contain unescaped line breaks or run to the end.
do
  t.ok(not compiles('return "a\nb"'), 'unescaped \\n in a short string')
  t.ok(not compiles('return "a\rb"'), 'unescaped \\r in a short string')
  t.ok(not compiles("return 'a\nb'"), 'unescaped \\n in single quotes')
  t.ok(not compiles('return "abc'), 'unfinished string at the end of the chunk')
  t.ok(not compiles("return 'abc\""), 'mismatched quotes')
  t.ok(not compiles('return "abc\\"'), 'an escaped closing quote leaves it unfinished')
  t.ok(not compiles('return "\\'), 'a backslash at the end of the chunk')
end

-- Invalid escapes are errors (5.2+; the 5.1 manual does not say).
if D.version >= 5.2 or D.luajit then
  for _, e in ipairs({ 'q', 'c', 'e', 'A', 'N', '(', ' ', 'y', 'Z' }) do
    t.ok(not compiles('return "\\' .. e .. '"'), 'invalid escape \\' .. e)
  end
else
  t.skip('5.1 does not specify invalid escapes', 9)
end

-- \xXX: exactly two hexadecimal digits (5.2+, LuaJIT).
with('hex_escape', 13, function()
  t.is(lit('"\\x41"'), 'A', '\\x41 is A')
  t.is(lit('"\\x7a"'), 'z', '\\x7a is z')
  t.is(lit('"\\x7A"'), 'z', 'upper-case hex digits')
  t.ok(not compiles('return "\\X41"'), '\\X is not an escape')
  t.is(lit('"\\x00"'), char(0), '\\x00 is a zero byte')
  t.is(lit('"\\xff\\xFe"'), char(255, 254), 'high bytes')
  t.is(lit('"\\x414"'), 'A4', 'a third hex digit is not part of the escape')
  t.ok(not compiles('return "\\x4g"'), '\\x4g: second digit not hex')
  t.ok(not compiles('return "\\x4"'), '\\x with one digit')
  t.ok(not compiles('return "\\x"'), '\\x with no digits')
  t.ok(not compiles('return "\\xg0"'), '\\x with a non-hex digit')
  local all = {}
  for b = 0, 255 do all[#all + 1] = string.format('\\x%02x', b) end
  local s = lit('"' .. table.concat(all) .. '"')
  local ok = #s == 256
  for b = 0, 255 do ok = ok and s:byte(b + 1) == b end
  t.ok(ok, 'all 256 bytes through \\xXX')
  t.is(lit('"\\x5C\\x22"'), '\\"', 'backslash and quote by hex')
end)

-- \z skips the following white space, line breaks included (5.2+, LuaJIT).
with('z_escape', 10, function()
  t.is(lit('"a\\z   b"'), 'ab', '\\z skips spaces')
  t.is(lit('"a\\z\n\n    b"'), 'ab', '\\z skips line breaks and indentation')
  t.is(lit('"a\\z\t\v\f\r\n b"'), 'ab', '\\z skips every white-space character')
  t.is(lit('"a\\zb"'), 'ab', '\\z with nothing to skip')
  t.is(lit('"a\\z   "'), 'a', '\\z before the closing quote')
  t.is(lit('"a\\z  \\n"'), 'a\n', '\\z stops at an escape')
  t.is(lit('"a\\z  x  b"'), 'ax  b', '\\z skips only the first span')
  t.is(lit('"a \\z b"'), 'a b', 'space before \\z is kept')
  t.is(lit('"\\z\n\n"'), '', 'a string of only \\z and newlines')
  local f = assert(compile('local s = "a\\z\n\n  b"\nerror("e")', '=c'))
  local _, e = pcall(f)
  t.like(tostring(e), '^c:4:', 'line breaks skipped by \\z are counted as lines')
end)

-- \u{XXX}: UTF-8 encoding of a code point (5.3+, LuaJIT).
with('utf8_escape', 25, function()
  local cases = {
    { '41', 'A' },
    { '0', char(0) },
    { '7F', char(127) },
    { '80', char(194, 128) },
    { 'E9', char(195, 169) },
    { '7FF', char(223, 191) },
    { '800', char(224, 160, 128) },
    { '20AC', char(226, 130, 172) },
    { 'D800', char(237, 160, 128) },          -- surrogates are encoded too
    { 'FFFF', char(239, 191, 191) },
    { '10000', char(240, 144, 128, 128) },
    { '1F600', char(240, 159, 152, 128) },
    { '10FFFF', char(244, 143, 191, 191) },
    { '00000041', 'A' },                        -- leading zeros
    { 'abcd', char(234, 175, 141) },            -- lower-case digits
  }
  for _, c in ipairs(cases) do
    t.is(lit('"\\u{' .. c[1] .. '}"'), c[2], '\\u{' .. c[1] .. '}')
  end
  t.is(lit('"x\\u{48}\\u{49}y"'), 'xHIy', 'two \\u escapes between text')
  t.is(#lit('"\\u{10FFFF}"'), 4, '\\u{10FFFF} is four bytes')
  t.ok(not compiles('return "\\u41"'), '\\u without braces')
  t.ok(not compiles('return "\\u{}"'), '\\u{} with no digits')
  t.ok(not compiles('return "\\u{41"'), '\\u{ without a closing brace')
  t.ok(not compiles('return "\\u{G}"'), '\\u{G}: not a hex digit')
  t.ok(not compiles('return "\\u{ 41}"'), '\\u{ 41}: a space is not a hex digit')
  t.ok(not compiles('return "\\u{-1}"'), '\\u{-1}: no sign')
  t.ok(not compiles('return "\\u{100000000}"'), '\\u{100000000} is too large everywhere')
  t.ok(not compiles('return "\\u{80000000}"'), '\\u{80000000} (2^31) is too large')
end)

-- 5.4: any code point below 2^31, in the original (up to 6-byte) UTF-8.
-- 5.3 (and LuaJIT) stop at 10FFFF.
if D.has.utf8_escape then
  local big = {
    { '110000', char(244, 144, 128, 128) },
    { '1FFFFF', char(247, 191, 191, 191) },
    { '200000', char(248, 136, 128, 128, 128) },
    { '3FFFFFF', char(251, 191, 191, 191, 191) },
    { '4000000', char(252, 132, 128, 128, 128, 128) },
    { '7FFFFFFF', char(253, 191, 191, 191, 191, 191) },
  }
  if D.version >= 5.4 then
    for _, c in ipairs(big) do
      t.is(lit('"\\u{' .. c[1] .. '}"'), c[2], '\\u{' .. c[1] .. '} (5.4: code points below 2^31)')
    end
    t.is(lit('"\\u{000007FFFFFFF}"'), char(253, 191, 191, 191, 191, 191), 'leading zeros before 7FFFFFFF (5.4)')
  else
    for _, c in ipairs(big) do
      t.ok(not compiles('return "\\u{' .. c[1] .. '}"'), '\\u{' .. c[1] .. '} is too large (5.3, LuaJIT: above 10FFFF)')
    end
    t.skip('5.4 extends \\u to 2^31', 1)
  end
else
  t.skip('needs utf8_escape (not in ' .. _VERSION .. ')', 7)
end

t.done_testing()
