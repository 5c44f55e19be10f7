-- 046-basic-lib.t -- Lua 5.4 manual §6.1 (basic functions): assert,
-- ipairs, next, pairs (with __pairs, 5.2+), rawequal, rawlen, rawget,
-- rawset, select, tonumber, tostring, type, getmetatable, setmetatable,
-- print (through tostring), unpack (5.1), warn (5.4), _G, _VERSION.
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end

-- ---------------------------------------------------------------------
t.section '§6.1 assert'
do
  t.is_deeply(pack(assert(1, 'two', nil, 4)), { n = 4, 1, 'two', nil, 4 }, 'assert returns all its arguments')
  t.is_deeply(pack(assert(0)), { n = 1, 0 }, '0 is true for assert')
  t.is_deeply(pack(assert('')), { n = 1, '' }, 'the empty string is true for assert')
  local ok, e = pcall(assert, false)
  t.ok(not ok and e == 'assertion failed!', 'assert(false): the message is "assertion failed!"')
  local ok2, e2 = pcall(assert, nil, 'custom message')
  t.ok(not ok2 and e2 == 'custom message', 'assert(nil, msg) raises msg unchanged (no position added)')
  t.is(pcall(assert), false, 'assert() with no value is an error')
  if D.version >= 5.3 then
    local obj = {}
    local ok3, e3 = pcall(assert, false, obj)
    t.ok(not ok3 and rawequal(e3, obj), 'a table message is the error object itself (5.3+)')
    local _, e4 = pcall(assert, false, 42)
    t.is(e4, 42, 'a number message stays a number (5.3+)')
  else
    t.skip('the message of assert is a string before 5.3', 2)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.1 ipairs'
