-- 050-string-pack.t -- Lua 5.4 manual §6.4.2 (format strings for pack
-- and unpack) and §6.4 string.pack, string.unpack, string.packsize (5.3+):
-- integer options with explicit sizes and endianness, native options,
-- floats, strings (s[n], z, cn), padding x, alignment ! and X, overflow
-- checks, positions and errors.
local t = require 'tap'
local D = require 'lvt_dialect'

if not D.has.string_pack then
  t.skip_all('string.pack is 5.3+ (not in ' .. _VERSION .. (D.luajit and ' / LuaJIT' or '') .. ')')
  return
end

local pack, unpack, packsize = string.pack, string.unpack, string.packsize

local function pk(...) return { n = select('#', ...), ... } end

-- Bytes of 's' as a readable list ("01 02 ff").
local function hex(s)
  return (s:gsub('.', function(c) return string.format('%02x ', c:byte()) end):gsub(' $', ''))
end

-- ---------------------------------------------------------------------
t.section '§6.4.2 integers with explicit sizes and endianness'
do
  t.is(hex(pack('<i2', 0x0102)), '02 01', '<i2 is little endian')
  t.is(hex(pack('>i2', 0x0102)), '01 02', '>i2 is big endian')
  t.is(hex(pack('<i4', -2)), 'fe ff ff ff', 'negative numbers in two-complement')
  t.is(hex(pack('>I3', 0x010203)), '01 02 03', 'a 3-byte unsigned integer')
  t.is(hex(pack('<i1', -128)), '80', 'the smallest i1')
  t.is(hex(pack('<I1', 255)), 'ff', 'the largest I1')
  t.is(hex(pack('>i8', 1)), '00 00 00 00 00 00 00 01', 'an 8-byte integer')
  t.is(hex(pack('<i16', -1)), string.rep('ff ', 15) .. 'ff', 'a 16-byte -1 is sign-extended')
  t.is(hex(pack('>i16', 1)), string.rep('00 ', 15) .. '01', 'a 16-byte 1 is zero-extended')
  t.is(unpack('<i16', pack('<i16', -12345)), -12345, 'i16 reads back')
  t.is(unpack('<I16', pack('<I16', 7)), 7, 'I16 reads back')
  t.is(unpack('<i3', '\255\255\255'), -1, 'unpack sign-extends i3')
  t.is(unpack('<I3', '\255\255\255'), 0xffffff, 'unpack zero-extends I3')
  t.is(unpack('>i2', '\128\0'), -32768, 'big-endian signed read')
  t.is(math.type(unpack('<i4', pack('<i4', 5))), 'integer', 'integers come back as integers')
  for _, n in ipairs({ 1, 2, 3, 4, 5, 6, 7, 8 }) do
    local lim = n < 8 and 2 ^ (8 * n - 1) or nil
    local v = lim and math.tointeger(-lim) or math.mininteger
    t.is(unpack('<i' .. n, pack('<i' .. n, v)), v, 'the smallest i' .. n .. ' round-trips')
  end
end

t.section '§6.4.2 integer overflow checks'
do
  t.error_like(function() pack('i1', 128) end, 'overflow', 'i1 cannot hold 128')
  t.error_like(function() pack('i1', -129) end, 'overflow', 'i1 cannot hold -129')
  t.error_like(function() pack('I1', 256) end, 'overflow', 'I1 cannot hold 256')
  t.error_like(function() pack('I1', -1) end, 'overflow', 'I1 treats -1 as a huge unsigned value')
  t.error_like(function() pack('i2', 32768) end, 'overflow', 'i2 cannot hold 32768')
  t.lives_ok(function() pack('I8', -1) end, 'I8 holds -1 as all ones')
  t.is(unpack('<J', pack('<J', -1)), -1, 'J round-trips -1 (unsigned view of the same bits)')
  t.error_like(function() unpack('<I9', '\1\0\0\0\0\0\0\0\1') end, 'does not fit',
               'reading a 9-byte value that does not fit in a Lua integer is an error')
  t.is(unpack('<i9', string.rep('\255', 9)), -1, 'a 9-byte -1 fits')
  t.is(unpack('<I9', string.rep('\255', 8) .. '\0'), -1, 'a 9-byte value with a zero high byte fits')
  t.error_like(function() pack('i17', 1) end, 'out of limits', 'i17 is out of limits')
  t.error_like(function() pack('i0', 1) end, 'out of limits', 'i0 is out of limits')
  t.error_like(function() pack('i4', 3.5) end, 'no integer representation', 'a float with a fraction is an error')
  t.is(unpack('<i4', pack('<i4', 3.0)), 3, 'a float with an integral value is accepted')
  t.is(unpack('<i4', pack('<i4', '12')), 12, 'a numeric string is accepted')
end

