-- 005-types-values.t -- Lua 5.4 manual §2.1 (values and types): the eight
-- basic types and type(), false values, integer/float subtypes and
-- math.type, two-complement wrap-around, strings as immutable 8-bit clean
-- byte sequences, nil vs false in tables, objects as references,
-- functions as first-class values. §6.1 type, §6.7 math.type.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with = h.with

-- The value of the expression 'src', or a string naming a compile error.
local function value(src)
  local f, e = compile('return ' .. src)
  if not f then return 'compile error: ' .. tostring(e) end
  return f()
end


local function truthy(v) if v then return true else return false end end

----------------------------------------------------------------------------
t.section '§2.1'
-- type() of every basic type.
do
  local co = coroutine.create(function() end)
  local cases = {
    { nil, 'nil', 'nil' }, { true, 'boolean', 'true' }, { false, 'boolean', 'false' },
    { 0, 'number', '0' }, { -1.5, 'number', '-1.5' }, { 1 / 0, 'number', 'inf' },
    { 0 / 0, 'number', 'NaN' }, { '', 'string', 'empty string' }, { 'x', 'string', '"x"' },
    { '10', 'string', 'numeric string' }, { {}, 'table', '{}' },
    { print, 'function', 'a C function' }, { function() end, 'function', 'a Lua function' },
    { co, 'thread', 'a coroutine' }, { io.stdout, 'userdata', 'io.stdout' },
    { setmetatable({}, { __index = function() end }), 'table', 'a table with a metatable' },
  }
  for _, c in ipairs(cases) do
    t.is(type(c[1]), c[2], 'type of ' .. c[3])
  end
  t.is(type(type), 'function', 'type is a function')
  t.is(type(type(nil)), 'string', 'type returns a string')
  t.is(type(nil), 'nil', 'type(nil) is the string "nil", not nil')
  t.error_like(function() return type() end, 'bad argument #1', 'type() without a value is an error')
  t.is(select('#', type(1)), 1, 'type returns one value')
  t.is(type(1, 'x'), 'number', 'type ignores extra arguments')
  local names = {}
  for _, v in ipairs({ true, 1, 's', {}, print, co, io.stdout }) do names[type(v)] = true end
  names['nil'] = true
  local n = 0
  for _ in pairs(names) do n = n + 1 end
  t.is(n, 8, 'eight distinct type names')
end

-- nil and false are the false values; everything else is true.
do
  local falsy = { [1] = nil, [2] = false }
  t.is(truthy(nil), false, 'nil is false')
  t.is(truthy(false), false, 'false is false')
  local truths = { { 0, '0' }, { '', 'the empty string' }, { {}, 'an empty table' },
                   { 0 / 0, 'NaN' }, { '0', 'the string "0"' }, { 'false', 'the string "false"' },
                   { print, 'a function' }, { -0.0, 'negative zero' }, { 0.0, 'float zero' },
                   { true, 'true' }, { io.stdout, 'a userdata' } }
  for _, c in ipairs(truths) do t.is(truthy(c[1]), true, c[2] .. ' is true') end
  t.ok(nil ~= false, 'nil and false are different values')
  t.ok(not (nil == false), 'nil == false is false')
  t.is(not nil, true, 'not nil')
  t.is(not 0, false, 'not 0')
  t.is(falsy[2], false, 'false is stored in a table')
  t.is(falsy[1], nil, 'nil reads back as absent')
end

