-- §2.4 Metatables and Metamethods: __eq, __lt, __le; §3.4.4 a > b is
-- b < a and a >= b is b <= a. The rules differ by dialect, each per its
-- own manual:
--   __eq: 5.3+ use the first operand's metamethod, else the second's;
--         5.1/5.2 call it only when both operands have the same one.
--   __lt/__le on mixed types or different metamethods: 5.2+ as for
--         arithmetic; 5.1 needs the same type and the same metamethod.
--   __le absent: 5.1-5.3 emulate a <= b as not (b < a); 5.4 does not
--         (5.4 manual §8.1).
local t = require 'tap'
local D = require 'lvt_dialect'

local calls
local function counted(result, tag)
  return function(a, b)
    local function n(v) return type(v) == 'table' and (rawget(v, 'name') or '?') or tostring(v) end
    calls[#calls + 1] = (tag or '') .. n(a) .. ',' .. n(b)
    return result
  end
end
local function log() return table.concat(calls, ' ') end

----------------------------------------------------------------------------
t.section '§2.4'
-- __eq, common to every dialect.
do
  local mt = {}
  mt.__eq = counted(true)
  local a = setmetatable({name = 'a'}, mt)
  local b = setmetatable({name = 'b'}, mt)
  calls = {}
  t.is(a == b, true, 'same __eq: a == b calls it')
  t.is(log(), 'a,b', '__eq gets the operands in order')
  calls = {}
  t.is(a ~= b, false, 'a ~= b is not (a == b)')
  t.is(#calls, 1, 'a ~= b calls __eq once')
  calls = {}
  t.is(a == a, true, 'a == a is true')
  t.is(#calls, 0, '__eq not called for raw-equal operands')
  calls = {}
  t.is(a == 1, false, 'table == number is false')
  t.is(a == 'a', false, 'table == string is false')
  t.is(a == nil, false, 'table == nil is false')
  t.is(#calls, 0, '__eq not called for different types')
  mt.__eq = function() return 1 end
  t.is(a == b, true, '__eq result 1 converted to true')
  mt.__eq = function() return nil end
  t.is(a == b, false, '__eq result nil converted to false')
  mt.__eq = function() return false, true end
  t.is(a == b, false, '__eq result truncated to its first value')
  mt.__eq = function() return 'yes' end
  t.is(type(a == b), 'boolean', 'a == b is always a boolean')
  t.is(a ~= b, false, '~= negates the converted result')
  -- Same function in two metatables.
  local f = counted(true)
  local c = setmetatable({name = 'c'}, {__eq = f})
  local d = setmetatable({name = 'd'}, {__eq = f})
  calls = {}
  t.is(c == d, true, 'the same __eq function in two metatables is called')
end

-- __eq with different metamethods, or one missing.
do
  local a = setmetatable({name = 'a'}, {__eq = counted(true, 'A:')})
  local b = setmetatable({name = 'b'}, {__eq = counted(true, 'B:')})
  local p = {name = 'p'}
  if D.version >= 5.3 then
    calls = {}
    t.is(a == b, true, 'different __eq: first operand\'s is used (5.3+)')
    t.is(log(), 'A:a,b', 'different __eq: A called with (a, b) (5.3+)')
    calls = {}
    t.is(b == a, true, 'reversed: first operand\'s is used (5.3+)')
    t.is(log(), 'B:b,a', 'reversed: B called with (b, a) (5.3+)')
    calls = {}
    t.is(p == a, true, 'plain == a: second operand\'s is used (5.3+)')
    t.is(log(), 'A:p,a', 'plain == a: A called with (p, a) (5.3+)')
    calls = {}
    t.is(a == p, true, 'a == plain: first operand\'s is used (5.3+)')
  else
    calls = {}
    t.is(a == b, false, 'different __eq: no call, not equal (5.1/5.2)')
    t.is(#calls, 0, 'different __eq: neither called (5.1/5.2)')
    t.is(b == a, false, 'reversed: not equal (5.1/5.2)')
    t.is(#calls, 0, 'reversed: neither called (5.1/5.2)')
    t.is(p == a, false, 'plain == a: not equal (5.1/5.2)')
    t.is(#calls, 0, 'plain == a: not called (5.1/5.2)')
    t.is(a == p, false, 'a == plain: not equal (5.1/5.2)')
  end
end

----------------------------------------------------------------------------
-- __lt and __le, common to every dialect: same type, same metamethod.
t.section '§3.4.4'
do
  local mt = {__lt = counted(true, 'lt:'), __le = counted(true, 'le:')}
  local a = setmetatable({name = 'a'}, mt)
  local b = setmetatable({name = 'b'}, mt)
  calls = {}
  t.is(a < b, true, 'a < b calls __lt')
  t.is(log(), 'lt:a,b', 'a < b: __lt(a, b)')
  calls = {}
  t.is(a > b, true, 'a > b calls __lt')
  t.is(log(), 'lt:b,a', 'a > b is b < a: __lt(b, a)')
  calls = {}
  t.is(a <= b, true, 'a <= b calls __le')
  t.is(log(), 'le:a,b', 'a <= b: __le(a, b)')
  calls = {}
  t.is(a >= b, true, 'a >= b calls __le')
  t.is(log(), 'le:b,a', 'a >= b is b <= a: __le(b, a)')
  calls = {}
  local _ = a < a
  t.is(#calls, 1, '__lt called even for the same operand')
  mt.__lt = function() return 0 end
  t.is(a < b, true, '__lt result 0 converted to true')
  mt.__lt = function() return nil, true end
  t.is(a < b, false, '__lt result truncated and converted to false')
  mt.__le = function() return 'x' end
  t.is(a <= b, true, '__le result converted to true')
  t.is(type(a <= b), 'boolean', 'a <= b is a boolean')
  mt.__lt = function(x, y) return x.name < y.name end
  t.is(not (b < a), true, 'not (b < a)')
  local sorted = {setmetatable({name = 'c'}, mt), b, a}
  table.sort(sorted)
  t.is(sorted[1].name .. sorted[2].name .. sorted[3].name, 'abc', 'table.sort uses __lt')
  local only_le = setmetatable({name = 'o'}, {__le = function() return true end})
  t.error_like(function() return only_le < only_le end, 'compare', '__le alone does not give <')
end

-- Mixed types and different metamethods.
do
  local a = setmetatable({name = 'a'}, {__lt = counted(true, 'A:'), __le = counted(true, 'A:')})
  local b = setmetatable({name = 'b'}, {__lt = counted(true, 'B:')})
  if D.version >= 5.2 then
    calls = {}
    t.is(a < 1, true, 'table < number uses __lt (5.2+)')
    t.is(log(), 'A:a,1', 'table < number: __lt(a, 1) (5.2+)')
    calls = {}
    t.is(1 < a, true, 'number < table uses __lt (5.2+)')
    t.is(log(), 'A:1,a', 'number < table: __lt(1, a) (5.2+)')
    calls = {}
    t.is('s' <= a, true, 'string <= table uses __le (5.2+)')
    calls = {}
    t.is(a < b, true, 'different __lt: first operand\'s (5.2+)')
    t.is(log(), 'A:a,b', 'different __lt: A called (5.2+)')
    calls = {}
    t.is(b < a, true, 'reversed: B called (5.2+)')
    t.is(log(), 'B:b,a', 'reversed: B called with (b, a) (5.2+)')
  else
    t.error_like(function() return a < 1 end, 'compare', 'table < number raises (5.1)')
    t.error_like(function() return 1 < a end, 'compare', 'number < table raises (5.1)')
    t.error_like(function() return 's' <= a end, 'compare', 'string <= table raises (5.1)')
    t.error_like(function() return a < b end, 'compare', 'different __lt raises (5.1)')
    t.error_like(function() return b < a end, 'compare', 'different __lt reversed raises (5.1)')
    t.skip('mixed-type __lt is 5.2+', 4)
  end
end

-- __le absent, __lt present.
do
  local mt = {__lt = counted(false, 'lt:')}
  local a = setmetatable({name = 'a'}, mt)
  local b = setmetatable({name = 'b'}, mt)
  if D.version >= 5.4 then
    -- Debian's lua5.4 is built with LUA_COMPAT_5_3, which turns on
    -- LUA_COMPAT_LT_LE (and LUA_COMPAT_MATHLIB: math.pow); the reference
    -- VM is built without it. Such a build is marked TODO, not failed.
    if math.pow then
      t.todo('this 5.4 build has LUA_COMPAT_LT_LE (LUA_COMPAT_5_3): __le is still emulated', 2)
    end
    t.error_like(function() return a <= b end, 'compare', 'a <= b without __le raises (5.4)')
    t.error_like(function() return a >= b end, 'compare', 'a >= b without __le raises (5.4)')
  else
    calls = {}
    t.is(a <= b, true, 'a <= b emulated as not (b < a) (5.1-5.3)')
    t.is(log(), 'lt:b,a', 'emulation calls __lt(b, a) (5.1-5.3)')
  end
end

t.done_testing()
