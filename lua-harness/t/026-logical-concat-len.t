-- §3.4.5 Logical Operators (and/or/not, short-circuit, values not
-- booleans), §3.4.6 Concatenation (strings and numbers; the number format
-- is unspecified, so only consistency with tostring and round trips are
-- checked), §3.4.7 The Length Operator (strings, borders, __len).
local t = require 'tap'
local D = require 'lvt_dialect'


----------------------------------------------------------------------------
t.section '§3.4.5'
t.is(nil and 1, nil, 'nil and 1')
t.is(false and 1, false, 'false and 1 keeps false')
t.is(1 and 2, 2, '1 and 2')
t.is(0 and 'x', 'x', '0 is true')
t.is('' and 'x', 'x', 'empty string is true')
t.is(nil or 3, 3, 'nil or 3')
t.is(false or nil, nil, 'false or nil')
t.is(nil or false, false, 'nil or false')
t.is(0 or 1, 0, '0 or 1')
t.is(false or false, false, 'false or false')
t.is(not nil, true, 'not nil')
t.is(not false, true, 'not false')
t.is(not 0, false, 'not 0')
t.is(not '', false, 'not empty string')
t.is(not not 'x', true, 'not not gives a boolean')
t.is(not {}, false, 'not table')
t.is(nil and nil, nil, 'nil and nil')
t.is(1 and nil, nil, '1 and nil')
do
  local x = 5
  t.is(x > 3 and 'big' or 'small', 'big', 'a and b or c, a true')
  x = 1
  t.is(x > 3 and 'big' or 'small', 'small', 'a and b or c, a false')
  t.is(true and false or 'c', 'c', 'a and b or c with b false gives c')
end