do
  local tbl = { 'a', 'b', 'c', nil, 'e' }
  local got = {}
  for i, v in ipairs(tbl) do got[#got + 1] = i .. v end
  t.is_deeply(got, { '1a', '2b', '3c' }, 'ipairs stops at the first nil')
  local f, s, init = ipairs(tbl)
  t.is(type(f), 'function', 'ipairs returns an iterator function')
  t.ok(s == tbl and init == 0, 'the table and 0 as the control value')
  local i1, v1 = f(tbl, 0)
  t.ok(i1 == 1 and v1 == 'a', 'the iterator called with 0 gives 1 and t[1]')
  t.is(f(tbl, 3), nil, 'the iterator returns nil at the end')
  local n = 0
  for _ in ipairs({}) do n = n + 1 end
  t.is(n, 0, 'ipairs over an empty table runs zero times')
  local sparse = { [2] = 'x' }
  n = 0
  for _ in ipairs(sparse) do n = n + 1 end
  t.is(n, 0, 'ipairs ignores entries after a missing t[1]')
  local h = { 1, 2, x = 'hash', [4] = 4 }
  got = {}
  for i in ipairs(h) do got[#got + 1] = i end
  t.is_deeply(got, { 1, 2 }, 'ipairs ignores non-sequence keys')
  t.error_like(function() ipairs() end, 'bad argument #1', 'ipairs() is an error')
end

do
  local proxy = setmetatable({}, { __index = function(_, i) if i <= 3 then return i * 10 end end })
  local got = {}
  for i, v in ipairs(proxy) do got[i] = v end
  if D.version >= 5.3 then
    t.is_deeply(got, { 10, 20, 30 }, 'ipairs respects __index (5.3+)')
  else
    t.is_deeply(got, {}, 'ipairs reads raw values (5.1, 5.2)')
  end
  if D.version == 5.2 then
    local mt = { __ipairs = function(tb) return function(_, i) if i < 2 then return i + 1, 'ip' end end, tb, 0 end }
    local got2 = {}
    for i, v in ipairs(setmetatable({}, mt)) do got2[i] = v end
    t.is_deeply(got2, { 'ip', 'ip' }, 'ipairs calls __ipairs (5.2)')
  else
    t.skip('__ipairs exists only in 5.2', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.1 next'
do
  t.is(next({}), nil, 'next of an empty table is nil')
  local tbl = { 10, 20, x = 'y', [true] = false }
  local seen, n = {}, 0
  local k, v = next(tbl)
  while k ~= nil do
    seen[k] = v
    n = n + 1
    k, v = next(tbl, k)
  end
  t.is(n, 4, 'next visits every key once')
  t.is_deeply(seen, tbl, 'with its value')
  local k1 = next(tbl)
  t.ok(next(tbl, nil) == k1, 'next(t, nil) is next(t)')
  local only = { solo = 1 }
  t.is(next(only, 'solo'), nil, 'next after the last key is nil')
  t.is(select('#', next({})), 1, 'next of an empty table returns one nil')
  t.error_like(function() next({}, 'absent') end, '', 'next with a key not in the table is an error')
  t.error_like(function() next() end, 'bad argument #1', 'next() is an error')
  -- clearing fields during traversal is allowed
  local big = {}
  for i = 1, 100 do big['k' .. i] = i end
  local cleared = 0
  for key in pairs(big) do big[key] = nil cleared = cleared + 1 end
  t.is(cleared, 100, 'assigning nil to existing fields during traversal is allowed')
  t.is(next(big), nil, 'and leaves the table empty')
end

-- ---------------------------------------------------------------------
t.section '§6.1 pairs'
do
  local tbl = { 1, 2, a = 'b' }
  local f, s, c = pairs(tbl)
  local one = { only = 'v' }
  local f1 = pairs(one)
  t.ok(f1(one) == 'only' and f1(one, 'only') == nil, 'pairs returns the next function (it iterates like next)')
  t.ok(s == tbl and c == nil, 'the table and nil')
  local n = 0
  for _ in pairs(tbl) do n = n + 1 end
  t.is(n, 3, 'pairs visits every key')
  t.error_like(function() pairs() end, 'bad argument #1', 'pairs() is an error')
  t.error_like(function() for _ in pairs(nil) do end end, '', 'iterating pairs(nil) is an error')
end

do
  if D.has.pairs_metamethod then
    local log = {}
    local mt = { __pairs = function(tb)
      log[#log + 1] = tb
      return function(_, k) if not k then return 1, 'one' elseif k < 3 then return k + 1, 'more' end end, 'state', nil
    end }
    local obj = setmetatable({ ignored = true }, mt)
    local got = {}
    for k, v in pairs(obj) do got[k] = v end
    t.is_deeply(got, { 'one', 'more', 'more' }, 'pairs calls __pairs and iterates what it returns')
    t.ok(log[1] == obj, '__pairs receives the table')
    local f, s, c = pairs(obj)
    t.ok(type(f) == 'function' and s == 'state' and c == nil, 'pairs returns the three results of __pairs')
  else
    t.skip('__pairs is 5.2+', 3)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.1 rawequal'
do
  local mt = { __eq = function() return true end }
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  t.is(a == b, true, '__eq makes two tables equal')
  t.is(rawequal(a, b), false, 'rawequal ignores __eq')
  t.is(rawequal(a, a), true, 'rawequal of a value with itself')
  t.is(rawequal('x', 'x'), true, 'equal strings are rawequal')
  t.is(rawequal(1, 1.0), true, 'numbers with the same value are rawequal')
  t.is(rawequal(1, '1'), false, 'a number and a string are not rawequal')
  t.is(rawequal(nil, false), false, 'nil and false are not rawequal')
  t.error_like(function() rawequal(1) end, 'bad argument #2', 'rawequal needs two arguments')
end

t.section '§6.1 rawlen (5.2+)'
if D.need(t, 'rawlen', 5) then
  local obj = setmetatable({ 1, 2, 3 }, { __len = function() return 99 end })
  t.is(#obj, 99, '# uses __len')
  t.is(rawlen(obj), 3, 'rawlen ignores __len')
  t.is(rawlen('hello'), 5, 'rawlen of a string is its length')
  t.is(rawlen({}), 0, 'rawlen of an empty table is 0')
  t.error_like(function() rawlen(5) end, 'bad argument #1', 'rawlen of a number is an error')
end

t.section '§6.1 rawget and rawset'
do
  local log = {}
  local obj = setmetatable({ present = 'raw' }, {
    __index = function(_, k) log[#log + 1] = 'index ' .. k return 'meta' end,
    __newindex = function(_, k) log[#log + 1] = 'newindex ' .. k end,
  })
  t.is(obj.absent, 'meta', '__index supplies absent keys')
  t.is(rawget(obj, 'absent'), nil, 'rawget does not call __index')
  t.is(rawget(obj, 'present'), 'raw', 'rawget reads present keys')
  obj.newkey = 1
  t.is(rawget(obj, 'newkey'), nil, '__newindex intercepted the assignment')
  local r = rawset(obj, 'newkey', 2)
  t.ok(r == obj, 'rawset returns the table')
  t.is(rawget(obj, 'newkey'), 2, 'rawset stores without calling __newindex')
  t.is_deeply(log, { 'index absent', 'newindex newkey' }, 'only the non-raw accesses called metamethods')
  t.error_like(function() rawset({}, nil, 1) end, 'index is nil', 'rawset with a nil key is an error')
  t.error_like(function() rawset({}, 0 / 0, 1) end, 'NaN', 'rawset with a NaN key is an error')
  t.error_like(function() rawget('str', 1) end, 'bad argument #1', 'rawget on a string is an error')
  t.error_like(function() rawset(1, 1, 1) end, 'bad argument #1', 'rawset on a number is an error')
  t.is(rawget({ [1.0] = 'f' }, 1), 'f', 'rawget normalises float keys with integer values')
end

-- ---------------------------------------------------------------------
t.section '§6.1 select'
do
  t.is(select('#'), 0, 'select("#") with no extra arguments is 0')
  t.is(select('#', nil, nil), 2, 'nils count')
  t.is_deeply(pack(select(2, 'a', 'b', 'c')), { n = 2, 'b', 'c' }, 'select(n, ...) returns arguments from n on')
  t.is_deeply(pack(select(4, 'a', 'b', 'c')), { n = 0 }, 'select past the end returns nothing')
  t.is_deeply(pack(select(-1, 'a', 'b', 'c')), { n = 1, 'c' }, 'select(-1, ...) returns the last argument')
  t.is_deeply(pack(select(-3, 'a', 'b', 'c')), { n = 3, 'a', 'b', 'c' }, 'select(-n, ...) with n = count returns all')
  t.error_like(function() select(-4, 'a', 'b', 'c') end, 'bad argument #1', 'a negative index beyond the start is an error')
  t.error_like(function() select(0, 'a') end, 'bad argument #1', 'select(0, ...) is an error')
  t.error_like(function() select('x', 1) end, 'bad argument #1', 'a non-numeric index other than "#" is an error')
  t.is(select('2', 'a', 'b'), 'b', 'a numeric string index is converted')
end

-- ---------------------------------------------------------------------
t.section '§6.1 tonumber'
do
  t.is(tonumber('10'), 10, 'decimal integer string')
  t.is(tonumber('  -7  '), -7, 'leading and trailing spaces and a sign')
  t.is(tonumber('0x1F'), 31, 'hexadecimal string without a base')
  t.is(tonumber('-0x10'), -16, 'negative hexadecimal string')
  t.is(tonumber('1e2'), 100.0, 'exponent notation')
  t.is(tonumber('.5'), 0.5, 'a leading dot')
  t.is(tonumber('5.'), 5.0, 'a trailing dot')
  t.is(tonumber(42), 42, 'a number is returned as is')
  t.is(tonumber(''), nil, 'the empty string is not a number')
  t.is(tonumber('  '), nil, 'spaces only is not a number')
  t.is(tonumber('1 2'), nil, 'inner spaces make it not a number')
  t.is(tonumber('0x'), nil, 'a bare 0x is not a number')
  t.is(tonumber('1e'), nil, 'an exponent without digits is not a number')
  t.is(tonumber('abc'), nil, 'letters are not a number')
  t.is(tonumber({}), nil, 'a table is not convertible')
  t.is(tonumber(nil), nil, 'nil is not convertible')
  t.error_like(function() tonumber() end, 'bad argument #1', 'tonumber() is an error')
  -- with a base
  t.is(tonumber('ff', 16), 255, 'base 16')
  t.is(tonumber('FF', 16), 255, 'upper-case digits')
  t.is(tonumber('777', 8), 511, 'base 8')
  t.is(tonumber('1010', 2), 10, 'base 2')
  t.is(tonumber('z', 36), 35, 'base 36: z is 35')
  t.is(tonumber('Zz', 36), 35 * 36 + 35, 'base 36 in both cases')
  t.is(tonumber('  11  ', 2), 3, 'spaces around with a base')
  t.is(tonumber('8', 8), nil, 'a digit out of the base gives nil')
  t.is(tonumber('1.5', 8), nil, 'with a base other than 10 only integer numerals are accepted')
  if D.version >= 5.2 then
    t.is(tonumber('1.5', 10), nil, 'with any explicit base only integer numerals are accepted (5.2+)')
    t.is(tonumber('0x10', 16), nil, 'with a base the 0x prefix is not accepted (5.2+)')
  else
    t.skip('5.1 treats an explicit base 10 as the default conversion', 1)
    t.skip('5.1 leaves prefixes to strtoul', 1)
  end
  t.error_like(function() tonumber('1', 1) end, 'base out of range', 'base 1 is out of range')
  t.error_like(function() tonumber('1', 37) end, 'base out of range', 'base 37 is out of range')
  if D.version >= 5.2 then
    t.is(tonumber('-ff', 16), -255, 'a sign is allowed with a base (5.2+)')
  else
    t.skip('a sign with a base is specified from 5.2 on', 1)
  end
  if D.version >= 5.3 then
    t.is(math.type(tonumber('10')), 'integer', 'an integer numeral converts to an integer (5.3+)')
    t.is(math.type(tonumber('10.0')), 'float', 'a float numeral converts to a float (5.3+)')
    t.is(math.type(tonumber('ff', 16)), 'integer', 'a numeral with a base converts to an integer (5.3+)')
    t.error_like(function() tonumber(10, 16) end, 'bad argument #1', 'with a base the value must be a string (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 4)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.1 tostring'
do
  t.is(tostring(nil), 'nil', 'tostring(nil)')
  t.is(tostring(true), 'true', 'tostring(true)')
  t.is(tostring(false), 'false', 'tostring(false)')
  t.is(tostring(123), '123', 'tostring of an integer value')
  t.is(tostring(-1.5), '-1.5', 'tostring of a float')
  t.is(tostring('s'), 's', 'tostring of a string is the string')
  t.is(tostring(1e100), '1e+100', 'tostring of a big float')
  if D.version >= 5.3 then
    t.is(tostring(3.0), '3.0', 'a float with an integral value keeps ".0" (5.3+)')
    t.is(tostring(-0.0), '-0.0', 'negative zero (5.3+)')
  else
    t.is(tostring(3.0), '3', 'a float with an integral value prints as an integer (5.1, 5.2)')
    t.ok(tostring(-0.0) == '-0' or tostring(-0.0) == '0', 'negative zero (5.1, 5.2)')
  end
  t.like(tostring({}), '^table: ', 'tables print as "table: ..."')
  t.like(tostring(print), '^function: ', 'functions print as "function: ..."')
  t.like(tostring(coroutine.create(function() end)), '^thread: ', 'threads print as "thread: ..."')
  local a, b = {}, {}
  t.isnt(tostring(a), tostring(b), 'distinct tables give distinct strings')
  t.is(tostring(a), tostring(a), 'the same table gives the same string')
  local obj = setmetatable({}, { __tostring = function(self) return 'I am obj' end })
  t.is(tostring(obj), 'I am obj', '__tostring is used')
  local seen
  local obj2 = setmetatable({}, { __tostring = function(self) seen = self return 'x' end })
  tostring(obj2)
  t.ok(seen == obj2, '__tostring receives the value')
  t.error_like(function() tostring() end, 'bad argument #1', 'tostring() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.1 type'
do
  t.is(type(nil), 'nil', 'type nil')
  t.is(type(true), 'boolean', 'type boolean')
  t.is(type(0), 'number', 'type number')
  t.is(type(''), 'string', 'type string')
  t.is(type({}), 'table', 'type table')
  t.is(type(type), 'function', 'type function (C)')
  t.is(type(function() end), 'function', 'type function (Lua)')
  t.is(type(coroutine.create(function() end)), 'thread', 'type thread')
  if D.need(t, 'io_files', 1) then
    local name = os.tmpname()
    local h = io.open(name, 'w')
    t.is(type(h), 'userdata', 'type userdata (a file handle)')
    h:close()
    os.remove(name)
  end
  t.is(type(setmetatable({}, { __name = 'X', __type = 'X' })), 'table', 'metatables do not change type')
  t.error_like(function() type() end, 'bad argument #1', 'type() is an error')
  t.is(type(type(nil)), 'string', 'type returns a string')
end

-- ---------------------------------------------------------------------
t.section '§6.1 getmetatable and setmetatable'
do
  local tbl = {}
  local mt = {}
  t.is(getmetatable(tbl), nil, 'a new table has no metatable')
  t.ok(setmetatable(tbl, mt) == tbl, 'setmetatable returns its first argument')
  t.ok(getmetatable(tbl) == mt, 'getmetatable returns the metatable')
  setmetatable(tbl, nil)
  t.is(getmetatable(tbl), nil, 'setmetatable(t, nil) removes it')
  local guarded = setmetatable({}, { __metatable = 'locked' })
  t.is(getmetatable(guarded), 'locked', 'getmetatable returns the __metatable field')
  t.error_like(function() setmetatable(guarded, {}) end, 'protected metatable', 'a protected metatable cannot be changed')
  t.error_like(function() setmetatable(guarded, nil) end, 'protected metatable', 'nor removed')
  local falsy = setmetatable({}, { __metatable = false })
  t.is(getmetatable(falsy), false, '__metatable = false is returned as false')
  t.error_like(function() setmetatable(falsy, {}) end, 'protected metatable', 'and still protects')
  t.error_like(function() setmetatable({}, 5) end, 'bad argument #2', 'the metatable must be nil or a table')
  t.error_like(function() setmetatable(5, {}) end, 'bad argument #1', 'only tables take a metatable from Lua')
  t.error_like(function() setmetatable({}) end, 'bad argument #2', 'setmetatable(t) without a second argument is an error')
  t.ok(getmetatable('').__index == string, 'strings have a metatable whose __index is string')
  t.is(getmetatable(1), nil, 'numbers have no metatable by default')
  t.is(getmetatable(print), nil, 'functions have no metatable by default')
  t.is(getmetatable(nil), nil, 'nil has no metatable by default')
  t.error_like(function() getmetatable() end, 'bad argument #1', 'getmetatable() is an error')
  t.ok(debug.getmetatable(guarded).__metatable == 'locked', 'debug.getmetatable bypasses __metatable')
end

-- ---------------------------------------------------------------------
t.section '§6.1 print'
do
  local calls = 0
  local obj = setmetatable({}, { __tostring = function() calls = calls + 1 return '# print goes through __tostring' end })
  print(obj)
  t.is(calls, 1, 'print converts its arguments like tostring (calls __tostring)')
  t.is(select('#', print('# print returns nothing')), 0, 'print returns no values')
  if D.version <= 5.3 then
    local old = tostring
    local seen = 0
    tostring = function(v) seen = seen + 1 return old(v) end   -- luacheck: ignore
    print('# via the global tostring', 2)
    tostring = old                                            -- luacheck: ignore
    t.is(seen, 2, 'print calls the global tostring for each argument (5.1-5.3)')
  else
    local old = tostring
    local seen = 0
    tostring = function(v) seen = seen + 1 return old(v) end   -- luacheck: ignore
    print('# not via the global tostring')
    tostring = old                                            -- luacheck: ignore
    t.is(seen, 0, 'print does not call the global tostring (5.4)')
  end
end

-- ---------------------------------------------------------------------
t.section '§6.1 unpack (5.1)'
if D.version == 5.1 then
  t.is_deeply(pack(unpack({ 1, 2, 3 })), { n = 3, 1, 2, 3 }, 'unpack returns the elements')
  t.is_deeply(pack(unpack({ 1, 2, 3 }, 2)), { n = 2, 2, 3 }, 'unpack from i')
  t.is_deeply(pack(unpack({ 1, 2, 3 }, 2, 5)), { n = 4, 2, 3, nil, nil }, 'unpack from i to j past the end')
  t.is_deeply(pack(unpack({}, 1, 0)), { n = 0 }, 'unpack with i > j returns nothing')
else
  t.skip('unpack is a global only in 5.1 (table.unpack: see 052)', 4)
end

-- ---------------------------------------------------------------------
t.section '§6.1 warn (5.4)'
if D.need(t, 'warn', 5) then
  t.lives_ok(function() warn('@off') end, 'warn("@off") is accepted')
  t.lives_ok(function() warn('not ', 'shown') end, 'warn with several string pieces')
  t.is(select('#', warn('x')), 0, 'warn returns nothing')
  t.error_like(function() warn() end, 'bad argument #1', 'warn() needs a message')
  t.error_like(function() warn('a', {}) end, 'bad argument #2', 'every piece must be a string')
end

-- ---------------------------------------------------------------------
t.section '§6.1 _G and _VERSION'
do
  t.ok(_G._G == _G, '_G._G is _G')
  t.ok(_G.print == print, 'globals are fields of _G')
  t.like(_VERSION, '^Lua 5%.%d$', '_VERSION is "Lua 5.x"')
  t.is(_VERSION, 'Lua ' .. string.format('%.1f', D.version), '_VERSION names the dialect')
end

t.done_testing()
