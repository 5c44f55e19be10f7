-- 045-gc-weak-finalizers.t -- Lua 5.4 manual §2.5.4 (weak tables:
-- __mode 'k', 'v', 'kv', ephemerons, what is never removed, resurrected
-- objects) and §2.5.3 (finalizers: __gc on tables (5.2+), marking rules,
-- order, resurrection, re-marking, errors). Every check follows a full
-- collectgarbage(); on 5.4 the weak-table checks run in both GC modes.
local t = require 'tap'
local D = require 'lvt_dialect'
if not D.has.collectgarbage then t.skip_all('needs a working collectgarbage (not in ' .. (_VERSION or '?') .. ')') return end

local function full_gc()
  collectgarbage()
  collectgarbage()
end

local function count_keys(tbl)
  local n = 0
  for _ in pairs(tbl) do n = n + 1 end
  return n
end

-- __gc on tables: 5.2+ (LuaJIT and 5.1 finalize only userdata).
local table_gc = D.version >= 5.2 and not D.luajit

-- ---------------------------------------------------------------------
-- Weak tables, once per GC mode available.
local modes = D.has.gc_generational and { 'incremental', 'generational' } or { false }
local saved_mode = D.has.gc_generational and collectgarbage('incremental')

for _, mode in ipairs(modes) do
  if mode then collectgarbage(mode) end
  local tag = mode and ' (' .. mode .. ')' or ''

  t.section '§2.5.4 weak keys: __mode "k"'
  do
    local wk = setmetatable({}, { __mode = 'k' })
    local kept = {}
    wk[kept] = 'kept value'
    wk[{}] = 'dropped'
    wk[function() end] = 'closure key'
    wk['str'] = {}                         -- strings are never removed
    wk[1] = {}                             -- neither are numbers
    wk[true] = {}
    full_gc()
    t.is(wk[kept], 'kept value', 'a reachable key stays' .. tag)
    t.is(count_keys(wk), 4, 'unreachable table and closure keys are removed' .. tag)
    t.ok(wk.str ~= nil and wk[1] ~= nil and wk[true] ~= nil,
         'string, number and boolean keys stay even with unreachable values' .. tag)
  end

  t.section '§2.5.4 weak values: __mode "v"'
  do
    local wv = setmetatable({}, { __mode = 'v' })
    local kept = {}
    local up = 'captured'
    wv.kept = kept
    wv.dropped = {}
    wv.closure = function() return up end
    wv.str = 'a string value' .. tostring(#up)   -- a fresh string: still not removed
    wv.num = 42
    wv.bool = false
    wv[{}] = 'strong string value with a table key'
    full_gc()
    t.ok(wv.kept == kept, 'a reachable value stays' .. tag)
    t.is(wv.dropped, nil, 'an unreachable table value is removed' .. tag)
    t.is(wv.closure, nil, 'an unreachable closure value is removed' .. tag)
    t.is(wv.str, 'a string value8', 'string values are never removed' .. tag)
    t.ok(wv.num == 42 and wv.bool == false, 'number and boolean values stay' .. tag)
    local n = 0
    for k, v in pairs(wv) do if type(k) == 'table' then n = n + 1 end end
    t.is(n, 1, 'a table key with a string value stays in a weak-value table' .. tag)
  end

  t.section '§2.5.4 weak keys and values: __mode "kv"'
  do
    local wkv = setmetatable({}, { __mode = 'kv' })
    local k1, v2 = {}, {}
    wkv[k1] = {}                 -- value unreachable: pair goes
    wkv[{}] = v2                 -- key unreachable: pair goes
    wkv[k1 and 'both'] = 'stay'  -- string key and value: stays
    local k3, v3 = {}, {}
    wkv[k3] = v3                 -- both reachable: stays
    full_gc()
    t.is(wkv[k1], nil, 'a pair whose value was collected is removed' .. tag)
    t.is(wkv.both, 'stay', 'a pair of strings stays' .. tag)
    t.ok(wkv[k3] == v3, 'a pair with both ends reachable stays' .. tag)
    t.is(count_keys(wkv), 2, 'a pair whose key was collected is removed' .. tag)
  end

  t.section '§2.5.4 ephemeron tables (5.2+)'
  if D.version >= 5.2 and not D.luajit then
    local eph = setmetatable({}, { __mode = 'k' })
    do
      local k = {}
      eph[k] = { ref = k }             -- the value refers to its own key
      local a, b = {}, {}
      eph[a] = b                       -- a chain: a -> b, b -> a through another pair
      eph[b] = { a }
    end
    local live = {}
    eph[live] = { ref = live }
    full_gc()
    t.is(count_keys(eph), 1, 'pairs whose keys are reachable only through values are removed' .. tag)
    t.ok(eph[live] and eph[live].ref == live, 'a reachable key keeps its value' .. tag)
    -- a value reachable only through a live key stays reachable
    local holder = setmetatable({}, { __mode = 'k' })
    local key = {}
    holder[key] = { payload = 'p' }
    full_gc()
    t.is(holder[key].payload, 'p', 'the value of a reachable key is not collected' .. tag)
  else
    t.skip('ephemeron semantics are specified from 5.2 on', 3)
  end
end
if saved_mode then collectgarbage(saved_mode) end

t.section '§2.5.4 weak tables: details'
do
  -- numbers and strings never count as collectable entries
  local w = setmetatable({}, { __mode = 'kv' })
  for i = 1, 100 do w[i] = 'v' .. i end
  full_gc()
  t.is(count_keys(w), 100, 'number keys with string values all stay')
  -- a weak table referenced only weakly is itself collected
  local outer = setmetatable({}, { __mode = 'v' })
  outer[1] = setmetatable({}, { __mode = 'k' })
  full_gc()
  t.is(outer[1], nil, 'an unreachable weak table is collected like any table')
  -- objects reachable from a strong table stay in a weak table
  local strong, weak = {}, setmetatable({}, { __mode = 'v' })
  for i = 1, 10 do strong[i] = {} weak[i] = strong[i] end
  strong[5] = nil
  full_gc()
  local present = 0
  for i = 1, 10 do if weak[i] then present = present + 1 end end
  t.is(present, 9, 'only the entry whose strong reference went away is removed')
  t.is(weak[5], nil, 'which is the one dropped')
  -- a coroutine is an object
  local wc = setmetatable({}, { __mode = 'k' })
  wc[coroutine.create(function() end)] = true
  full_gc()
  t.is(next(wc), nil, 'an unreachable coroutine key is removed')
end

-- ---------------------------------------------------------------------
t.section '§2.5.3 finalizers: __gc on tables (5.2+)'
if table_gc then
  local called, arg = 0, nil
  do
    local o = setmetatable({ id = 'obj' }, { __gc = function(x) called = called + 1 arg = x.id end })
  end
  full_gc()
  t.is(called, 1, 'the finalizer of an unreachable table runs in a full collection')
  t.is(arg, 'obj', 'with the object itself as its argument')
  full_gc()
  t.is(called, 1, 'and only once')

  local kept_called = false
  local kept = setmetatable({}, { __gc = function() kept_called = true end })
  full_gc()
  t.is(kept_called, false, 'a reachable object is not finalized')
  kept = nil
  full_gc()
  t.is(kept_called, true, 'it is once unreachable')

  -- marking: __gc must be present when the metatable is set
  local late = false
  do
    local mt = {}
    setmetatable({}, mt)
    mt.__gc = function() late = true end
  end
  full_gc()
  t.is(late, false, '__gc added to the metatable after setmetatable: not marked')

  local remarked = false
  do
    local mt = {}
    local o = setmetatable({}, mt)
    mt.__gc = function() remarked = true end
    setmetatable(o, mt)                       -- set again now that __gc is there
  end
  full_gc()
  t.is(remarked, true, 'setting the metatable again after adding __gc marks the object')

  local changed = nil
  do
    local mt = { __gc = true }                -- any value marks the object
    setmetatable({}, mt)
    mt.__gc = function() changed = 'new' end  -- once marked, the field may change
  end
  full_gc()
  t.is(changed, 'new', 'after marking, the __gc field can be changed freely')

  local removed = false
  do
    local mt = { __gc = function() removed = true end }
    setmetatable({}, mt)
    mt.__gc = nil                             -- no finalizer present at collection time
  end
  full_gc()
  t.is(removed, false, 'a __gc field removed before collection: nothing is called')
else
  t.skip('__gc on tables is 5.2+ (LuaJIT and 5.1 finalize userdata only)', 9)
end

t.section '§2.5.3 finalizers: order'
if table_gc then
  local order = {}
  do
    for i = 1, 6 do
      setmetatable({}, { __gc = function() order[#order + 1] = i end })
    end
  end
  full_gc()
  t.is_deeply(order, { 6, 5, 4, 3, 2, 1 }, 'finalizers run in reverse order of marking')

  local order2 = {}
  do
    local objs = {}
    for i = 1, 4 do objs[i] = {} end
    -- marked in the order 3, 1, 4, 2
    for _, i in ipairs({ 3, 1, 4, 2 }) do
      setmetatable(objs[i], { __gc = function() order2[#order2 + 1] = i end })
    end
  end
  full_gc()
  t.is_deeply(order2, { 2, 4, 1, 3 }, 'the order is that of marking, not of creation')
else
  t.skip('__gc on tables is 5.2+', 2)
end

t.section '§2.5.3 finalizers: resurrection'
if table_gc then
  local saved
  local calls = 0
  local wv = setmetatable({}, { __mode = 'v' })
  local wk = setmetatable({}, { __mode = 'k' })
  do
    local o = setmetatable({ name = 'phoenix', data = { 1, 2, 3 } },
                           { __gc = function(x) calls = calls + 1 saved = x end })
    wv[1] = o
    wk[o] = 'prop'
  end
  collectgarbage()
  t.is(calls, 1, 'the finalizer ran')
  t.is(saved and saved.name, 'phoenix', 'a finalizer can store its object: permanent resurrection')
  t.is_deeply(saved and saved.data, { 1, 2, 3 }, 'objects reachable from it are resurrected too')
  t.is(wv[1], nil, 'resurrected objects are removed from weak values before the finalizer runs')
  t.is(wk[saved], 'prop', 'but stay in weak keys until actually freed')
  full_gc()
  t.is(calls, 1, 'a resurrected object is not finalized again')
  saved = nil
  full_gc()
  t.is(next(wk), nil, 'once dead and finalized, it leaves weak keys')

  -- a finalizer that marks its object again is called again
  local again = 0
  do
    local mt = {}
    mt.__gc = function(x) again = again + 1 if again < 3 then setmetatable(x, mt) end end
    setmetatable({}, mt)
  end
  for _ = 1, 5 do full_gc() end
  if D.version == 5.2 then
    -- 5.2 manual §2.5.1: "its finalizer will never be called twice"
    t.is(again, 1, 're-marking inside the finalizer (5.2: a finalizer is never called twice)')
  else
    t.is(again, 3, 're-marking inside the finalizer makes it run again in a later cycle')
  end
else
  t.skip('__gc on tables is 5.2+', 8)
end

t.section '§2.5.3 finalizers: errors (5.4)'
if D.version >= 5.4 then
  local after = false
  do
    setmetatable({}, { __gc = function() error('finalizer failed') end })
    setmetatable({}, { __gc = function() after = true end })
  end
  local ok = pcall(collectgarbage)
  collectgarbage()
  t.is(ok, true, 'an error in a finalizer is not propagated (a warning instead)')
  t.is(after, true, 'other finalizers still run')
else
  t.skip('5.4 turns finalizer errors into warnings', 2)
end

t.section '§2.5.3 finalizers see their fields'
if table_gc then
  local seen
  do
    local inner = { 'inner' }
    setmetatable({ child = inner }, { __gc = function(x) seen = x.child[1] end })
  end
  full_gc()
  t.is(seen, 'inner', 'a finalizer can read objects reachable only from its object')
  local count = 0
  do
    for _ = 1, 1000 do setmetatable({}, { __gc = function() count = count + 1 end }) end
  end
  full_gc()
  t.is(count, 1000, 'a thousand finalizers all run')
else
  t.skip('__gc on tables is 5.2+', 2)
end

t.done_testing()
