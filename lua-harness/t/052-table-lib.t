-- 052-table-lib.t -- Lua 5.4 manual §6.6 (table manipulation): concat
-- (with i/j and numbers), insert and remove (positions, 5.2+ bounds
-- checks), move (5.3+, LuaJIT; overlapping ranges, another table), pack and
-- unpack (n), sort (comparators, errors propagate), and metamethods used
-- by the library in 5.3+.
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end
local unpack = table.unpack or unpack

-- ---------------------------------------------------------------------
t.section '§6.6 table.concat'
do
  t.is(table.concat({ 'a', 'b', 'c' }), 'abc', 'no separator by default')
  t.is(table.concat({ 'a', 'b', 'c' }, ', '), 'a, b, c', 'with a separator')
  t.is(table.concat({ 'a', 'b', 'c' }, ', ', 2), 'b, c', 'from i')
  t.is(table.concat({ 'a', 'b', 'c' }, ', ', 2, 3), 'b, c', 'from i to j')
  t.is(table.concat({ 'a', 'b', 'c' }, ',', 2, 2), 'b', 'a single element has no separator')
  t.is(table.concat({ 'a', 'b', 'c' }, ',', 3, 2), '', 'i > j gives the empty string')
  t.is(table.concat({}, 'x'), '', 'an empty table gives the empty string')
  t.is(table.concat({ 1, 2, 3 }, '+'), '1+2+3', 'integer values are converted')
  t.is(table.concat({ 1.5, 'x' }, ' '), '1.5 x', 'float values are converted')
  t.is(table.concat({ [0] = 'z', 'a' }, ',', 0, 1), 'z,a', 'indices need not start at 1')
  t.is(table.concat({ 'a', 'b' }, 3), 'a3b', 'a number separator is converted')
  t.error_like(function() table.concat({ 1, {}, 3 }) end, 'invalid value', 'a table element is an error')
  t.error_like(function() table.concat({ 1, 2 }, ',', 1, 3) end, 'invalid value', 'a nil inside i..j is an error')
  t.error_like(function() table.concat({ true }) end, 'invalid value', 'a boolean element is an error')
  t.error_like(function() table.concat() end, 'bad argument #1', 'concat() is an error')
  t.error_like(function() table.concat({}, {}) end, 'bad argument #2', 'a table separator is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.6 table.insert'
do
  local l = { 'a', 'b' }
  table.insert(l, 'c')
  t.is_deeply(l, { 'a', 'b', 'c' }, 'insert(t, v) appends')
  table.insert(l, 1, 'z')
  t.is_deeply(l, { 'z', 'a', 'b', 'c' }, 'insert(t, 1, v) shifts up')
  table.insert(l, 3, 'm')
  t.is_deeply(l, { 'z', 'a', 'm', 'b', 'c' }, 'insert in the middle')
  table.insert(l, #l + 1, 'end')
  t.is(l[#l], 'end', 'insert at #t + 1 appends')
  local e = {}
  table.insert(e, 1, 'only')
  t.is_deeply(e, { 'only' }, 'insert into an empty table at 1')
  t.is(select('#', table.insert({}, 1)), 0, 'insert returns nothing')
  t.error_like(function() table.insert({}, 1, 2, 3) end, 'wrong number of arguments', 'four arguments is an error')
  t.error_like(function() table.insert({}) end, 'wrong number of arguments', 'a missing value is an error')
  t.error_like(function() table.insert(nil, 1) end, 'bad argument #1', 'insert into nil is an error')
  local withnil = { 1, 2 }
  table.insert(withnil, nil)
  t.is(#withnil, 2, 'inserting nil at the end keeps the length')
end

t.section '§6.6 table.insert position bounds (5.2+)'
if D.version >= 5.2 then
  t.error_like(function() table.insert({ 1, 2, 3 }, 5, 'x') end, 'position out of bounds', 'a position past #t + 1 is an error')
  t.error_like(function() table.insert({ 1, 2, 3 }, 0, 'x') end, 'position out of bounds', 'position 0 is an error')
  t.error_like(function() table.insert({ 1, 2, 3 }, -1, 'x') end, 'position out of bounds', 'a negative position is an error')
else
  t.skip('insert checks its position from 5.2 on', 3)
end

-- ---------------------------------------------------------------------
t.section '§6.6 table.remove'
do
  local l = { 'a', 'b', 'c', 'd' }
  t.is(table.remove(l), 'd', 'remove(t) removes the last element')
  t.is_deeply(l, { 'a', 'b', 'c' }, 'and shortens the list')
  t.is(table.remove(l, 1), 'a', 'remove(t, 1) removes the first')
  t.is_deeply(l, { 'b', 'c' }, 'and shifts down the others')
  t.is(table.remove(l, 2), 'c', 'remove the last by position')
  t.is_deeply(l, { 'b' }, 'one element left')
  t.is(table.remove(l, 1), 'b', 'remove the only element')
  t.is(next(l), nil, 'the table is empty')
  t.is(table.remove(l), nil, 'remove from an empty table gives nil')
  local m = { 1, 2, 3 }
  t.is(table.remove(m, 4), nil, 'remove at #t + 1 gives nil')
  t.is(#m, 3, 'and changes nothing')
  local big = {}
  for i = 1, 100 do big[i] = i end
  table.remove(big, 50)
  t.ok(#big == 99 and big[50] == 51 and big[99] == 100, 'removing from the middle of 100 shifts the rest')
end

t.section '§6.6 table.remove position bounds (5.2+)'
if D.version >= 5.2 then
  t.error_like(function() table.remove({ 1, 2, 3 }, 5) end, 'position out of bounds', 'a position past #t + 1 is an error')
  t.error_like(function() table.remove({ 1, 2, 3 }, 0) end, 'position out of bounds', 'position 0 with #t > 0 is an error')
  local z = { [0] = 'zero' }
  t.is(table.remove(z, 0), 'zero', 'position 0 is allowed when #t is 0')
  t.is(z[0], nil, 'and that element is erased')
  t.is(select('#', table.remove({})), 1, 'remove({}) returns one value (nil)')
else
  t.skip('remove checks its position from 5.2 on', 5)
end

-- ---------------------------------------------------------------------
t.section '§6.6 table.move (5.3+)'
if D.need(t, 'table_move', 11) then
  local a = { 1, 2, 3, 4, 5 }
  local r = table.move(a, 1, 3, 3)
  t.ok(r == a, 'move returns the destination table')
  t.is_deeply(a, { 1, 2, 1, 2, 3 }, 'an overlapping move to the right copies correctly')
  local b = { 1, 2, 3, 4, 5 }
  table.move(b, 3, 5, 1)
  t.is_deeply(b, { 3, 4, 5, 4, 5 }, 'an overlapping move to the left copies correctly')
  local src, dst = { 'x', 'y', 'z' }, { 'keep' }
  local r2 = table.move(src, 1, 3, 2, dst)
  t.ok(r2 == dst, 'with another table, move returns that table')
  t.is_deeply(dst, { 'keep', 'x', 'y', 'z' }, 'elements go to the other table')
  t.is_deeply(src, { 'x', 'y', 'z' }, 'the source is unchanged')
  local c = { 1, 2, 3 }
  table.move(c, 2, 1, 1)
  t.is_deeply(c, { 1, 2, 3 }, 'an empty range (e < f) moves nothing')
  local d = { 1, 2, 3 }
  table.move(d, 1, 3, 1)
  t.is_deeply(d, { 1, 2, 3 }, 'moving onto itself changes nothing')
  local e = { 1, 2 }
  table.move(e, 1, 2, 5)
  t.ok(e[5] == 1 and e[6] == 2 and e[3] == nil, 'moving past the end leaves a gap')
  local f = { [0] = 'z', 'a' }
  table.move(f, 0, 1, 10)
  t.ok(f[10] == 'z' and f[11] == 'a', 'the range may start at 0')
  t.error_like(function() table.move({}, 1, 2) end, 'bad argument #4', 'a missing destination index is an error')
else
  -- D.need reported the skips
end

-- ---------------------------------------------------------------------
t.section '§6.6 table.pack (5.2+)'
if D.need(t, 'table_pack', 6) then
  local p = table.pack(1, nil, 3)
  t.is(p.n, 3, 'pack sets n to the number of arguments')
  t.ok(p[1] == 1 and p[2] == nil and p[3] == 3, 'pack stores the arguments at 1..n')
  local e = table.pack()
  t.is(e.n, 0, 'pack() has n = 0')
  t.is(next(e, 'n') == nil and e[1] == nil, true, 'and no elements')
  local tn = table.pack(nil, nil)
  t.is(tn.n, 2, 'trailing nils are counted')
  t.is_deeply(table.pack('a', 'b'), { n = 2, 'a', 'b' }, 'the whole table')
end

t.section '§6.6 table.unpack'
do
  t.is_deeply(pack(unpack({ 1, 2, 3 })), { n = 3, 1, 2, 3 }, 'unpack returns the elements')
  t.is_deeply(pack(unpack({ 1, 2, 3 }, 2)), { n = 2, 2, 3 }, 'unpack from i')
  t.is_deeply(pack(unpack({ 1, 2, 3 }, 2, 3)), { n = 2, 2, 3 }, 'unpack from i to j')
  t.is_deeply(pack(unpack({ 1, 2, 3 }, -1, 1)), { n = 3, nil, nil, 1 }, 'unpack from a negative i')
  t.is_deeply(pack(unpack({ 1, 2 }, 1, 4)), { n = 4, 1, 2, nil, nil }, 'j past the end gives nils')
  t.is_deeply(pack(unpack({}, 1, 0)), { n = 0 }, 'i > j gives nothing')
  t.is_deeply(pack(unpack({})), { n = 0 }, 'an empty table gives nothing')
  local withn = { n = 3, 'a', nil, 'c' }
  t.is_deeply(pack(unpack(withn, 1, withn.n)), { n = 3, 'a', nil, 'c' }, 'unpack(t, 1, t.n) restores nils')
  t.is_deeply(pack(unpack({ [0] = 'z', 'a' }, 0, 1)), { n = 2, 'z', 'a' }, 'index 0')
  t.error_like(function() unpack() end, '', 'unpack() is an error')
  if D.has.table_pack then
    local p = table.pack(1, nil, nil)
    t.is_deeply(pack(table.unpack(p, 1, p.n)), { n = 3, 1, nil, nil }, 'pack and unpack are inverses with n')
  else
    t.skip('table.pack is 5.2+', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.6 table.sort'
do
  local l = { 5, 2, 8, 1, 9, 3 }
  table.sort(l)
  t.is_deeply(l, { 1, 2, 3, 5, 8, 9 }, 'sort uses < by default')
  local s = { 'pear', 'apple', 'fig' }
  table.sort(s)
  t.is_deeply(s, { 'apple', 'fig', 'pear' }, 'strings sort by <')
  local d = { 5, 2, 8, 1 }
  table.sort(d, function(a, b) return a > b end)
  t.is_deeply(d, { 8, 5, 2, 1 }, 'a comparator gives the order')
  local recs = { { k = 3 }, { k = 1 }, { k = 2 } }
  table.sort(recs, function(a, b) return a.k < b.k end)
  t.is_deeply({ recs[1].k, recs[2].k, recs[3].k }, { 1, 2, 3 }, 'sorting records by a field')
  local e = {}
  table.sort(e)
  t.is_deeply(e, {}, 'sorting an empty table')
  local one = { 'x' }
  table.sort(one)
  t.is_deeply(one, { 'x' }, 'sorting one element')
  local big = {}
  local seed = 12345
  for i = 1, 1000 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    big[i] = seed % 1000
  end
  table.sort(big)
  local sorted = true
  for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
  t.ok(sorted, '1000 pseudo-random numbers end up sorted')
  t.is(#big, 1000, 'and none is lost')
  local dup = { 3, 1, 3, 1, 2, 2 }
  table.sort(dup)
  t.is_deeply(dup, { 1, 1, 2, 2, 3, 3 }, 'duplicates sort together')
  local mixed = { 2.5, 1, 3, -0.5 }
  table.sort(mixed)
  t.is_deeply(mixed, { -0.5, 1, 2.5, 3 }, 'integers and floats sort together')
  local obj = setmetatable({}, { __lt = function(a, b) return a.v < b.v end })
  local objs = {}
  for i, v in ipairs({ 3, 1, 2 }) do objs[i] = setmetatable({ v = v }, getmetatable(obj)) end
  table.sort(objs)
  t.is_deeply({ objs[1].v, objs[2].v, objs[3].v }, { 1, 2, 3 }, 'sort uses __lt')
  local ok, e2 = pcall(table.sort, { 3, 1, 2 }, function() error('cmp failed', 0) end)
  t.ok(not ok and e2 == 'cmp failed', 'an error in the comparator propagates')
  local ok3, e3 = pcall(table.sort, { 1, 'x', 2 })
  t.ok(not ok3 and e3:match('compare'), 'comparing a number with a string is an error')
  local tbl = { {}, {} }
  local ok4 = pcall(table.sort, tbl)
  t.is(ok4, false, 'tables without __lt cannot be compared')
  t.error_like(function() table.sort({ 1, 2 }, 5) end, 'bad argument #2', 'a non-function comparator is an error')
  t.error_like(function() table.sort() end, 'bad argument #1', 'sort() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.6 metamethods in the table library (5.3+)'
if D.version >= 5.3 then
  local store = {}
  local proxy = setmetatable({}, {
    __index = store,
    __newindex = store,
    __len = function() return #store end,
  })
  table.insert(proxy, 'a')
  table.insert(proxy, 'b')
  table.insert(proxy, 1, 'z')
  t.is_deeply(store, { 'z', 'a', 'b' }, 'insert goes through __len, __index and __newindex')
  t.is(table.concat(proxy, ','), 'z,a,b', 'concat reads through __index and __len')
  t.is(table.remove(proxy), 'b', 'remove uses __len')
  t.is_deeply(pack(table.unpack(proxy)), { n = 2, 'z', 'a' }, 'unpack uses __len and __index')
  table.sort(proxy)
  t.is_deeply(store, { 'a', 'z' }, 'sort reads and writes through the metamethods')
  local log = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) return 'v' .. k end,
    __newindex = function(_, k, v) log[#log + 1] = k .. '=' .. v end,
  })
  table.move(proxy, 1, 2, 1, proxy)
  t.is_deeply(log, { '1=v1', '2=v2' }, 'move uses __index and __newindex')
else
  t.skip('the table library respects metamethods from 5.3 on', 6)
end

t.section '§6.6 5.1 table functions'
if D.version == 5.1 then
  t.is(table.maxn({ 1, 2, [10] = 3 }), 10, 'table.maxn is the largest positive numeric index (5.1)')
  t.is(table.maxn({}), 0, 'maxn of an empty table is 0 (5.1)')
  t.is(table.getn({ 1, 2, 3 }), 3, 'table.getn is the length (5.1)')
else
  t.skip('table.maxn and table.getn are 5.1 functions', 3)
end

t.done_testing()