-- ---------------------------------------------------------------------
t.section '§6.4.2 native integer options'
do
  t.is(packsize('b'), 1, 'b is one byte')
  t.is(packsize('B'), 1, 'B is one byte')
  t.is(packsize('h'), packsize('H'), 'h and H have the same size')
  t.is(packsize('l'), packsize('L'), 'l and L have the same size')
  t.is(packsize('i'), packsize('I'), 'i and I have the same (native int) size')
  t.is(packsize('j'), packsize('J'), 'j and J have the same size')
  if D.has.int64 then
    t.is(packsize('j'), 8, 'j is a 64-bit lua_Integer here')
  else
    t.skip('lua_Integer is not 64-bit', 1)
  end
  t.ok(packsize('T') >= 4, 'T is a size_t')
  t.is(unpack('b', pack('b', -5)), -5, 'b round-trips a negative value')
  t.is(unpack('B', pack('B', 200)), 200, 'B round-trips 200')
  t.is(unpack('h', pack('h', -300)), -300, 'h round-trips')
  t.is(unpack('H', pack('H', 60000)), 60000, 'H round-trips')
  t.is(unpack('l', pack('l', -70000)), -70000, 'l round-trips')
  t.is(unpack('L', pack('L', 70000)), 70000, 'L round-trips')
  t.is(unpack('j', pack('j', math.maxinteger)), math.maxinteger, 'j round-trips maxinteger')
  t.is(unpack('j', pack('j', math.mininteger)), math.mininteger, 'j round-trips mininteger')
  t.is(unpack('T', pack('T', 123456)), 123456, 'T round-trips')
  t.is(unpack('i', pack('i', -42)), -42, 'i round-trips')
  t.is(unpack('=i2', pack('=i2', 513)), 513, '= selects native endianness')
  t.error_like(function() pack('b', 128) end, 'overflow', 'b checks its range')
  t.is(pack('<i2', 1), pack(' < i2 ', 1), 'spaces in the format are ignored')
end

-- ---------------------------------------------------------------------
t.section '§6.4.2 floats'
do
  t.is(hex(pack('<d', 1.5)), '00 00 00 00 00 00 f8 3f', 'd is an IEEE double (little endian)')
  t.is(hex(pack('>d', -2)), 'c0 00 00 00 00 00 00 00', 'd big endian')
  t.is(hex(pack('<f', 1.5)), '00 00 c0 3f', 'f is an IEEE single')
  t.is(packsize('d'), 8, 'd is 8 bytes')
  t.is(packsize('f'), 4, 'f is 4 bytes')
  t.is(packsize('n'), 8, 'n is a lua_Number (a double here)')
  t.is(unpack('<d', pack('<d', 0.1)), 0.1, 'd round-trips 0.1 exactly')
  t.is(unpack('n', pack('n', math.pi)), math.pi, 'n round-trips pi')
  t.is(unpack('f', pack('f', 0.5)), 0.5, 'f round-trips 0.5')
  t.isnt(unpack('f', pack('f', 0.1)), 0.1, 'f loses precision for 0.1')
  t.is(math.type(unpack('d', pack('d', 3))), 'float', 'floats come back as floats')
  t.is(unpack('d', pack('d', 1 / 0)), 1 / 0, 'infinity round-trips')
  local nan = unpack('d', pack('d', 0 / 0))
  t.ok(nan ~= nan, 'NaN round-trips as NaN')
  t.is(unpack('<d', pack('<d', 7)), 7.0, 'an integer argument is stored as a float')
end

