-- §2.4 Metatables and Metamethods: the arithmetic events (__add __sub
-- __mul __div __mod __pow __unm, 5.3+: __idiv), the bitwise events (5.3+:
-- __band __bor __bxor __shl __shr __bnot) and __concat. Which operand's
-- metamethod is used, the argument order, the single result, and the
-- errors when no operand has one.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

local function desc(v)
  if type(v) == 'table' then return rawget(v, 'name') or '?' end
  return tostring(v)
end

-- A metatable whose every event returns "OWNER:event(arg1,arg2)".
local events = {'add', 'sub', 'mul', 'div', 'mod', 'pow', 'unm', 'idiv',
                'band', 'bor', 'bxor', 'shl', 'shr', 'bnot', 'concat'}
local function recorder(owner)
  local mt = {}
  for _, e in ipairs(events) do
    mt['__' .. e] = function(a, b)
      return owner .. ':' .. e .. '(' .. desc(a) .. ',' .. desc(b) .. ')'
    end
  end
  return mt
end
local A = setmetatable({name = 'A'}, recorder('A'))
local B = setmetatable({name = 'B'}, recorder('B'))
local P = {name = 'P'}                               -- no metatable

local binops = {
  {'add', '+'}, {'sub', '-'}, {'mul', '*'}, {'div', '/'}, {'mod', '%'}, {'pow', '^'},
}
local newbinops = {
  {'idiv', '//'}, {'band', '&'}, {'bor', '|'}, {'bxor', '~'}, {'shl', '<<'}, {'shr', '>>'},
}

-- The operand cases: the first operand's metamethod when it has one,
-- else the second's; arguments always in source order.
local function check_binop(e, op)
  local f = assert(compile('local a, b = ... return a ' .. op .. ' b'))
  local function case(a, b, want)
    t.is(f(a, b), want, desc(a) .. ' ' .. op .. ' ' .. desc(b) .. ' uses ' .. want:match('^[^(]*'))
  end
  case(A, 1, 'A:' .. e .. '(A,1)')
  case(1, A, 'A:' .. e .. '(1,A)')
  case(A, B, 'A:' .. e .. '(A,B)')
  case(B, A, 'B:' .. e .. '(B,A)')
  case(P, A, 'A:' .. e .. '(P,A)')
  case(A, P, 'A:' .. e .. '(A,P)')
  case('x', A, 'A:' .. e .. '(x,A)')
  case(A, '10', 'A:' .. e .. '(A,10)')
  t.error_like(function() return f(P, 1) end, 'attempt to perform', 'table ' .. op .. ' 1 without metamethod raises')
end

----------------------------------------------------------------------------
t.section '§2.4'
for _, o in ipairs(binops) do check_binop(o[1], o[2]) end
if D.has.bitops then
  for _, o in ipairs(newbinops) do check_binop(o[1], o[2]) end
else
  t.skip('needs // and bitwise operators (5.3+)', 9 * #newbinops)
end

-- Unary minus: the metamethod gets the operand first (the second argument
-- is a dummy, unspecified). Unary ~ likewise (5.3+).
t.like(-A, '^A:unm%(A,', '-A calls __unm with the operand first')
t.error_like(function() return -P end, 'attempt to perform', '-table without __unm raises')
if D.has.bitops then
  local bnot = assert(compile('local a = ... return ~a'))
  t.like(bnot(A), '^A:bnot%(A,', '~A calls __bnot with the operand first')
  t.error_like(function() return bnot(P) end, 'bitwise', '~table without __bnot raises')
  -- Bitwise events also fire for numbers with no integer representation.
  local bor = assert(compile('local a, b = ... return a | b'))
  t.is(bor(1.5, A), 'A:bor(1.5,A)', '1.5 | A uses A.__bor')
  t.is(bor(A, 2^63), 'A:bor(A,' .. tostring(2^63) .. ')', 'A | 2^63 uses A.__bor')
else
  t.skip('needs bitwise operators (5.3+)', 4)
end

-- Results: one value, not converted, any type.
do
  local function mk(ret) return setmetatable({}, {__add = function() return ret, 'extra' end,
                                                 __unm = function() return ret end}) end
  t.is(select('#', mk(1) + 1), 1, 'arithmetic metamethod result truncated to one value')
  local tb = {}
  t.ok(rawequal(mk(tb) + 1, tb), 'table result returned as is')
  t.is(mk(nil) + 1, nil, 'nil result returned as is')
  t.is(mk(false) + 1, false, 'false result returned as is')
  t.is(mk('7') + 1, '7', 'string result not converted')
  t.is(-mk(42), 42, '__unm result')
end

-- Only some events defined: the others still raise.
do
  local only = setmetatable({}, {__add = function() return 'added' end})
  t.is(only + 1, 'added', 'defined event works')
  t.error_like(function() return only - 1 end, 'arithmetic', 'undefined event raises')
  t.error_like(function() return only * only end, 'arithmetic', 'undefined event on both operands raises')
end

-- Metamethods are looked up raw in the metatable.
do
  local mt = setmetatable({}, {__index = {__add = function() return 'inherited' end}})
  local obj = setmetatable({}, mt)
  t.error_like(function() return obj + 1 end, 'arithmetic', '__add inherited by the metatable is not used')
end

-- Metamethods work for other operand types of the same event, e.g. a
-- numeric string meeting a table.
do
  local o = setmetatable({}, {__mul = function(a, b) return type(a) .. '*' .. type(b) end})
  t.is('3' * o, 'string*table', 'numeric string * table calls the table metamethod')
  t.is(o * '3', 'table*string', 'table * numeric string calls the table metamethod')
  t.is(2 * o, 'number*table', 'number operand passed unconverted')
end

----------------------------------------------------------------------------
-- __concat: when an operand is neither a string nor a number.
do
  t.is(A .. 'x', 'A:concat(A,x)', 'A .. string')
  t.is('x' .. A, 'A:concat(x,A)', 'string .. A')
  t.is(A .. B, 'A:concat(A,B)', 'A .. B uses the first operand')
  t.is(P .. A, 'A:concat(P,A)', 'plain table .. A uses the second operand')
  local typ
  local o = setmetatable({}, {__concat = function(a, b) typ = type(a) return 'r' end})
  local _ = 1 .. o
  t.is(typ, 'number', 'a number operand is passed unconverted')
  t.is('a' .. 'b' .. A, 'a' .. 'A:concat(b,A)', 'chain: right pair first, result joined as a string')
  t.is(A .. 'b' .. 'c', 'A:concat(A,bc)', 'chain: strings on the right joined first')
  local n = 0
  local last
  local counter = setmetatable({}, {__concat = function(a, b) n = n + 1 last = b return 'c' end})
  local r = 'a' .. counter .. 'b'
  t.is(n, 1, 'a .. o .. b: one call, for o .. b')
  t.is(last, 'b', 'a .. o .. b: the call gets o and b')
  t.is(r, 'ac', 'a .. o .. b: the string result is joined normally')
  t.is(select('#', A .. 1), 1, '__concat result is one value')
  t.error_like(function() return P .. 'x' end, 'concatenate', 'table without __concat raises')
  local tres = setmetatable({}, {__concat = function() return {} end})
  t.is(type(tres .. 'x'), 'table', '__concat result not converted to a string')
end

t.done_testing()