-- Short-circuit: the second operand is evaluated only if needed.
do
  local calls = 0
  local function hit(v) calls = calls + 1; return v end
  local _ = false and hit(1)
  _ = nil and hit(1)
  _ = 1 or hit(1)
  _ = 'x' or hit(1)
  t.is(calls, 0, 'second operand not evaluated when the first decides')
  _ = true and hit(1)
  _ = nil or hit(1)
  t.is(calls, 2, 'second operand evaluated when needed')
  t.lives_ok(function() return false and error('evaluated') end, 'false and error() does not raise')
  t.lives_ok(function() return true or error('evaluated') end, 'true or error() does not raise')
  t.lives_ok(function() return nil and nil .. nil end, 'nil and (invalid expression) does not raise')
  local order = {}
  local function log(n, v) order[#order + 1] = n; return v end
  _ = log(1, nil) or log(2, false) or log(3, 'x') or log(4, 'y')
  t.is(table.concat(order, ','), '1,2,3', 'or chain stops at the first true value')
  order = {}
  _ = log(1, 1) and log(2, 2) and log(3, nil) and log(4, 4)
  t.is(table.concat(order, ','), '1,2,3', 'and chain stops at the first false value')
end

-- and/or take one value from a multi-value call.
do
  local function two() return 1, 2 end
  t.is(select('#', two() or 0), 1, 'f() or x gives one value')
  t.is(select('#', true and two()), 1, 'x and f() gives one value')
end

----------------------------------------------------------------------------
t.section '§3.4.6'
t.is('a' .. 'b', 'ab', 'two strings')
t.is('a' .. 'b' .. 'c' .. 'd', 'abcd', 'a chain')
t.is('' .. '', '', 'empty strings')
t.is('x' .. '', 'x', 'right empty')
t.is(1 .. 2, '12', 'two integers')
t.is('x' .. 10, 'x10', 'string and integer')
t.is(-3 .. '', '-3', 'negative integer')
t.is('v' .. 1.5, 'v1.5', 'string and float 1.5')
t.is(#('a\0' .. '\0b'), 4, 'embedded zeros kept')
t.is('a\0' .. 'b', 'a\0b', 'embedded zeros value')
do
  local parts = {}
  for i = 1, 50 do parts[i] = tostring(i) end
  local s = ''
  for i = 1, 50 do s = s .. i end
  t.is(s, table.concat(parts), 'repeated concatenation')
  local big = string.rep('ab', 5000)
  t.is(#(big .. big), 20000, 'long strings')
end

-- Numbers are converted as tostring converts them.
do
  local nums = {0, 1, -1, 10, 123456789, 0.5, -1.5, 0.1, 1/3, 1e15, 1e100, 2^53,
                2^63, -0.0, math.huge, -math.huge, 0/0, 3.0}
  local bad = {}
  for i, x in ipairs(nums) do
    if x .. '' ~= tostring(x) then bad[#bad + 1] = i .. ':' .. tostring(x) end
    if '<' .. x .. '>' ~= '<' .. tostring(x) .. '>' then bad[#bad + 1] = 'mid ' .. i end
  end
  t.is(table.concat(bad, ' '), '', 'x .. "" == tostring(x) for integers, floats, inf, NaN')
  local rt = {}
  for _, x in ipairs({0, 7, -42, 123456789, 0.5, -1.5, 0.25, 1e100, 2^-10, 1e15}) do
    if tonumber(x .. '') ~= x then rt[#rt + 1] = tostring(x) end
  end
  t.is(table.concat(rt, ' '), '', 'short numbers survive a round trip through ..')
end
if D.has.int64 then
  t.is(tonumber(math.maxinteger .. ''), math.maxinteger, 'maxinteger round trip')
  t.is(tonumber(math.mininteger .. ''), math.mininteger, 'mininteger round trip')
  t.is(math.maxinteger .. '', '9223372036854775807', 'maxinteger digits')
else
  t.skip('needs int64', 3)
end
t.isnt(tostring(math.huge), tostring(-math.huge), 'inf and -inf print differently')

t.error_like(function() return 'a' .. nil end, 'concatenate', 'string .. nil raises')
t.error_like(function() return 'a' .. true end, 'concatenate', 'string .. boolean raises')
t.error_like(function() return {} .. 'a' end, 'concatenate', 'table .. string raises')
t.error_like(function() return 1 .. {} end, 'concatenate', 'number .. table raises')
t.error_like(function() local f = print return f .. '' end, 'concatenate', 'function .. string raises')
t.error_like(function() return 'a' .. 'b' .. nil .. 'c' end, 'concatenate', 'nil in the middle of a chain raises')

----------------------------------------------------------------------------
t.section '§3.4.7'
t.is(#'', 0, 'empty string')
t.is(#'abc', 3, 'three bytes')
t.is(#'a\0b', 3, 'embedded zero counts')
t.is(#'\195\169', 2, 'length counts bytes, not characters')
t.is(#string.rep('x', 1000), 1000, 'long string')
t.is(#{}, 0, 'empty table')
t.is(#{1, 2, 3}, 3, 'sequence')
t.is(#{n = 1}, 0, 'only a string key')
t.is(#{1, 2, nil}, 2, 'trailing nil: the only border is 2')
t.is(#{nil}, 0, '{nil} has border 0')
t.is(#{1, 2, x = 1, [0] = 5, [-1] = 3, [1.5] = 2}, 2, 'non-positive-integer keys do not count')
do
  local n = #{1, nil, 3}
  t.ok(n == 1 or n == 3, '{1, nil, 3} has borders 1 and 3: got ' .. tostring(n))
  n = #{10, 20, 30, nil, 50}
  t.ok(n == 3 or n == 5, '{10, 20, 30, nil, 50}: a border (3 or 5)')
  n = #{nil, 20, 30, nil, nil, 60, nil}
  t.ok(n == 0 or n == 3 or n == 6, '{nil, 20, 30, nil, nil, 60, nil}: a border (0, 3 or 6)')
  local tb = {1, 2, 3}
  tb[3] = nil
  t.is(#tb, 2, 'removing the last element shrinks the length')
  tb[3] = 3; tb[4] = 4
  t.is(#tb, 4, 'appending grows the length')
  local grown = {}
  for i = 1, 100 do grown[i] = i end
  t.is(#grown, 100, 'sequence built by assignment')
  for i = 100, 51, -1 do grown[i] = nil end
  t.is(#grown, 50, 'sequence shrunk from the end')
  local h = {}
  h[1] = 1; h[2] = 2; h.x = 'x'; h[3] = 3
  t.is(#h, 3, 'string keys do not interfere')
end
if D.version >= 5.4 and D.has.int64 then
  local tb = {[math.maxinteger] = true}
  local n = #tb
  t.ok(n == 0 or n == math.maxinteger, 'only t[maxinteger] set: border 0 or maxinteger (5.4)')
else
  t.skip('the maxinteger border is defined by the 5.4 manual', 1)
end

t.error_like(function() local x = 5 return #x end, 'length', '#number raises')
t.error_like(function() local x return #x end, 'length', '#nil raises')
t.error_like(function() local x = true return #x end, 'length', '#boolean raises')
t.error_like(function() return #print end, 'length', '#function raises')

-- __len: 5.2+ consult it for tables; 5.1 (and LuaJIT) use the primitive
-- length for every table (5.1 manual §2.8, "len" event).
do
  local seen
  local mt = {__len = function(o, ...) seen = o; return 42, 'extra' end}
  local obj = setmetatable({1, 2}, mt)
  if D.has.len_metamethod_tables then
    t.is(#obj, 42, '__len result used for a table')
    t.ok(rawequal(seen, obj), '__len receives the operand')
    t.is(select('#', #obj), 1, '# gives one value')
    local odd = setmetatable({}, {__len = function() return 'x' end})
    t.is(#odd, 'x', '__len result is not converted to a number')
    t.is(rawlen(obj), 2, 'rawlen bypasses __len')
    t.is(rawlen('abcd'), 4, 'rawlen of a string')
  else
    t.is(#obj, 2, '__len ignored for tables (5.1)')
    t.is(seen, nil, '__len not called for tables (5.1)')
    t.skip('__len on tables is 5.2+', 4)
  end
  -- Strings never consult __len ("any value but strings").
  local smt = getmetatable('')
  local saved = rawget(smt, '__len')
  smt.__len = function() return 99 end
  local n = #'abc'
  smt.__len = saved
  t.is(n, 3, 'a string metatable __len is not used for strings')
end

t.done_testing()