-- nil marks an absent key; false is a regular value.
do
  local tb = { a = false, b = nil, c = 1 }
  local keys = {}
  for k in pairs(tb) do keys[#keys + 1] = k end
  table.sort(keys)
  t.is_deeply(keys, { 'a', 'c' }, 'a false field is a key, a nil field is not')
  tb.c = nil
  t.is(next(tb), 'a', 'assigning nil removes the key')
  tb.a = nil
  t.is(next(tb), nil, 'the table is empty after removing every key')
  t.is(tb.zzz, nil, 'a key never set reads as nil')
  t.is(#{ false, false }, 2, 'false values count in a sequence')
end

-- Numbers: integer and float subtypes.
with('integer', 22, function()
  t.is(math.type(1), 'integer', 'math.type(1)')
  t.is(math.type(1.0), 'float', 'math.type(1.0)')
  t.is(math.type(-0.0), 'float', 'math.type(-0.0)')
  t.is(math.type(1 / 0), 'float', 'math.type(inf)')
  t.is(math.type(0 / 0), 'float', 'math.type(NaN)')
  t.is(math.type(2^53), 'float', '2^53 is a float (^ always gives floats)')
  t.is(math.type(value('3 // 1')), 'integer', 'integer // integer')
  t.is(math.type(3 / 1), 'float', '/ always gives a float')
  t.is(math.type(1 + 1.0), 'float', 'mixed + gives a float')
  t.is(math.type(2 * 3), 'integer', 'integer * integer')
  t.is(math.type('1'), nil, 'math.type of a numeric string is fail (nil)')
  t.is(math.type({}), nil, 'math.type of a table is fail')
  t.is(math.type(nil), nil, 'math.type(nil) is fail')
  t.error_like(function() return math.type() end, 'bad argument #1', 'math.type() is an error')
  t.is(type(1), type(1.0), 'both subtypes have type "number"')
  t.ok(1 == 1.0, '1 == 1.0 across subtypes')
  t.is(math.maxinteger, value('9223372036854775807'), 'standard Lua has 64-bit integers: maxinteger')
  t.is(math.mininteger, value('-9223372036854775807 - 1'), 'mininteger is -2^63')
  -- Overflow wraps around (two-complement).
  t.is(math.maxinteger + 1, math.mininteger, 'maxinteger + 1 wraps to mininteger')
  t.is(math.mininteger - 1, math.maxinteger, 'mininteger - 1 wraps to maxinteger')
  t.is(math.maxinteger * 2, -2, 'maxinteger * 2 wraps to -2')
  t.is(-math.mininteger, math.mininteger, '-mininteger wraps to itself')
end)

-- Strings: immutable byte sequences, 8-bit clean.
do
  local s = 'hello'
  local u = s:upper()
  t.is(s, 'hello', 'upper() leaves the original string unchanged')
  t.is(u, 'HELLO', 'upper() returns a new string')
  local r = s:gsub('l', 'L')
  t.is(s, 'hello', 'gsub leaves the original string unchanged')
  t.is(r, 'heLLo', 'gsub returns a new string')
  t.error_like(function() local x = 'abc'; x[1] = 'z' end, 'index', 'a string cannot be assigned into')
  t.error_like(function() local x = 'abc'; x.len = 1 end, 'index', 'a string has no writable fields')
  local all = {}
  for b = 0, 255 do all[#all + 1] = string.char(b) end
  local bytes = table.concat(all)
  t.is(#bytes, 256, 'a string of all 256 byte values')
  local ok = true
  for b = 0, 255 do ok = ok and bytes:byte(b + 1) == b end
  t.ok(ok, 'every byte value is stored')
  t.is(bytes:sub(1, 1), '\0', 'a string can start with a zero byte')
  t.is(#'\0\0\0', 3, 'zeros count in the length')
  t.ok('a\0b' ~= 'a\0c', 'comparison looks past a zero byte')
  t.ok('a' .. 'b' == 'ab', 'strings are equal by contents')
  local a = string.rep('x', 1000)
  local b = string.rep('x', 999) .. 'x'
  t.ok(a == b, 'long strings built differently are equal')
  t.is(#string.rep('ab', 100000), 200000, 'a 200000-byte string')
  t.is(('\255'):byte(), 255, 'bytes are unsigned')
end

-- Tables, functions, threads and userdata are objects: references.
do
  local a = {}
  local b = a
  b.x = 1
  t.is(a.x, 1, 'assignment copies the reference, not the table')
  local function setf(tb) tb.y = 2 end
  setf(a)
  t.is(a.y, 2, 'a table passed as argument is the same table')
  local function same(v) return v end
  t.ok(rawequal(same(a), a), 'a returned table is the same table')
  t.ok({} ~= {}, 'two constructors make two different tables')
  t.ok(a == b, 'two references to one table are equal')
  local co = coroutine.create(function() end)
  local co2 = co
  t.ok(co == co2, 'two references to one thread are equal')
  t.ok(io.stdout == io.stdout and io.stdout ~= io.stderr, 'userdata compared by identity')
  local key1, key2 = {}, {}
  local map = { [key1] = 'one', [key2] = 'two' }
  t.is(map[key1], 'one', 'tables as keys by identity (1)')
  t.is(map[key2], 'two', 'tables as keys by identity (2)')
  t.is(map[{}], nil, 'a fresh table is a different key')
end

-- Functions are first-class values.
do
  local tb = { f = function(x) return x * 2 end }
  t.is(tb.f(4), 8, 'a function stored in a table')
  local function apply(f, x) return f(x) end
  t.is(apply(tb.f, 5), 10, 'a function passed as an argument')
  local function maker() return function() return 'made' end end
  t.is(maker()(), 'made', 'a function returned from a function')
  local fs = { [print] = 'print' }
  t.is(fs[print], 'print', 'a function as a table key')
  t.is(type(tb.f), 'function', 'a field holding a function has type function')
  local g = tb.f
  t.ok(g == tb.f, 'copies of a function value are equal')
end

-- Any value can be stored in a table field, of any type (except nil).
do
  local co = coroutine.create(function() end)
  local vals = { true, false, 0, 1.5, 's', {}, print, co, io.stdout }
  local tb = {}
  for i, v in ipairs(vals) do tb[v] = i end
  local ok = true
  for i, v in ipairs(vals) do ok = ok and tb[v] == i end
  t.ok(ok, 'values of every non-nil type work as keys')
end

t.done_testing()
