-- 043-coroutine-churn.t -- Lua 5.4 manual §2.6, §6.2 and §2.5: a
-- coroutine-heavy workload. Creates and drops 20,000 coroutines per round
-- (never started, finished, suspended, dead by error, wraps) and checks
-- that every one behaved, that none stays reachable from a weak table
-- after a full collection (§2.5.4), and that collectgarbage('count')
-- plateaus: a second round must not leave more memory in use than the
-- first (a leak per coroutine would show as ~20,000 objects).
local t = require 'tap'
local D = require 'lvt_dialect'
if not D.has.collectgarbage then t.skip_all('needs a working collectgarbage (not in ' .. (_VERSION or '?') .. ')') return end

local co_create, co_resume, co_yield = coroutine.create, coroutine.resume, coroutine.yield
local co_status, co_wrap = coroutine.status, coroutine.wrap

local N = 20000
local N5, N10 = 4000, 2000      -- N / 5 and N / 10 as integers (5.1 has no //)

local function full_gc()
  collectgarbage()
  collectgarbage()
end

local function count_keys(tbl)
  local n = 0
  for _ in pairs(tbl) do n = n + 1 end
  return n
end

-- Bodies, created once so that a round allocates only coroutines.
local function finish(a, b) return a + b end
local function suspend(a) local x = co_yield(a) return x end
local function fail(a) error({ code = a }) end
local function deep(n) if n == 0 then return co_yield('bottom') end return deep(n - 1) end
local function empty() end

-- One round: N coroutines of five kinds, all dropped at the end. Returns
-- what it observed, and registers every coroutine in 'registry' (weak).
local function round(registry)
  local sum, yielded, errors, dead, wrapped, started = 0, 0, 0, 0, 0, 0
  for i = 1, N do
    local kind = i % 5
    local co
    if kind == 0 then
      co = co_create(empty)                   -- never started
    elseif kind == 1 then
      co = co_create(finish)
      local ok, v = co_resume(co, i, 1)
      if ok then sum = sum + v end
      started = started + 1
    elseif kind == 2 then
      co = co_create(suspend)
      local ok, v = co_resume(co, i)
      if ok and v == i then yielded = yielded + 1 end
      started = started + 1
    elseif kind == 3 then
      co = co_create(fail)
      local ok, e = co_resume(co, i)
      if not ok and type(e) == 'table' and e.code == i then errors = errors + 1 end
      started = started + 1
    else
      co = co_create(deep)
      local ok, v = co_resume(co, 20)
      if ok and v == 'bottom' then started = started + 1 end
    end
    if co_status(co) == 'dead' then dead = dead + 1 end
    registry[co] = true
    if i % 10 == 0 then
      local w = co_wrap(finish)
      if w(1, 1) == 2 then wrapped = wrapped + 1 end
    end
  end
  return { sum = sum, yielded = yielded, errors = errors, dead = dead,
           wrapped = wrapped, started = started }
end

-- ---------------------------------------------------------------------
t.section '§6.2 many coroutines'
local registry = setmetatable({}, { __mode = 'k' })
full_gc()
local r1 = round(registry)
local expect_sum = 0
for i = 1, N do if i % 5 == 1 then expect_sum = expect_sum + i + 1 end end
t.is(r1.sum, expect_sum, 'every finished coroutine returned its result')
t.is(r1.yielded, N5, 'every suspending coroutine yielded its argument')
t.is(r1.errors, N5, 'every failing coroutine reported its own error object')
t.is(r1.dead, 2 * N5, 'finished and failed coroutines are dead, the others are not')
t.is(r1.wrapped, N10, 'every wrap returned its result')
t.is(r1.started, 4 * N5, 'every started coroutine ran, deep ones to their yield')

t.section '§2.5.4 dropped coroutines leave weak tables'
full_gc()
t.is(count_keys(registry), 0, 'no dropped coroutine is left in a weak-keyed table after a full collection')
local c1 = collectgarbage('count')

t.section '§2.5 memory plateaus across rounds'
local r2 = round(registry)
t.is_deeply(r2, r1, 'a second round behaves exactly like the first')
r2 = nil
full_gc()
t.is(count_keys(registry), 0, 'the weak table is empty again after the second round')
local c2 = collectgarbage('count')
-- Slack: 10% plus 64 KB for allocator and table-size noise. A leak of one
-- small object per coroutine would be >= 20,000 * 40 bytes = 780 KB.
t.ok(c2 <= c1 * 1.10 + 64, 'memory after round 2 is not above round 1',
     string.format('  after round 1: %.1f KB, after round 2: %.1f KB', c1, c2))
local r3 = round(registry)
t.is(r3.sum, expect_sum, 'a third round still computes the same results')
r3 = nil
full_gc()
local c3 = collectgarbage('count')
t.ok(c3 <= c1 * 1.10 + 64, 'memory after round 3 is not above round 1',
     string.format('  after round 1: %.1f KB, after round 3: %.1f KB', c1, c3))

-- ---------------------------------------------------------------------
t.section '§2.5 big suspended stacks are reclaimed'
do
  full_gc()
  local before = collectgarbage('count')
  local held = {}
  for i = 1, 200 do
    local co = co_create(deep)
    co_resume(co, 150)               -- a suspended stack 150 frames deep
    held[i] = co
  end
  local during = collectgarbage('count')
  t.ok(during > before + 50, 'holding 200 deep suspended coroutines uses memory',
       string.format('  before %.1f KB, during %.1f KB', before, during))
  held = nil
  full_gc()
  local after = collectgarbage('count')
  t.ok(after < before + (during - before) / 4, 'dropping them gives the memory back',
       string.format('  before %.1f KB, during %.1f KB, after %.1f KB', before, during, after))
end

t.section '§2.6 a coroutine referenced only by itself is collected'
do
  local weak = setmetatable({}, { __mode = 'v' })
  do
    local co
    co = co_create(function() local me = co co_yield(me) end)
    co_resume(co)
    weak[1] = co
  end
  full_gc()
  t.is(weak[1], nil, 'a suspended coroutine whose only reference is on its own stack is garbage')
end

t.section '§6.2 coroutine.close in a loop (5.4)'
if D.need(t, 'coroutine_close', 3) then
  local close = coroutine.close
  full_gc()
  local before = collectgarbage('count')
  local closed = 0
  for i = 1, N do
    local co = co_create(suspend)
    co_resume(co, i)
    if close(co) and co_status(co) == 'dead' then closed = closed + 1 end
  end
  t.is(closed, N, 'closing 20,000 suspended coroutines succeeds every time')
  full_gc()
  local after = collectgarbage('count')
  t.ok(after <= before * 1.10 + 64, 'closed coroutines are collected',
       string.format('  before %.1f KB, after %.1f KB', before, after))
  local reg = setmetatable({}, { __mode = 'k' })
  for i = 1, 100 do
    local co = co_create(suspend) co_resume(co, i) close(co) reg[co] = true
  end
  full_gc()
  t.is(count_keys(reg), 0, 'closed coroutines leave weak tables')
end

t.done_testing()
