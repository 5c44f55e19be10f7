-- 040-coroutine-basics.t -- Lua 5.4 manual §2.6 (coroutines) and §6.2
-- (coroutine library): create, resume, yield, status, wrap, running,
-- isyieldable; values passed both ways; status transitions.
local t = require 'tap'
local D = require 'lvt_dialect'

local unpack = table.unpack or unpack
local co_create, co_resume, co_yield = coroutine.create, coroutine.resume, coroutine.yield
local co_status, co_wrap, co_running = coroutine.status, coroutine.wrap, coroutine.running

-- Packs results with their count (5.1 has no table.pack).
local function pack(...) return { n = select('#', ...), ... } end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.create'
do
  local co = co_create(function() end)
  t.is(type(co), 'thread', 'create returns a thread')
  t.is(co_status(co), 'suspended', 'a new coroutine is suspended')
  local co2 = co_create(function() end)
  t.ok(co ~= co2, 'each create gives a distinct thread')
  t.error_like(function() co_create(42) end, 'bad argument #1', 'create(number) is an error')
  t.error_like(function() co_create() end, 'bad argument #1', 'create() without a body is an error')
  t.error_like(function() co_create({}) end, 'bad argument #1', 'create(table) is an error')
end

-- ---------------------------------------------------------------------
t.section '§2.6 values passed both ways'
do
  local log = {}
  local co = co_create(function(a, b, c)
    log[#log + 1] = { a, b, c }
    local x, y = co_yield(a + b, 'first')
    log[#log + 1] = { x, y }
    local r = pack(co_yield())
    log[#log + 1] = r
    return 'done', r.n
  end)
  local r1 = pack(co_resume(co, 1, 2, 3))
  t.is_deeply(log[1], { 1, 2, 3 }, 'first resume passes its extra arguments to the body')
  t.is_deeply(r1, { n = 3, true, 3, 'first' }, 'resume returns true plus the values passed to yield')
  t.is(co_status(co), 'suspended', 'a yielded coroutine is suspended')
  local r2 = pack(co_resume(co, 'x', 'y', 'extra'))
  t.is_deeply(log[2], { 'x', 'y' }, 'next resume arguments are the results of yield')
  t.is_deeply(r2, { n = 1, true }, 'yield() with no values: resume returns only true')
  local r3 = pack(co_resume(co, nil, nil))
  t.is(log[3].n, 2, 'trailing nils passed to resume arrive as yield results')
  t.is_deeply(r3, { n = 3, true, 'done', 2 }, 'resume returns true plus the body return values')
  t.is(co_status(co), 'dead', 'a coroutine that returned is dead')
end

do
  local co = co_create(function(...) return select('#', ...), ... end)
  local r = pack(co_resume(co, nil, 2, nil))
  t.is(r.n, 5, 'nil arguments count as arguments of the body')
  t.is(r[2], 3, 'select("#") inside the body sees 3 arguments')
  t.ok(r[3] == nil and r[4] == 2 and r[5] == nil, 'the nils come back in place')
end

do
  local co = co_create(function() end)
  local r = pack(co_resume(co))
  t.is_deeply(r, { n = 1, true }, 'a body returning nothing: resume returns true only')
end

do
  local many = {}
  for i = 1, 200 do many[i] = i end
  local co = co_create(function(...) local got = pack(...) co_yield(unpack(got, 1, got.n)) return got.n end)
  local r = pack(co_resume(co, unpack(many)))
  t.is(r.n, 201, 'many values go through resume and yield')
  t.is(r[201], 200, 'the last of many yielded values is intact')
  t.is_deeply(pack(co_resume(co)), { n = 2, true, 200 }, 'the body saw 200 arguments')
end

do   -- yield passes any kind of value
  local tbl, fn = {}, function() end
  local co = co_create(function() co_yield(tbl, fn, true, false, 1.5, 'str') end)
  local ok, a, b, c, d, e, f = co_resume(co)
  t.ok(ok and a == tbl and b == fn, 'tables and functions pass through yield by reference')
  t.ok(c == true and d == false and e == 1.5 and f == 'str', 'booleans, numbers and strings pass through yield')
end

do   -- a generator
  local function gen(n)
    return co_wrap(function() for i = 1, n do co_yield(i) end end)
  end
  local got = {}
  for v in gen(5) do got[#got + 1] = v end
  t.is_deeply(got, { 1, 2, 3, 4, 5 }, 'a wrap-based generator drives a generic for')
end

do   -- the body keeps its locals and upvalues across yields
  local up = 0
  local co = co_wrap(function()
    local acc = 0
    while true do
      local v = co_yield(acc)
      acc = acc + v
      up = up + 1
    end
  end)
  co()
  co(10) co(20)
  t.is(co(12), 42, 'locals survive yields')
  t.is(up, 3, 'upvalues shared with the creator see the updates')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.status'
do
  local seen = {}
  local outer
  local inner = co_create(function()
    seen.outer_from_inner = co_status(outer)
    co_yield()
  end)
  outer = co_create(function()
    seen.self = co_status(outer)
    co_resume(inner)
    seen.inner_after_yield = co_status(inner)
    co_yield()
    error('stop')
  end)
  t.is(co_status(outer), 'suspended', 'not yet started: suspended')
  co_resume(outer)
  t.is(seen.self, 'running', 'status of itself inside the body: running')
  t.is(seen.outer_from_inner, 'normal', 'a coroutine that resumed another is normal')
  t.is(seen.inner_after_yield, 'suspended', 'back from a yield: the inner one is suspended')
  t.is(co_status(outer), 'suspended', 'after yield: suspended')
  local ok = co_resume(outer)
  t.is(ok, false, 'an error in the body makes resume return false')
  t.is(co_status(outer), 'dead', 'stopped with an error: dead')
  t.is(co_status(inner), 'suspended', 'the inner coroutine stays suspended')
end

do
  local main = co_running()
  if D.version >= 5.2 then
    t.is(co_status(main), 'running', 'the main thread is running from inside itself')
    local st
    co_resume(co_create(function() st = co_status(main) end))
    t.is(st, 'normal', 'the main thread is normal while a coroutine runs')
  else
    t.skip('coroutine.running() gives no thread for the main one before 5.2', 2)
  end
end

do   -- running wrap
  local st
  local w
  w = co_wrap(function() st = co_status((co_running())) end)
  w()
  t.is(st, 'running', 'a wrap body sees itself running')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.running'
do
  local a, b = co_running()
  if D.version >= 5.2 then
    t.is(type(a), 'thread', 'main thread: running returns a thread')
    t.is(b, true, 'main thread: the boolean is true')
  else
    t.is(a, nil, 'main thread (5.1 manual): running returns nil')
    t.is(select('#', co_running()), 1, 'main thread (5.1 manual): a single result')
  end
  local co
  co = co_create(function()
    local c, ismain = co_running()
    co_yield(c == co, ismain)
  end)
  local _, same, ismain = co_resume(co)
  t.ok(same, 'inside a coroutine running returns that coroutine')
  if D.version >= 5.2 then
    t.is(ismain, false, 'inside a coroutine the boolean is false')
  else
    t.skip('running returns one value before 5.2', 1)
  end
  local w, fromw
  w = co_wrap(function() fromw = co_running() end)
  w()
  t.is(type(fromw), 'thread', 'a wrap body runs in a thread of its own')
  t.ok(fromw ~= a, 'which is not the main thread')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.isyieldable'
if D.need(t, 'coroutine_isyieldable', 4) then
  t.is(coroutine.isyieldable(), false, 'main thread is not yieldable')
  local inside
  local co = co_create(function() inside = coroutine.isyieldable() end)
  co_resume(co)
  t.is(inside, true, 'a coroutine body is yieldable')
  local in_pcall
  co_resume(co_create(function() pcall(function() in_pcall = coroutine.isyieldable() end) end))
  t.is(in_pcall, D.has.yield_across_pcall, 'inside pcall: yieldable where the dialect yields across pcall')
  local w = co_wrap(function() return coroutine.isyieldable() end)
  t.is(w(), true, 'a wrap body is yieldable')
end

t.section '§6.2 coroutine.isyieldable (co) (5.4)'
if D.version >= 5.4 then
  local co = co_create(function() co_yield() end)
  t.is(coroutine.isyieldable(co), true, 'a suspended coroutine is yieldable')
  t.is(coroutine.isyieldable((co_running())), false, 'isyieldable(main thread) is false')
  local st
  local other = co_create(function() st = coroutine.isyieldable(co) end)
  co_resume(co)
  co_resume(other)
  t.is(st, true, 'asked from another coroutine: still true')
else
  t.skip('isyieldable takes a coroutine argument from 5.4 on', 3)
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.wrap'
do
  local w = co_wrap(function(a, b)
    local c = co_yield(a + b)
    local d, e = co_yield(c * 2)
    return d .. e, 'end'
  end)
  t.is(type(w), 'function', 'wrap returns a function')
  t.is(w(1, 2), 3, 'first call starts the body with its arguments')
  t.is(w(21), 42, 'later calls pass their arguments as yield results')
  local r = pack(w('a', 'b'))
  t.is_deeply(r, { n = 2, 'ab', 'end' }, 'the final return values come back without a boolean')
  t.error_like(function() w() end, 'dead coroutine', 'calling a finished wrap raises cannot resume dead coroutine')
  t.error_like(function() co_wrap(1) end, 'bad argument #1', 'wrap(number) is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.resume'
do
  local co = co_create(function() return 1 end)
  co_resume(co)
  local r = pack(co_resume(co))
  t.is(r[1], false, 'resuming a dead coroutine returns false')
  t.like(r[2], 'cannot resume dead coroutine', 'with the message cannot resume dead coroutine')
  t.is(r.n, 2, 'exactly two results')
end

do
  local co
  co = co_create(function() return co_resume(co) end)
  local ok, ok2, msg = co_resume(co)
  t.is(ok, true, 'the outer resume of a self-resuming coroutine succeeds')
  t.is(ok2, false, 'resuming the running coroutine returns false')
  t.like(msg, 'cannot resume', 'running: with a cannot resume message')
end

do
  local a, b
  a = co_create(function() return co_resume(b) end)
  b = co_create(function() return co_resume(a) end)
  local ok, okb, oka, msg = co_resume(a)
  t.ok(ok and okb, 'a resumes b successfully')
  t.is(oka, false, 'resuming a normal coroutine returns false')
  t.like(msg, 'cannot resume', 'normal: with a cannot resume message')
  t.is(co_status(a), 'dead', 'both finish afterwards')
end

do
  if D.version >= 5.2 then
    local main = co_running()
    local ok, msg
    co_resume(co_create(function() ok, msg = co_resume(main) end))
    t.is(ok, false, 'resuming the main thread from a coroutine returns false')
    t.like(msg, 'cannot resume', 'main thread: with a cannot resume message')
  else
    t.skip('no handle on the main thread before 5.2', 2)
  end
  t.error_like(function() co_resume(42) end, 'bad argument #1', 'resume(number) is an error')
  t.error_like(function() co_resume() end, 'bad argument #1', 'resume() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.yield'
do
  local ok, msg = pcall(co_yield, 1)
  t.is(ok, false, 'yield from the main thread is an error')
  t.like(msg, 'yield', 'the message mentions yield')
  local w = co_wrap(function() return pcall(co_yield, 'v') end)
  if D.has.yield_across_pcall then
    t.is(w(), 'v', 'yield called through pcall yields the value')
  else
    local r = pack(w())
    t.is(r[1], false, 'yield through pcall fails where the dialect cannot yield across pcall')
  end
end

do   -- nested coroutines: a yield returns to the direct resumer only
  local trace = {}
  local inner = co_wrap(function()
    trace[#trace + 1] = 'i1'
    co_yield('from inner')
    trace[#trace + 1] = 'i2'
  end)
  local outer = co_wrap(function()
    trace[#trace + 1] = 'o1'
    local v = inner()
    trace[#trace + 1] = v
    co_yield('from outer')
    inner()
    trace[#trace + 1] = 'o2'
    return 'outer done'
  end)
  t.is(outer(), 'from outer', 'the outer coroutine yields its own value')
  t.is(outer(), 'outer done', 'the outer coroutine finishes')
  t.is_deeply(trace, { 'o1', 'i1', 'from inner', 'i2', 'o2' }, 'inner yields went to the outer coroutine')
end

do   -- recursion inside a coroutine, then yield from deep inside
  local function walk(tree)
    if type(tree) == 'table' then
      for i = 1, #tree do walk(tree[i]) end
    else
      co_yield(tree)
    end
  end
  local leaves = {}
  for leaf in co_wrap(function() walk({ 1, { 2, { 3, { 4 } }, 5 }, { { { 6 } } } }) end) do
    leaves[#leaves + 1] = leaf
  end
  t.is_deeply(leaves, { 1, 2, 3, 4, 5, 6 }, 'yield from nested recursion inside the body')
end

do   -- a deep chain of coroutines, each resuming the next
  local function chain(n)
    if n == 0 then return co_yield('bottom') end
    local c = co_wrap(function() return chain(n - 1) end)
    return c()
  end
  local top = co_create(function() return chain(100) end)
  local ok, v = co_resume(top)
  t.ok(ok and v == 'bottom', 'the innermost yield of a chain of 100 returns to the level above it')
  t.is(co_status(top), 'dead', 'the value then travels up as return values: the top one is dead')
end

do   -- an echo coroutine: each resume value comes back from the next yield
  local co = co_create(function(...)
    local v = pack(...)
    while v.n > 0 do v = pack(co_yield(unpack(v, 1, v.n))) end
    return 'end'
  end)
  t.is_deeply(pack(co_resume(co, 'a', 'b')), { n = 3, true, 'a', 'b' }, 'echo: first resume')
  t.is_deeply(pack(co_resume(co, 'c')), { n = 2, true, 'c' }, 'echo: second resume')
  t.is_deeply(pack(co_resume(co, nil)), { n = 2, true, nil }, 'echo: a single nil is a value')
  t.is_deeply(pack(co_resume(co)), { n = 2, true, 'end' }, 'echo: no values ends the loop')
end

t.done_testing()