-- ---------------------------------------------------------------------
t.section '§6.4.2 strings: s[n], z, cn'
do
  t.is(pack('s1', 'abc'), '\3abc', 's1 prefixes a one-byte length')
  t.is(pack('>s2', 'ab'), '\0\2ab', 's2 prefixes a two-byte length')
  t.is(#pack('s', 'ab'), packsize('T') + 2, 's without a size uses a size_t length')
  t.is_deeply(pk(unpack('s1', '\3abcX')), { n = 2, 'abc', 5 }, 'unpack s1 returns the string and the next position')
  t.is(unpack('s1', pack('s1', 'a\0b')), 'a\0b', 's keeps embedded zeros')
  t.error_like(function() pack('s1', string.rep('x', 256)) end, 'does not fit', 'a string too long for its length prefix')
  t.is(pack('z', 'abc'), 'abc\0', 'z appends a zero byte')
  t.is_deeply(pk(unpack('z', 'abc\0def')), { n = 2, 'abc', 5 }, 'unpack z reads up to the zero byte')
  t.error_like(function() pack('z', 'a\0b') end, 'contains zeros', 'z cannot pack a string with a zero byte')
  t.is(pack('c3', 'abc'), 'abc', 'c3 packs exactly three bytes')
  t.is(pack('c5', 'ab'), 'ab\0\0\0', 'a shorter string is padded with zeros')
  t.error_like(function() pack('c2', 'abc') end, 'longer than', 'a longer string is an error')
  t.is_deeply(pk(unpack('c2', 'abcd')), { n = 2, 'ab', 3 }, 'unpack c2')
  t.error_like(function() pack('c', 'a') end, "missing size", 'c without a size is an error')
  t.is(packsize('c7'), 7, 'packsize of c7')
  t.is(unpack('c0', ''), '', 'c0 is the empty string')
end

t.section '§6.4.2 unfinished z (5.4)'
if D.version >= 5.4 then
  t.error_like(function() unpack('z', 'abc') end, 'unfinished string', 'unpack z without a zero byte is an error')
else
  t.skip('checked from 5.4 on', 1)
end

-- ---------------------------------------------------------------------
t.section '§6.4.2 padding and alignment'
do
  t.is(pack('<i1 x i1', 1, 2), '\1\0\2', 'x is one zero byte')
  t.is_deeply(pk(unpack('<i1 x i1', '\1\9\2')), { n = 3, 1, 2, 4 }, 'unpack skips x bytes')
  t.is(packsize('i1 i8'), 9, 'no alignment by default (!1)')
  t.is(packsize('!4 i1 i8'), 12, '!4: an 8-byte item aligns to 4')
  t.is(packsize('!8 i1 i8'), 16, '!8: an 8-byte item aligns to 8')
  t.is(packsize('!8 i1 i2'), 4, '!8: a 2-byte item aligns to 2')
  t.is(pack('<!4 i1 i4', 1, 2), '\1\0\0\0\2\0\0\0', 'padding bytes are zeros')
  t.is_deeply(pk(unpack('<!4 i1 i4', '\1\7\7\7\2\0\0\0')), { n = 3, 1, 2, 9 }, 'unpack ignores padding bytes')
  t.is(packsize('!4 i1 Xi4'), 4, 'Xi4 aligns to 4 without data')
  t.is(pack('<!4 i1 Xi4', 1), '\1\0\0\0', 'X pads with zeros')
  t.is(packsize('!2 i1 Xi8'), 2, 'X is limited by the maximum alignment')
  t.is(packsize('i1 c3 i1'), 5, 'c is not aligned')
  t.is(packsize('!'), 0, '! alone sets the native alignment and packs nothing')
  t.error_like(function() packsize('!4 i3') end, 'power of 2', 'an alignment that is not a power of 2 is an error')
  t.error_like(function() packsize('!17') end, 'out of limits', '!17 is out of limits')
  t.error_like(function() packsize('X') end, 'invalid next option', 'X needs an option after it')
  t.error_like(function() packsize('i1 Xz') end, 'invalid next option', 'X cannot align to a variable-length option')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.packsize'
do
  t.is(packsize(''), 0, 'the empty format has size 0')
  t.is(packsize('i4 i8 d'), 20, 'sizes add up')
  t.is(packsize('<i2 >i2 =i2'), 6, 'endianness does not change sizes')
  t.is(packsize('x'), 1, 'x is one byte')
  t.error_like(function() packsize('s') end, 'variable', 's has no fixed size')
  t.error_like(function() packsize('z') end, 'variable', 'z has no fixed size')
  t.error_like(function() packsize('i4 s1') end, 'variable', 'a variable option anywhere is an error')
  t.is(math.type(packsize('i4')), 'integer', 'packsize returns an integer')
end

t.section '§6.4 string.pack and string.unpack'
do
  local fmt = '<i4 d s1 z B'
  local s = pack(fmt, -7, 2.5, 'str', 'zero', 255)
  local r = pk(unpack(fmt, s))
  t.is_deeply(r, { n = 6, -7, 2.5, 'str', 'zero', 255, #s + 1 }, 'a mixed format round-trips, then the next position')
  t.is(#s, 4 + 8 + 1 + 3 + 5 + 1, 'the packed length')
  local two = pack('<i2 i2', 1, 2)
  t.is_deeply(pk(unpack('<i2', two, 3)), { n = 2, 2, 5 }, 'unpack from a position')
  t.is_deeply(pk(unpack('<i2', two, -2)), { n = 2, 2, 5 }, 'a negative position counts from the end')
  t.is_deeply(pk(unpack('<i2', two)), { n = 2, 1, 3 }, 'unpack reads only what the format says')
  t.is_deeply(pk(unpack('', 'abc')), { n = 1, 1 }, 'the empty format returns only the position')
  t.error_like(function() unpack('i4', 'ab') end, 'too short', 'data too short is an error')
  t.error_like(function() unpack('i1', 'a', 2) end, 'too short', 'nothing left at #s + 1')
  t.error_like(function() unpack('i1', 'a', 3) end, 'out of string', 'a position past #s + 1 is an error')
  t.error_like(function() pack('i4') end, 'bad argument #2', 'a missing value is an error')
  t.error_like(function() pack('i4', 'x') end, 'bad argument #2', 'a non-numeric value is an error')
  t.error_like(function() pack('y', 1) end, 'invalid format option', 'an unknown option is an error')
  t.error_like(function() pack('d', {}) end, 'bad argument #2', 'a table for d is an error')
  t.is(pack('<i2', 1) .. pack('<i2', 2), pack('<i2 i2', 1, 2), 'packing is concatenation')
  t.is(pack('>i2 <i2', 1, 1), '\0\1\1\0', 'endianness can change within a format')
end

t.done_testing()
