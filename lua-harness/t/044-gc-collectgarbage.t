-- 044-gc-collectgarbage.t -- Lua 5.4 manual §2.5 (garbage collection) and
-- §6.1 collectgarbage: 'collect', 'count', 'step', 'stop'/'restart',
-- 'isrunning' (5.2+), 'incremental'/'generational' (5.4), 'setpause'/
-- 'setstepmul' (5.1-5.3 manuals) and invalid options.
local t = require 'tap'
local D = require 'lvt_dialect'
if not D.has.collectgarbage then t.skip_all('needs a working collectgarbage (not in ' .. (_VERSION or '?') .. ')') return end

local function full_gc()
  collectgarbage()
  collectgarbage()
end

local has_isrunning = pcall(collectgarbage, 'isrunning')

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage "collect"'
do
  t.lives_ok(function() collectgarbage() end, 'collectgarbage() with no option is allowed')
  t.lives_ok(function() collectgarbage('collect') end, '"collect" is allowed')
  -- an unreachable big table is freed by a full collection
  full_gc()
  local base = collectgarbage('count')
  local big = {}
  for i = 1, 50000 do big[i] = { i } end
  local with = collectgarbage('count')
  t.ok(with > base + 500, 'allocating 50,000 tables raises the count',
       string.format('  base %.1f KB, with %.1f KB', base, with))
  big = nil
  collectgarbage('collect')
  local after = collectgarbage('count')
  t.ok(after < base + (with - base) / 10, 'a full collection frees them once unreachable',
       string.format('  base %.1f, with %.1f, after %.1f KB', base, with, after))
  -- reachable data survives a collection
  local keep = {}
  for i = 1, 1000 do keep[i] = { v = i } end
  full_gc()
  local okall = true
  for i = 1, 1000 do if keep[i].v ~= i then okall = false end end
  t.ok(okall, 'reachable tables survive a full collection intact')
  -- strings and closures too
  local s = string.rep('abc', 1000)
  local f = (function() local up = 'upvalue' return function() return up end end)()
  full_gc()
  t.is(#s, 3000, 'a reachable long string survives')
  t.is(f(), 'upvalue', 'a reachable closure and its upvalue survive')
end

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage "count"'
do
  local k = collectgarbage('count')
  t.is(type(k), 'number', '"count" returns a number')
  t.ok(k > 0, 'the count is positive')
  if math.type then
    t.is(math.type(k), 'float', '"count" is a float (it has a fractional part)')
  else
    t.skip('no number subtypes before 5.3', 1)
  end
  t.ok(k * 1024 == math.floor(k * 1024), 'count * 1024 is a whole number of bytes')
  if D.version == 5.2 then
    local kb, b = collectgarbage('count')
    t.is(type(b), 'number', '5.2: a second result')
    t.is(b, (kb - math.floor(kb)) * 1024, '5.2: the second result is the bytes modulo 1024')
  else
    t.is(select('#', collectgarbage('count')), 1, '"count" returns a single value (5.1, 5.3, 5.4)')
    t.skip('the second result of "count" exists only in 5.2', 1)
  end
  local s = {}
  local before = collectgarbage('count')
  for i = 1, 100 do s[i] = string.rep('x', 1000) .. i end
  t.ok(collectgarbage('count') - before >= 90, 'storing 100 KB of strings raises the count by at least 90 KB')
end

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage "step"'
do
  -- Cycles are a notion of the incremental mode; 5.4 hosts may start in
  -- generational mode (lua.c does), so run these in incremental mode.
  local mode = D.has.gc_generational and collectgarbage('incremental')
  full_gc()
  local finished, n = false, 0
  repeat
    n = n + 1
    finished = collectgarbage('step', 0)
  until finished or n > 100000
  t.is(finished, true, 'basic steps eventually finish a cycle and return true')
  t.is(type(collectgarbage('step')), 'boolean', '"step" returns a boolean')
  -- a step large enough to cover everything in use finishes a cycle
  local garbage = {}
  for i = 1, 1000 do garbage[i] = {} end
  garbage = nil
  local done = false
  for _ = 1, 100 do
    if collectgarbage('step', 100000) then done = true break end
  end
  t.ok(done, 'big steps finish a cycle')
  -- steps free unreachable objects over a cycle
  local weak = setmetatable({}, { __mode = 'v' })
  weak[1] = {}
  local cycles = 0
  for _ = 1, 100000 do
    if collectgarbage('step', 0) then
      cycles = cycles + 1
      if cycles == 2 then break end
    end
  end
  t.is(weak[1], nil, 'two cycles of steps collect an unreachable table')
  if mode then collectgarbage(mode) end
end

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage "stop" and "restart"'
do
  full_gc()
  collectgarbage('stop')
  if has_isrunning then
    t.is(collectgarbage('isrunning'), false, '"isrunning" is false after "stop"')
  else
    t.skip('"isrunning" is 5.2+', 1)
  end
  local before = collectgarbage('count')
  local junk = {}
  for i = 1, 20000 do junk[i % 16 + 1] = { i } end   -- stored: no allocation sinking
  junk = nil
  local grown = collectgarbage('count')
  t.ok(grown > before + 300, 'while stopped, garbage accumulates (no automatic collection)',
       string.format('  before %.1f KB, after 20,000 tables %.1f KB', before, grown))
  collectgarbage('collect')
  local collected = collectgarbage('count')
  t.ok(collected < grown - 300, 'an explicit "collect" still runs while stopped',
       string.format('  grown %.1f KB, collected %.1f KB', grown, collected))
  if has_isrunning then
    t.is(collectgarbage('isrunning'), false, 'an explicit collection does not restart the collector')
  else
    t.skip('"isrunning" is 5.2+', 1)
  end
  collectgarbage('restart')
  if has_isrunning then
    t.is(collectgarbage('isrunning'), true, '"isrunning" is true after "restart"')
  else
    t.skip('"isrunning" is 5.2+', 1)
  end
  -- with the collector running, a loop producing garbage stays bounded
  full_gc()
  local base = collectgarbage('count')
  local peak = base
  for i = 1, 200000 do
    local _ = { i, i }
    if i % 1000 == 0 then
      local c = collectgarbage('count')
      if c > peak then peak = c end
    end
  end
  t.ok(peak < base + 20000, 'running collector: 200,000 temporary tables do not pile up',
       string.format('  base %.1f KB, peak %.1f KB', base, peak))
end

t.section '§6.1 collectgarbage "isrunning" (5.2+)'
if has_isrunning then
  t.is(collectgarbage('isrunning'), true, 'the collector runs by default')
  t.is(type(collectgarbage('isrunning')), 'boolean', '"isrunning" returns a boolean')
  collectgarbage('stop')
  collectgarbage('stop')
  local twice = collectgarbage('isrunning')
  collectgarbage('restart')
  t.is(twice, false, 'stopping twice leaves it stopped')
  collectgarbage('restart')
  t.is(collectgarbage('isrunning'), true, 'restarting a running collector leaves it running')
else
  t.skip('collectgarbage("isrunning") is 5.2+', 4)
end

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage "incremental" and "generational" (5.4)'
if D.need(t, 'gc_generational', 8) then
  -- The host may have chosen either mode (lua.c starts in generational
  -- mode); lbaselib returns the previous mode as a string.
  local orig = collectgarbage('incremental')
  t.ok(orig == 'incremental' or orig == 'generational', 'the previous mode is returned as a string')
  t.is(collectgarbage('generational'), 'incremental', 'switching to generational returns "incremental"')
  t.is(collectgarbage('generational'), 'generational', 'asking again returns "generational"')
  -- collections work in generational mode
  local weak = setmetatable({}, { __mode = 'k' })
  weak[{}] = true
  collectgarbage()
  t.is(next(weak), nil, 'a full collection in generational mode clears weak keys')
  t.is(collectgarbage('step', 0) ~= nil, true, '"step" works in generational mode')
  t.is(collectgarbage('incremental', 0, 0, 0), 'generational', 'back to incremental (zeros keep the parameters)')
  t.is(collectgarbage('incremental', 200, 100, 13), 'incremental', 'setting parameters keeps incremental')
  t.is(collectgarbage('generational', 20, 100), 'incremental', 'generational with parameters')
  collectgarbage(orig)
end

t.section '§6.1 collectgarbage "setpause" and "setstepmul" (5.1-5.3)'
if D.version <= 5.3 then
  local p = collectgarbage('setpause', 150)
  t.is(type(p), 'number', '"setpause" returns the previous value')
  t.is(collectgarbage('setpause', p), 150, 'setting the pause back returns what was set')
  local m = collectgarbage('setstepmul', 300)
  t.is(type(m), 'number', '"setstepmul" returns the previous value')
  t.is(collectgarbage('setstepmul', m), 300, 'setting the step multiplier back returns what was set')
else
  t.skip('"setpause"/"setstepmul" are not in the 5.4 manual (see "incremental")', 4)
end

-- ---------------------------------------------------------------------
t.section '§6.1 collectgarbage invalid options'
do
  t.error_like(function() collectgarbage('bogus') end, "invalid option 'bogus'", 'an unknown option is an error')
  t.error_like(function() collectgarbage('') end, 'invalid option', 'the empty option is an error')
  t.error_like(function() collectgarbage({}) end, 'bad argument #1', 'a table option is an error')
  t.error_like(function() collectgarbage('COLLECT') end, 'invalid option', 'options are case-sensitive')
end

t.done_testing()
