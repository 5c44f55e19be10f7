-- §3.4.11 Function Definitions: vararg functions and '...'; §3.4 the
-- adjustment of multiple results (only the last expression of a list is
-- expanded, parentheses truncate); §3.3.3 adjustment in assignments;
-- select('#') / select(n) / select(-n) (§6.1); table.pack's n (§6.6).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load
local unpack = table.unpack or unpack

local function count(...) return select('#', ...) end
local function pass(...) return ... end
local function three() return 1, 2, 3 end
local function none() end

----------------------------------------------------------------------------
t.section '§3.4.11'
t.is(count(), 0, 'no arguments')
t.is(count(nil), 1, 'one nil argument')
t.is(count(nil, nil, nil), 3, 'nils are counted')
t.is(count(1, nil), 2, 'trailing nil counted')
t.is(count(pass(1, nil, nil)), 3, '... forwards trailing nils')
t.is(count(pass()), 0, '... of nothing forwards nothing')
do
  local function fixed(a, ...) return a, select('#', ...) end
  local a, n = fixed(1)
  t.ok(a == 1 and n == 0, 'fixed parameter then empty ...')
  a, n = fixed(1, nil)
  t.ok(a == 1 and n == 1, 'fixed parameter then one nil')
  a, n = fixed()
  t.ok(a == nil and n == 0, 'missing fixed parameter is nil, ... empty')
  local function firsts(...) local x, y = ... return x, y end
  local x, y = firsts('p')
  t.ok(x == 'p' and y == nil, 'local x, y = ... adjusts to two')
  local function one(...) local v = ... return v end
  t.is(one(), nil, 'local v = ... with no arguments is nil')
  t.is(one(7, 8), 7, 'local v = ... takes the first')
  local function arith(...) return (...) + 1 end
  t.is(arith(1, 100), 2, '(...) + 1 uses the first value')
  local function mid(...) return ..., 'end' end
  t.is(count(mid(1, 2, 3)), 2, '..., x truncates ... to one value')
  local function last(...) return 'start', ... end
  t.is(count(last(1, 2, 3)), 4, 'x, ... expands ...')
  local function tbl(...) return {...} end
  t.is(#tbl(1, 2, 3), 3, '{...}')
  local function tblend(...) return {..., 'z'} end
  t.is(#tblend(1, 2, 3), 2, '{..., z} truncates')
  local function paren(...) return (...) end
  t.is(count(paren(1, 2, 3)), 1, '(...) is one value')
  t.is(count(paren()), 1, '(...) with nothing is one nil')
  local function nested(...) return count(...) end
  t.is(nested(nil, nil), 2, 'passing ... on keeps the count')
  local function many(...) return select('#', ...) end
  local big = {}
  for i = 1, 250 do big[i] = i end
  t.is(many(unpack(big)), 250, '250 values through ...')
end
-- ... in a main chunk: the chunk's arguments.
do
  local chunk = assert(compile('return select("#", ...), ...'))
  local n, a, b = chunk('x', nil)
  t.is(n, 2, '... in a main chunk counts its arguments')
  t.is(a, 'x', '... in a main chunk gives them')
  t.is(chunk(), 0, '... in a main chunk called without arguments')
  t.ok(compile('local a = ... return a') ~= nil, 'a main chunk is a vararg function')
end

----------------------------------------------------------------------------
-- Adjustment of results (§3.4: only the last expression of a list expands).
t.section '§3.4'
t.is(count(three()), 3, 'call as the only argument: all results')
t.is(count(three(), 10), 2, 'call not last: one result')
t.is(count(10, three()), 4, 'call last: all results')
t.is(count((three())), 1, 'parenthesised call: one result')
t.is(count(none()), 0, 'call with no results as last argument: nothing')
t.is(count(none(), 1), 2, 'call with no results not last: nil')
t.is(count(three(), three()), 4, 'first truncated, last expanded')
do
  local function ret() return three() end
  t.is(count(ret()), 3, 'return f() returns all results')
  local function ret1() return (three()) end
  t.is(count(ret1()), 1, 'return (f()) returns one')
  local function ret2() return three(), 'x' end
  t.is(count(ret2()), 2, 'return f(), x truncates f()')
  t.is(count(pcall(three)), 4, 'pcall passes all results on')
  t.is(#{three(), three()}, 4, 'constructor: last call expanded')
  t.is(('%d%d%d'):format(three()), '123', 'method call with a multi-result argument')
  t.is(math.max(three()), 3, 'library function gets all results')
  local s = string.char(65, three())
  t.is(s, 'A\1\2\3', 'results after other arguments')
end

----------------------------------------------------------------------------
-- Assignment adjustment (§3.3.3).
t.section '§3.3.3'
do
  local a, b, c = three()
  t.ok(a == 1 and b == 2 and c == 3, 'local a, b, c = f() takes three')
  local d, e, f, g = three()
  t.ok(d == 1 and g == nil, 'extra variables get nil')
  local h = three()
  t.is(h, 1, 'one variable takes the first result')
  local i, j = three(), 10
  t.ok(i == 1 and j == 10, 'call not last in the list: one result')
  local k, l = 1
  t.ok(k == 1 and l == nil, 'fewer values than variables: nil')
  local m = 1, error
  t.is(m, 1, 'extra values are dropped')
  local n1, n2 = none()
  t.ok(n1 == nil and n2 == nil, 'no results: all nil')
  local x, y = 1, 2
  x, y = y, x
  t.ok(x == 2 and y == 1, 'x, y = y, x swaps (values evaluated first)')
  local tb, idx = {}, 3
  idx, tb[idx] = idx + 1, 20
  t.ok(tb[3] == 20 and tb[4] == nil and idx == 4, 'i, a[i] = i+1, 20 sets a[3] (manual example)')
end

----------------------------------------------------------------------------
-- select
t.section '§6.1'
t.is(select('#'), 0, 'select("#") with nothing')
t.is(select(2, 'a', 'b', 'c'), 'b', 'select(2, ...) first value')
t.is(count(select(2, 'a', 'b', 'c')), 2, 'select(2, ...) returns the rest')
t.is(select(-1, 'a', 'b', 'c'), 'c', 'select(-1) is the last')
t.is(count(select(-2, 'a', 'b', 'c')), 2, 'select(-2) returns the last two')
t.is(select(-3, 'a', 'b', 'c'), 'a', 'select(-n) with n = count gives all')
t.is(count(select(4, 'a', 'b', 'c')), 0, 'select beyond the end returns nothing')
t.is(count(select(2, nil, nil, nil)), 2, 'select keeps nils')
t.error_like(function() return select(0, 'a') end, 'out of range', 'select(0) raises')
t.error_like(function() return select(-4, 'a', 'b', 'c') end, 'out of range', 'select(-n) beyond the start raises')
t.error_like(function() return select('x', 1) end, 'number expected', 'select with a bad index raises')

-- table.pack keeps the count in n (5.2+).
t.section '§6.6'
if D.has.table_pack then
  local p = table.pack(1, nil, 3, nil)
  t.is(p.n, 4, 'table.pack n counts trailing nils')
  t.is(p[3], 3, 'table.pack stores the values')
  t.is(table.pack().n, 0, 'table.pack() has n = 0')
  t.is(count(table.unpack(p, 1, p.n)), 4, 'table.unpack(t, 1, t.n) restores the count')
else
  t.skip('table.pack is 5.2+', 4)
end
t.is(count(unpack({}, 1, 3)), 3, 'unpack with an explicit range gives nils')
t.is(count(unpack({1, 2, 3}, 2)), 2, 'unpack from i to #t')
t.is(count(unpack({1, 2, 3}, 3, 2)), 0, 'unpack of an empty range gives nothing')

t.done_testing()
