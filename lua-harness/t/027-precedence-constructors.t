-- §3.4.8 Precedence (^ binds tighter than unary operators and is right
-- associative, .. is right associative, the others are left associative),
-- §3.4.9 Table Constructors (positional, named and [k] fields, separators,
-- multiple results expanded only in the last position).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load
local function value(src) return assert(compile('return ' .. src))() end
local function is_src(src, want, name) t.is(value(src), want, name or src) end

----------------------------------------------------------------------------
t.section '§3.4.8'
is_src('-2^2', -4.0, '-2^2 is -(2^2)')
is_src('2^-2', 0.25, '2^-2: unary minus in the exponent')
is_src('-2^-2', -0.25)
is_src('2^3^2', 512.0, '2^3^2 is 2^(3^2)')
is_src('(2^3)^2', 64.0)
is_src('2^#"abc"', 8.0, '# in the exponent')
is_src('-#"abc"', -3, 'unary minus of #')
is_src('not nil == true', true, 'not binds tighter than ==')
is_src('not 1 == 2', false, '(not 1) == 2')
is_src('1 + 2 * 3', 7)
is_src('(1 + 2) * 3', 9)
is_src('7 - 2 - 1', 4, '- is left associative')
is_src('64 / 4 / 2', 8.0, '/ is left associative')
is_src('2 * 3 % 4', 2, '* and % share a level, left to right')
is_src('2 % 3 * 4', 8)
is_src('2 ^ 2 * 3', 12.0, '^ before *')
is_src('-3 + 5', 2, 'unary minus before +')
is_src('- - 2', 2, 'double unary minus')
is_src('not not nil', false)
is_src('#"abc" + 1', 4, '# before +')
is_src('#"ab" .. "c"', '2c', '# before ..')
is_src('"x" .. 1 + 2', 'x3', '+ before ..')
is_src('1 .. 2 == "12"', true, '.. before ==')
is_src('"a" .. "b" == "ab"', true)
is_src('1 < 2 == true', true, '< and == share a level, left to right')
is_src('1 == 1 == true', true, '(1 == 1) == true')
is_src('1 + 1 < 3', true, '+ before <')
is_src('1 < 2 and 2 < 3', true, 'comparison before and')
is_src('1 or 2 and 3', 1, 'and before or')
is_src('nil and 1 or 2', 2)
is_src('false or true and nil', nil, 'or (and)')
is_src('not nil and 1', 1, '(not nil) and 1')
is_src('2 * -3', -6, 'unary operand of *')
t.error_like(function() return value('1 < 2 < 3') end, 'compare', 'comparison chain compares a boolean')
do
  local x = 3
  t.is(-x^2, -9.0, '-x^2 on a variable')
  t.is((-x)^2, 9.0, '(-x)^2 on a variable')
end
-- .. is right associative: observable through __concat.
do
  local log = {}
  local mt = {}
  mt.__concat = function(a, b)
    local function n(v) return type(v) == 'table' and v.name or v end
    log[#log + 1] = n(a) .. '+' .. n(b)
    return setmetatable({name = '(' .. n(a) .. n(b) .. ')'}, mt)
  end
  local A = setmetatable({name = 'A'}, mt)
  local B = setmetatable({name = 'B'}, mt)
  local C = setmetatable({name = 'C'}, mt)
  local r = A .. B .. C
  t.is(r.name, '(A(BC))', '.. groups to the right')
  t.is(log[1], 'B+C', 'the rightmost pair is concatenated first')
end
if D.has.floordiv then
  is_src('7 // 2 * 2', 6, '// and * share a level')
  is_src('2 * 7 // 3', 4)
  is_src('-7 // 2', -4, 'unary minus before //')
else
  t.skip('needs // (5.3+)', 3)
end

----------------------------------------------------------------------------
t.section '§3.4.9'
do
  local tb = {1, 2, 3}
  t.is_deeply(tb, {[1] = 1, [2] = 2, [3] = 3}, 'positional fields are 1, 2, 3')
  tb = {x = 1, ['y z'] = 2, [3] = 4}
  t.is(tb.x, 1, 'name = exp field')
  t.is(tb['y z'], 2, '[string] = exp field')
  t.is(tb[3], 4, '[number] = exp field')
  tb = {a = 1, 'x', b = 2, 'y'}
  t.is_deeply(tb, {a = 1, b = 2, [1] = 'x', [2] = 'y'}, 'positional fields count only positional ones')
  t.is(#{1, 2, }, 2, 'trailing comma')
  t.is(#{1; 2; }, 2, 'trailing semicolon')
  t.is_deeply({1; 2, 3}, {1, 2, 3}, 'mixed separators')
  t.is(#{}, 0, 'empty constructor')
  tb = {[1 + 1] = 'two', ['a' .. 'b'] = 'ab'}
  t.is(tb[2], 'two', 'computed numeric key')
  t.is(tb.ab, 'ab', 'computed string key')
  tb = {{1}, {2, {3}}}
  t.is(tb[2][2][1], 3, 'nested constructors')
  t.ok({} ~= {}, 'each constructor makes a new table')
  tb = {nil, 2}
  t.is(tb[1], nil, '{nil, 2}[1]')
  t.is(tb[2], 2, '{nil, 2}[2]')
  tb = {('x'):rep(3), #'ab'}
  t.is_deeply(tb, {'xxx', 2}, 'expressions as positional fields')
  tb = {[1.0] = 'one'}
  t.is(tb[1], 'one', '[1.0] key is key 1')
  tb = {['end'] = 1, ['while'] = 2}
  t.is(tb['end'] + tb['while'], 3, 'reserved words as bracketed keys')
  tb = {f = function(self) return self.v end, v = 9}
  t.is(tb:f(), 9, 'function-valued field and method call')
end

-- Multiple results: expanded only in the last position.
do
  local function three() return 1, 2, 3 end
  local function none() end
  t.is_deeply({three()}, {1, 2, 3}, 'last-position call expands')
  t.is_deeply({three(), 'x'}, {1, 'x'}, 'non-last call gives one value')
  t.is_deeply({three(), three()}, {1, 1, 2, 3}, 'first truncated, last expanded')
  t.is_deeply({(three())}, {1}, 'parenthesised call gives one value')
  t.is_deeply({none()}, {}, 'call returning nothing gives no fields')
  local tb = {none(), 'x'}
  t.is(tb[1], nil, 'non-last call with no results gives nil')
  t.is(tb[2], 'x', 'following field keeps its position')
  t.is_deeply({'a', three()}, {'a', 1, 2, 3}, 'expansion continues the numbering')
  t.is_deeply({three(), k = 'v'}, {1, k = 'v'}, 'call followed by a named field is not last')
  local function va(...) return {...} end
  t.is_deeply(va(1, 2, 3), {1, 2, 3}, '{...} expands the varargs')
  local function va2(...) return {..., 'end'} end
  t.is_deeply(va2(1, 2, 3), {1, 'end'}, '{..., x} truncates the varargs')
  local big = {}
  for i = 1, 300 do big[i] = i end
  local unpack = table.unpack or unpack
  local copy = {unpack(big)}
  t.is(#copy, 300, 'many results expanded into a constructor')
  t.is(copy[300], 300, 'last of many results')
end

-- Keys that are not allowed.
t.error_like(function() return {[nil] = 1} end, 'nil', '{[nil] = 1} raises')
if D.version >= 5.2 then
  t.error_like(function() return {[0/0] = 1} end, 'NaN', '{[NaN] = 1} raises')
else
  t.skip('NaN keys are excluded by the 5.2+ manuals', 1)
end

t.done_testing()
