-- 047-string-lib.t -- Lua 5.4 manual §6.4 (string manipulation): byte,
-- char, dump, find (plain, init), len, lower, upper, rep (with sep, 5.2+),
-- reverse, sub with every index case, the string metatable and the
-- conversion of number arguments (§3.4.3).
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end
local load = (D.version >= 5.2 or D.luajit) and load or loadstring

-- ---------------------------------------------------------------------
t.section '§6.4 string.byte'
do
  t.is(string.byte('A'), 65, 'byte of a single character')
  t.is(string.byte('ABC'), 65, 'the default i is 1')
  t.is(string.byte('ABC', 2), 66, 'byte(s, i)')
  t.is_deeply(pack(string.byte('ABC', 1, 3)), { n = 3, 65, 66, 67 }, 'byte(s, i, j) returns several codes')
  t.is_deeply(pack(string.byte('ABC', -1)), { n = 1, 67 }, 'a negative index counts from the end')
  t.is_deeply(pack(string.byte('ABC', -2, -1)), { n = 2, 66, 67 }, 'negative i and j')
  t.is_deeply(pack(string.byte('ABC', 2, 10)), { n = 2, 66, 67 }, 'j past the end is corrected to the length')
  t.is_deeply(pack(string.byte('ABC', 0)), { n = 0 }, 'i = 0 with j = i: nothing')
  t.is_deeply(pack(string.byte('ABC', 10)), { n = 0 }, 'an index past the end returns nothing')
  t.is_deeply(pack(string.byte('')), { n = 0 }, 'byte of the empty string returns nothing')
  t.is_deeply(pack(string.byte('ABC', 3, 1)), { n = 0 }, 'i > j returns nothing')
  t.is(string.byte('\0'), 0, 'the zero byte')
  t.is(string.byte('\255'), 255, 'byte 255')
  t.is(('xyz'):byte(-1), 122, 'method call syntax')
  if math.type then
    t.is(math.type(string.byte('A')), 'integer', 'codes are integers (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.char'
do
  t.is(string.char(), '', 'char() is the empty string')
  t.is(string.char(72, 105), 'Hi', 'char of several codes')
  t.is(string.char(0), '\0', 'char(0) is a one-byte string')
  t.is(#string.char(0, 0, 0), 3, 'zero bytes count in the length')
  t.is(string.char(255), '\255', 'char(255)')
  t.is(string.char('65'), 'A', 'a numeric string argument is converted')
  local all = {}
  for i = 0, 255 do all[#all + 1] = i end
  local s = string.char((table.unpack or unpack)(all))
  local okall = #s == 256
  for i = 1, 256 do if s:byte(i) ~= i - 1 then okall = false end end
  t.ok(okall, 'char and byte round-trip all 256 codes')
  t.error_like(function() string.char(256) end, 'bad argument #1', 'char(256) is out of range')
  t.error_like(function() string.char(65, -1) end, 'bad argument #2', 'char(-1) is out of range')
  t.error_like(function() string.char('x') end, 'bad argument #1', 'a non-numeric argument is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.find'
do
  t.is_deeply(pack(string.find('hello world', 'wor')), { n = 2, 7, 9 }, 'find returns the start and end indices')
  t.is(string.find('hello', 'xyz'), nil, 'no match returns nil (fail)')
  t.is_deeply(pack(string.find('hello', 'l+')), { n = 2, 3, 4 }, 'patterns are used by default')
  t.is_deeply(pack(string.find('key=val', '(%w+)=(%w+)')), { n = 4, 1, 7, 'key', 'val' },
              'captures follow the indices')
  t.is_deeply(pack(string.find('abcabc', 'b', 3)), { n = 2, 5, 5 }, 'init starts the search later')
  t.is_deeply(pack(string.find('abcabc', 'b', -2)), { n = 2, 5, 5 }, 'a negative init counts from the end')
  t.is_deeply(pack(string.find('abc', 'a', -10)), { n = 2, 1, 1 }, 'a negative init before the start means 1')
  t.is_deeply(pack(string.find('abc', 'a', 0)), { n = 2, 1, 1 }, 'init 0 means 1')
  t.is_deeply(pack(string.find('abc', '')), { n = 2, 1, 0 }, 'the empty pattern matches at init')
  t.is_deeply(pack(string.find('abc', '', 4)), { n = 2, 4, 3 }, 'the empty pattern matches at #s + 1')
  t.is_deeply(pack(string.find('a.b', '.', 1, true)), { n = 2, 2, 2 }, 'plain: "." is a literal dot')
  t.is_deeply(pack(string.find('a+b', '+', 1, true)), { n = 2, 2, 2 }, 'plain: "+" is literal')
  t.is_deeply(pack(string.find('x[%]y', '[%]', 1, true)), { n = 2, 2, 4 }, 'plain: "[%]" is literal')
  t.is_deeply(pack(string.find('a(b', '(', 1, true)), { n = 2, 2, 2 }, 'plain: an unbalanced "(" is fine')
  t.is_deeply(pack(string.find('a.b.c', '.', 3, true)), { n = 2, 4, 4 }, 'plain with init')
  t.is_deeply(pack(string.find('abc', '^b')), { n = 0 + 1, nil }, 'an anchor must match at init')
  t.is_deeply(pack(string.find('abc', '^b', 2)), { n = 2, 2, 2 }, 'an anchor is relative to init')
  t.is_deeply(pack(string.find('a\0b', '\0', 1, true)), { n = 2, 2, 2 }, 'plain find of an embedded zero')
  t.is_deeply(pack(string.find(12345, 34)), { n = 2, 3, 4 }, 'numbers are converted to strings')
  t.error_like(function() string.find() end, 'bad argument #1', 'find() is an error')
  t.error_like(function() string.find('x') end, 'bad argument #2', 'find without a pattern is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.len'
do
  t.is(string.len(''), 0, 'the empty string has length 0')
  t.is(string.len('a\0bc\0'), 5, 'embedded zeros are counted')
  t.is(('hello'):len(), 5, 'method call')
  t.is(string.len(123), 3, 'a number is converted first')
  t.is(#'a\0b', 3, 'the # operator agrees')
  t.error_like(function() string.len() end, 'bad argument #1', 'len() is an error')
  t.error_like(function() string.len({}) end, 'bad argument #1', 'len of a table is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.lower and string.upper'
do
  t.is(string.lower('Hello WORLD'), 'hello world', 'lower')
  t.is(string.upper('Hello world'), 'HELLO WORLD', 'upper')
  t.is(string.lower('123 !?'), '123 !?', 'lower leaves non-letters unchanged')
  t.is(string.upper('a\0b'), 'A\0B', 'upper keeps embedded zeros')
  t.is(string.lower(''), '', 'lower of the empty string')
  t.is(string.upper(10), '10', 'a number is converted')
  t.is(('MiXeD'):lower():upper(), 'MIXED', 'chained methods')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.rep'
do
  t.is(string.rep('ab', 3), 'ababab', 'rep concatenates n copies')
  t.is(string.rep('ab', 1), 'ab', 'one copy')
  t.is(string.rep('ab', 0), '', 'n = 0 gives the empty string')
  t.is(string.rep('ab', -5), '', 'a negative n gives the empty string')
  t.is(string.rep('', 100), '', 'repeating the empty string')
  t.is(#string.rep('x', 10000), 10000, 'a long repetition')
  t.is(string.rep('a\0', 2), 'a\0a\0', 'embedded zeros are repeated')
  t.is(string.rep(7, 3), '777', 'a number is converted')
  t.error_like(function() string.rep('x') end, 'bad argument #2', 'rep without n is an error')
end

t.section '§6.4 string.rep with a separator (5.2+)'
if D.need(t, 'string_rep_sep', 5) then
  t.is(string.rep('ab', 3, ','), 'ab,ab,ab', 'the separator goes between copies')
  t.is(string.rep('ab', 1, ','), 'ab', 'no separator for a single copy')
  t.is(string.rep('ab', 0, ','), '', 'nothing for n = 0')
  t.is(string.rep('', 3, '-'), '--', 'empty copies with a separator')
  t.is(string.rep('x', 2, ''), 'xx', 'the empty separator is the default')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.reverse'
do
  t.is(string.reverse('abc'), 'cba', 'reverse')
  t.is(string.reverse(''), '', 'reverse of the empty string')
  t.is(string.reverse('a'), 'a', 'reverse of one character')
  t.is(string.reverse('a\0b'), 'b\0a', 'embedded zeros move too')
  t.is(string.reverse(123), '321', 'a number is converted')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.sub'
do
  local s = 'hello'
  t.is(s:sub(2, 4), 'ell', 'sub(i, j)')
  t.is(s:sub(2), 'ello', 'j defaults to -1')
  t.is(s:sub(1, 3), 'hel', 'sub(1, j) is a prefix of length j')
  t.is(s:sub(-3), 'llo', 'sub(-i) is a suffix of length i')
  t.is(s:sub(-3, -2), 'll', 'negative i and j')
  t.is(s:sub(2, -2), 'ell', 'positive i, negative j')
  t.is(s:sub(0), 'hello', 'i = 0 is corrected to 1')
  t.is(s:sub(-100), 'hello', 'i before the start is corrected to 1')
  t.is(s:sub(1, 100), 'hello', 'j past the end is corrected to the length')
  t.is(s:sub(4, 2), '', 'i > j gives the empty string')
  t.is(s:sub(6), '', 'i = #s + 1 gives the empty string')
  t.is(s:sub(100), '', 'i past the end gives the empty string')
  t.is(s:sub(5, 5), 'o', 'a single last character')
  t.is(s:sub(1, 0), '', 'j = 0 gives the empty string')
  t.is(s:sub(-100, -6), '', 'j before the start gives the empty string')
  t.is(s:sub(0, 0), '', 'sub(0, 0) is empty')
  t.is(s:sub(-5, 1), 'h', 'i = -#s is the first character')
  t.is(string.sub('', 1, 1), '', 'sub of the empty string')
  t.is(string.sub(12345, 2, 3), '23', 'a number is converted')
  t.is(s:sub(2.0, 3.0), 'el', 'float indices with integral values')
  if D.has.integer then
    t.is(s:sub(math.mininteger, math.maxinteger), 'hello', 'extreme integer indices are corrected (5.3+)')
    t.is(s:sub(math.maxinteger), '', 'maxinteger as i gives the empty string (5.3+)')
  else
    t.skip('integer limits are 5.3+', 2)
  end
  t.error_like(function() string.sub('x') end, 'bad argument #2', 'sub without i is an error')
  t.error_like(function() string.sub('x', 'a') end, 'bad argument #2', 'a non-numeric index is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.dump'
do
  local function f(a, b) return a * b + 1 end
  local d = string.dump(f)
  t.is(type(d), 'string', 'dump returns a string')
  local g = load(d)
  t.is(type(g), 'function', 'load accepts the binary chunk')
  t.is(g(6, 7), 43, 'the loaded copy computes the same thing')
  t.ok(g ~= f, 'and is a different function')
  t.error_like(function() string.dump(string.rep) end, 'unable to dump', 'a C function cannot be dumped')
  t.error_like(function() string.dump() end, 'bad argument #1', 'dump() is an error')
  local a, b = 'up1', 'up2'
  local function h() return a, b end
  local copy = load(string.dump(h))
  local _, r2 = copy()
  t.is(r2, nil, 'upvalues of a reloaded function are fresh (the second one is nil)')
  local function one() return a end
  local r1 = load(string.dump(one))()
  if D.version >= 5.2 and not D.luajit then
    t.ok(r1 == _G, 'a single upvalue is set to the global environment by load (5.2+)')
  else
    t.is(r1, nil, 'all upvalues start as nil (5.1)')
  end
  if D.version >= 5.3 then
    local stripped = string.dump(f, true)
    t.is(load(stripped)(2, 3), 7, 'a stripped dump still loads and runs (5.3+)')
  else
    t.skip('the strip argument is 5.3+', 1)
  end
  if D.version >= 5.2 then
    local fn, msg = load(d, 'bin', 't')
    t.ok(fn == nil and msg:match('binary'), 'mode "t" refuses a binary chunk (5.2+)')
  else
    t.skip('load modes are 5.2+', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.4 the string metatable'
do
  local mt = getmetatable('')
  t.is(type(mt), 'table', 'strings share a metatable')
  t.ok(mt.__index == string, 'whose __index is the string table')
  t.ok(getmetatable('a') == getmetatable('b'), 'the same for every string')
  t.is(('%d'):format(5), '5', 'methods on a literal')
  local s = 'abc'
  t.is(s:upper(), string.upper(s), 's:f() is string.f(s)')
  t.error_like(function() local n = 5 return n:rep(2) end, '', 'numbers have no string methods')
end

t.done_testing()
