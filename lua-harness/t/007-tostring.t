-- 007-tostring.t -- Lua 5.4 manual §3.4.3 (conversion from numbers to
-- strings) and §6.1 tostring: integers print as their decimal digits and
-- read back; floats keep looking like floats (5.3 manual §8.1: "the float
-- 2.0 will be printed as 2.0"); __tostring and its result; string.format
-- %s follows tostring (§6.4); what tostring does NOT affect (concatenation
-- uses __concat only, §3.4.6; numbers have no string methods).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect

-- The value of the expression 'src', or a string naming a compile error.
local function value(src)
  local f, e = compile('return ' .. src)
  if not f then return 'compile error: ' .. tostring(e) end
  return f()
end

----------------------------------------------------------------------------
t.section '§3.4.3'
-- Small integral values print as their digits in every dialect.
do
  local cases = { { '0', '0' }, { '1', '1' }, { '-1', '-1' }, { '42', '42' },
                  { '1000000', '1000000' }, { '-987654321', '-987654321' },
                  { '2147483648', '2147483648' }, { '4294967296', '4294967296' },
                  { '12345678901234', '12345678901234' } }
  for _, c in ipairs(cases) do
    t.is(tostring(value(c[1])), c[2], 'tostring(' .. c[1] .. ')')
    t.is(value(c[1]) .. '', c[2], c[1] .. ' .. ""')
  end
end

-- 5.3+: every integer prints as its exact decimal digits and reads back.
if D.has.int64 then
  local bad = {}
  local ints = {}
  local p = 1
  for k = 0, 62 do ints[#ints + 1] = p; ints[#ints + 1] = -p; ints[#ints + 1] = p - 1; p = p * 2 end
  ints[#ints + 1] = math.maxinteger
  ints[#ints + 1] = math.mininteger
  for _, i in ipairs(ints) do
    local s = tostring(i)
    if s ~= string.format('%d', i) then bad[#bad + 1] = s end
  end
  t.is(table.concat(bad, ' '), '', 'tostring of +-2^k and 2^k-1 equals %d (5.3+)')
  bad = {}
  for _, i in ipairs(ints) do
    local back = tonumber(tostring(i))
    if back ~= i or math.type(back) ~= 'integer' then bad[#bad + 1] = tostring(i) end
  end
  t.is(table.concat(bad, ' '), '', 'every such integer reads back as the same integer (5.3+)')
  bad = {}
  for _, i in ipairs(ints) do
    if tostring(i):find('[^%-0-9]') then bad[#bad + 1] = tostring(i) end
  end
  t.is(table.concat(bad, ' '), '', 'an integer prints with digits and a sign only (5.3+)')
  t.is(tostring(math.mininteger), '-9223372036854775808', 'tostring(math.mininteger)')
  t.is(tostring(math.maxinteger), '9223372036854775807', 'tostring(math.maxinteger)')
else
  t.skip('needs int64 (not in ' .. _VERSION .. ')', 5)
end

-- 5.3+: a float converts to a string that reads back as a float (5.3
-- manual §8.1); a finite float with few digits reads back exactly.
if D.has.integer then
  local floats = { 0.0, -0.0, 1.0, -1.0, 2.0, 100.0, 1e15, 1e16, 2^53, 2^63, -2^63, 2^64,
                   1e100, 0.5, -1.25, 1e-10, 123.0, 3.0e5 }
  local bad = {}
  for _, x in ipairs(floats) do
    local back = tonumber(tostring(x))
    if math.type(back) ~= 'float' then bad[#bad + 1] = tostring(x) end
  end
  t.is(table.concat(bad, ' '), '', 'floats read back as floats (5.3+)')
  bad = {}
  for _, x in ipairs(floats) do
    if tostring(x) ~= x .. '' then bad[#bad + 1] = tostring(x) end
  end
  t.is(table.concat(bad, ' '), '', 'concatenation converts floats as tostring does')
  t.is(tostring(2.0), '2.0', 'the float 2.0 prints as 2.0 (5.3 manual §8.1)')
  t.is(tostring(-7.0), '-7.0', 'the float -7.0 prints as -7.0')
  t.isnt(tostring(2^63), tostring(math.maxinteger), 'the float 2^63 and maxinteger print differently')
  t.isnt(tostring(3), tostring(3.0), 'integer 3 and float 3.0 print differently')
else
  t.skip('needs integer (not in ' .. _VERSION .. ')', 6)
end

-- Short decimal values survive a round trip in every dialect.
do
  local bad = {}
  for _, x in ipairs({ 0.1, -0.1, 0.3, 2.5, 1e-5, 123.456, 1e20, -1e-20, 6.02214076e23, 1.5e300 }) do
    if tonumber(tostring(x)) ~= x then bad[#bad + 1] = tostring(x) end
  end
  t.is(table.concat(bad, ' '), '', 'floats with few significant digits round-trip')
  t.ok(tostring(1 / 0) ~= tostring(-1 / 0), 'inf and -inf differ')
end

----------------------------------------------------------------------------
t.section '§6.1 tostring'
do
  local s = 'already a string'
  t.ok(rawequal(tostring(s), s), 'a string converts to itself')
  t.is(tostring(''), '', 'the empty string')
  t.is(tostring('a\0b'), 'a\0b', 'a string with a zero byte')
  t.is(select('#', tostring(1)), 1, 'tostring returns one value')
  t.is(tostring(7, 'ignored'), '7', 'extra arguments are ignored')
  t.error_like(function() return tostring() end, 'bad argument #1', 'tostring() is an error')
  t.is(type(tostring({})), 'string', 'a table converts to a string')
  t.is(type(tostring(print)), 'string', 'a function converts to a string')
  t.is(type(tostring(io.stdout)), 'string', 'a userdata converts to a string')
  local tb = {}
  t.is(tostring(tb), tostring(tb), 'the same table converts the same way twice')
end

-- __tostring.
do
  local calls, arg_seen, nargs = 0, nil, nil
  local mt = { __tostring = function(...)
    calls = calls + 1
    arg_seen, nargs = ..., select('#', ...)
    return 'custom'
  end }
  local obj = setmetatable({}, mt)
  t.is(tostring(obj), 'custom', '__tostring result is the result')
  t.is(calls, 1, '__tostring is called once')
  t.ok(rawequal(arg_seen, obj), '__tostring receives the value')
  t.ok(nargs >= 1, '__tostring gets the value as first argument')
  mt.__tostring = function() return 'changed' end
  t.is(tostring(obj), 'changed', 'the metatable is consulted on every call')
  mt.__tostring = nil
  t.isnt(tostring(obj), 'changed', 'removing __tostring restores the default')
  local guarded = setmetatable({}, { __tostring = function() return 'g' end, __metatable = false })
  t.is(tostring(guarded), 'g', '__tostring works behind a __metatable field')
  local shared = { __tostring = function(self) return 'id=' .. self.id end }
  local a = setmetatable({ id = 1 }, shared)
  local b = setmetatable({ id = 2 }, shared)
  t.is(tostring(a) .. tostring(b), 'id=1id=2', 'one __tostring serves several objects')
  local err = setmetatable({}, { __tostring = function() error('inside __tostring') end })
  t.error_like(function() return tostring(err) end, 'inside __tostring', 'an error in __tostring propagates')
  local num = setmetatable({}, { __tostring = function() return 'plain' end })
  t.is(tostring(num) .. '!', 'plain!', 'the __tostring result is a usable string')
end

-- string.format %s follows tostring (5.2+; 5.1 requires a string).
if D.version >= 5.2 then
  local obj = setmetatable({}, { __tostring = function() return 'OBJ' end })
  t.is(string.format('%s', obj), 'OBJ', '%s uses __tostring (5.2+)')
  t.is(string.format('[%s|%s|%s]', nil, true, 12), '[nil|true|12]', '%s of nil, booleans, numbers (5.2+)')
  t.is(string.format('%s', 1.5), tostring(1.5), '%s of a float is tostring of it (5.2+)')
else
  t.is(string.format('%s', 12), '12', '%s of a number')
  t.skip('%s follows tostring from 5.2 on', 2)
end

-- __tostring is not used by concatenation, and numbers have no methods.
t.section '§3.4.6'
do
  local obj = setmetatable({}, { __tostring = function() return 'x' end })
  t.error_like(function() return 'a' .. obj end, 'concatenate', '.. ignores __tostring')
  t.error_like(function() return obj .. 1 end, 'concatenate', '.. ignores __tostring on the left')
end
t.section '§3.4.3'
t.error_like(function() local n = 12 return n:rep(2) end, 'index', 'a number has no string methods')
t.error_like(function() local n = 12 return n.len end, 'index', 'a number cannot be indexed')

t.done_testing()
