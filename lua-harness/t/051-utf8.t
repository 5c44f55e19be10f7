-- 051-utf8.t -- Lua 5.4 manual §6.5 (UTF-8 support, 5.3+): utf8.char,
-- utf8.charpattern, utf8.codes, utf8.codepoint, utf8.len (fail plus the
-- position of the first invalid byte), utf8.offset, and the lax mode of
-- 5.4 (values up to 0x7FFFFFFF, surrogates).
local t = require 'tap'
local D = require 'lvt_dialect'

if not D.has.utf8 then
  t.skip_all('the utf8 library is 5.3+ (not in ' .. _VERSION .. (D.luajit and ' / LuaJIT' or '') .. ')')
  return
end

local B = string.char
local function pack(...) return { n = select('#', ...), ... } end

-- Sample text: 'a' (1 byte), e-acute (2), euro sign (3), G clef (4).
local E_ACUTE = B(195, 169)
local EURO = B(226, 130, 172)
local GCLEF = B(240, 157, 132, 158)
local S = 'a' .. E_ACUTE .. EURO .. GCLEF      -- 10 bytes, 4 characters

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.char'
do
  t.is(utf8.char(72, 105), 'Hi', 'ASCII code points')
  t.is(utf8.char(), '', 'no arguments: the empty string')
  t.is(utf8.char(0xE9), E_ACUTE, 'a 2-byte sequence')
  t.is(utf8.char(0x20AC), EURO, 'a 3-byte sequence')
  t.is(utf8.char(0x1D11E), GCLEF, 'a 4-byte sequence')
  t.is(utf8.char(0x61, 0xE9, 0x20AC, 0x1D11E), S, 'several code points are concatenated')
  t.is(utf8.char(0), '\0', 'code point 0')
  t.is(#utf8.char(0x7F), 1, 'U+007F takes 1 byte')
  t.is(#utf8.char(0x80), 2, 'U+0080 takes 2 bytes')
  t.is(#utf8.char(0x7FF), 2, 'U+07FF takes 2 bytes')
  t.is(#utf8.char(0x800), 3, 'U+0800 takes 3 bytes')
  t.is(#utf8.char(0xFFFF), 3, 'U+FFFF takes 3 bytes')
  t.is(#utf8.char(0x10000), 4, 'U+10000 takes 4 bytes')
  t.is(utf8.char(0x10FFFF), B(244, 143, 191, 191), 'U+10FFFF')
  t.error_like(function() utf8.char(-1) end, 'bad argument #1', 'a negative code point is an error')
  t.error_like(function() utf8.char(65, 'x') end, 'bad argument #2', 'a non-numeric argument is an error')
end

t.section '§6.5 utf8.char beyond U+10FFFF (5.4)'
if D.version >= 5.4 then
  t.is(#utf8.char(0x110000), 4, 'values above 10FFFF are accepted (original UTF-8)')
  t.is(#utf8.char(0x200000), 5, 'a 5-byte sequence')
  t.is(#utf8.char(0x7FFFFFFF), 6, 'a 6-byte sequence for 0x7FFFFFFF')
  t.is(utf8.char(0x7FFFFFFF), B(253, 191, 191, 191, 191, 191), 'the largest value')
  t.error_like(function() utf8.char(0x80000000) end, 'bad argument #1', '0x80000000 is out of range')
else
  t.skip('5.4 accepts values up to 0x7FFFFFFF', 5)
end

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.charpattern'
do
  t.is(type(utf8.charpattern), 'string', 'charpattern is a string')
  if D.version >= 5.4 then
    t.is(utf8.charpattern, '[\0-' .. B(127) .. B(194) .. '-' .. B(253) .. '][' .. B(128) .. '-' .. B(191) .. ']*',
         'the pattern given by the manual')
  else
    t.is(utf8.charpattern, '[\0-' .. B(127) .. B(194) .. '-' .. B(244) .. '][' .. B(128) .. '-' .. B(191) .. ']*',
         'the 5.3 pattern')
  end
  local chars = {}
  for c in S:gmatch(utf8.charpattern) do chars[#chars + 1] = c end
  t.is_deeply(chars, { 'a', E_ACUTE, EURO, GCLEF }, 'gmatch with charpattern splits characters')
  t.is(select(2, S:gsub(utf8.charpattern, '')), 4, 'it matches each character once')
  t.is(('\0'):match(utf8.charpattern), '\0', 'it matches the zero byte')
end

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.codes'
do
  local got = {}
  for p, c in utf8.codes(S) do got[#got + 1] = p .. ':' .. c end
  t.is_deeply(got, { '1:97', '2:233', '4:8364', '7:119070' }, 'codes yields byte positions and code points')
  local n = 0
  for _ in utf8.codes('') do n = n + 1 end
  t.is(n, 0, 'codes of the empty string does nothing')
  t.error_like(function() for _ in utf8.codes('a' .. B(255) .. 'b') do end end, 'invalid UTF%-8 code',
               'an invalid byte raises an error')
  t.error_like(function() for _ in utf8.codes(B(226, 130)) do end end, 'invalid UTF%-8 code',
               'a truncated sequence raises an error')
  t.error_like(function() for _ in utf8.codes(B(192, 128)) do end end, 'invalid UTF%-8 code',
               'an overlong sequence raises an error')
  if D.version == 5.4 then t.todo('bug in 5.4.4, fixed in 5.4.6: utf8.codes skips stray continuation bytes', 2) end
  t.error_like(function() for _ in utf8.codes('a' .. B(128)) do end end, 'invalid UTF%-8 code',
               'a continuation byte after a character raises an error')
  t.error_like(function() for _ in utf8.codes(B(128) .. 'a') do end end, 'invalid UTF%-8 code',
               'a leading continuation byte raises an error')
  local ascii = {}
  for p, c in utf8.codes('abc') do ascii[p] = c end
  t.is_deeply(ascii, { 97, 98, 99 }, 'ASCII positions are consecutive')
  if math.type then
    local p, c = utf8.codes('x')('x', 0)
    t.ok(math.type(p) == 'integer' and math.type(c) == 'integer', 'positions and code points are integers')
  end
end

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.codepoint'
do
  t.is(utf8.codepoint(S), 97, 'the default i is 1 and j is i')
  t.is(utf8.codepoint(S, 2), 233, 'codepoint at a byte position')
  t.is_deeply(pack(utf8.codepoint(S, 1, -1)), { n = 4, 97, 233, 8364, 119070 }, 'all code points with j = -1')
  t.is_deeply(pack(utf8.codepoint(S, 2, 4)), { n = 2, 233, 8364 }, 'characters that start between i and j')
  t.is_deeply(pack(utf8.codepoint(S, -4)), { n = 1, 119070 }, 'a negative i counts from the end')
  t.is_deeply(pack(utf8.codepoint(S, 3, 2)), { n = 0 }, 'i > j returns nothing')
  t.error_like(function() utf8.codepoint(S, 3) end, 'invalid UTF%-8 code', 'a position inside a character is an error')
  t.error_like(function() utf8.codepoint('a' .. B(255), 1, 2) end, 'invalid UTF%-8 code', 'an invalid byte is an error')
  t.error_like(function() utf8.codepoint('abc', 4) end, 'bad argument', 'i past the end is an error')
  t.error_like(function() utf8.codepoint('abc', 1, 4) end, 'bad argument #3', 'j past the end is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.len'
do
  t.is(utf8.len(S), 4, 'the number of characters')
  t.is(utf8.len(''), 0, 'the empty string has 0 characters')
  t.is(utf8.len('abc'), 3, 'ASCII')
  t.is(utf8.len(S, 2), 3, 'from byte 2')
  t.is(utf8.len(S, 1, 4), 3, 'characters that start between i and j')
  t.is(utf8.len(S, -4), 1, 'a negative i counts from the end')
  t.is(utf8.len('abc', 4), 0, 'i = #s + 1 gives 0')
  t.is_deeply(pack(utf8.len('a' .. B(128) .. 'b')), { n = 2, nil, 2 }, 'a stray continuation byte: fail and its position')
  t.is_deeply(pack(utf8.len('ab' .. B(255))), { n = 2, nil, 3 }, 'byte 255: fail and its position')
  t.is_deeply(pack(utf8.len(B(192, 128))), { n = 2, nil, 1 }, 'an overlong encoding: fail at its first byte')
  t.is_deeply(pack(utf8.len('x' .. B(226, 130))), { n = 2, nil, 2 }, 'a truncated sequence: fail at its start')
  t.is_deeply(pack(utf8.len(S, 3)), { n = 2, nil, 3 }, 'starting inside a character: fail at that byte')
  t.error_like(function() utf8.len('abc', 5) end, 'bad argument #2', 'i past #s + 1 is an error')
  t.error_like(function() utf8.len() end, 'bad argument #1', 'len() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.5 utf8.offset'
do
  t.is(utf8.offset(S, 1), 1, 'the first character starts at byte 1')
  t.is(utf8.offset(S, 3), 4, 'the third character starts at byte 4')
  t.is(utf8.offset(S, 4), 7, 'the fourth at byte 7')
  t.is(utf8.offset(S, 5), 11, 'one past the last character: #s + 1')
  t.is(utf8.offset(S, 6), nil, 'further than that: fail')
  t.is(utf8.offset(S, -1), 7, 'n = -1: the last character')
  t.is(utf8.offset(S, -4), 1, 'n = -4: the first character')
  t.is(utf8.offset(S, -5), nil, 'before the first: fail')
  t.is(utf8.offset(S, 2, 2), 4, 'counting from byte 2')
  t.is(utf8.offset(S, -1, 7), 4, 'a negative n from position i')
  t.is(utf8.offset(S, 0, 3), 2, 'n = 0 finds the start of the character containing byte i')
  t.is(utf8.offset(S, 0, 10), 7, 'n = 0 from the last byte of a 4-byte character')
  t.is(utf8.offset(S, 0, 1), 1, 'n = 0 at a character start')
  t.is(utf8.offset('', 1), 1, 'offset of the empty string, n = 1')
  t.is(utf8.offset('', -1), nil, 'offset of the empty string, n = -1')
  t.error_like(function() utf8.offset(S, 1, 3) end, 'continuation byte', 'i must not be a continuation byte')
  t.error_like(function() utf8.offset('abc', 1, 5) end, 'bad argument #3', 'i past #s + 1 is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.5 strict and lax decoding (5.4)'
if D.version >= 5.4 then
  local surrogate = B(237, 160, 128)            -- U+D800
  local big = B(244, 144, 128, 128)             -- 0x110000
  local six = B(253, 191, 191, 191, 191, 191)   -- 0x7FFFFFFF
  t.is_deeply(pack(utf8.len(surrogate)), { n = 2, nil, 1 }, 'surrogates are rejected by default')
  t.is_deeply(pack(utf8.len(big)), { n = 2, nil, 1 }, 'values above 10FFFF are rejected by default')
  t.is(utf8.len(surrogate, 1, -1, true), 1, 'lax len accepts a surrogate')
  t.is(utf8.len(big .. six, 1, -1, true), 2, 'lax len accepts values up to 0x7FFFFFFF')
  t.is(utf8.codepoint(six, 1, 1, true), 0x7FFFFFFF, 'lax codepoint decodes 0x7FFFFFFF')
  t.is(utf8.codepoint(surrogate, 1, 1, true), 0xD800, 'lax codepoint decodes a surrogate')
  t.error_like(function() utf8.codepoint(big) end, 'invalid UTF%-8 code', 'strict codepoint rejects 0x110000')
  local got = {}
  for _, c in utf8.codes(big .. 'a', true) do got[#got + 1] = c end
  t.is_deeply(got, { 0x110000, 97 }, 'lax codes accepts 0x110000')
  t.error_like(function() for _ in utf8.codes(big) do end end, 'invalid UTF%-8 code', 'strict codes rejects it')
  t.is_deeply(pack(utf8.len(B(192, 128), 1, -1, true)), { n = 2, nil, 1 }, 'overlong sequences are rejected even when lax')
  t.is(utf8.char(0xD800), surrogate, 'char encodes a surrogate value')
else
  t.skip('the lax flag and the surrogate check are 5.4', 11)
end

t.done_testing()
