-- 041-coroutine-errors.t -- Lua 5.4 manual §2.6 and §6.2: errors inside
-- coroutines, where they are reported (resume vs. wrap), status after an
-- error, inspecting a dead coroutine with the debug library, and
-- coroutine.close with pending to-be-closed variables (§3.3.8, 5.4).
local t = require 'tap'
local D = require 'lvt_dialect'

local co_create, co_resume, co_yield = coroutine.create, coroutine.resume, coroutine.yield
local co_status, co_wrap = coroutine.status, coroutine.wrap
local load = loadstring or load

local function pack(...) return { n = select('#', ...), ... } end

-- The line of the caller (for position checks).
local function here() return debug.getinfo(2, 'l').currentline end

-- ---------------------------------------------------------------------
t.section '§2.6 errors reported by resume'
do
  local line
  local co = co_create(function()
    line = here() + 1
    error('boom')
  end)
  local r = pack(co_resume(co))
  t.is(r[1], false, 'an error in the body: resume returns false')
  t.like(r[2], ':' .. line .. ': boom$', 'plus the message with the position of error()')
  t.is(r.n, 2, 'exactly two results')
  t.is(co_status(co), 'dead', 'the coroutine is dead afterwards')
  local r2 = pack(co_resume(co))
  t.is(r2[1], false, 'resuming it again returns false')
  t.like(r2[2], 'dead coroutine', 'because it is dead')
end

do
  local obj = { code = 7 }
  local co = co_create(function() error(obj) end)
  local ok, e = co_resume(co)
  t.is(ok, false, 'a table error object: resume returns false')
  t.ok(rawequal(e, obj), 'and the very same table')
  local co2 = co_create(function() error('no position', 0) end)
  local _, e2 = co_resume(co2)
  t.is(e2, 'no position', 'error level 0 adds no position')
  local co3 = co_create(function() error() end)
  local r3 = pack(co_resume(co3))
  t.ok(r3[1] == false and r3[2] == nil, 'error() with no value: false, nil')
end

do   -- error after some yields
  local co = co_create(function(n)
    for i = 1, n do co_yield(i) end
    error('after yields', 0)
  end)
  local seen = {}
  while true do
    local ok, v = co_resume(co, 3)
    if not ok then seen[#seen + 1] = 'E:' .. v break end
    seen[#seen + 1] = v
  end
  t.is_deeply(seen, { 1, 2, 3, 'E:after yields' }, 'the error comes after the yielded values')
end

do   -- runtime errors, not only error()
  local co = co_create(function() local x = nil; return x.field end)
  local ok, e = co_resume(co)
  t.is(ok, false, 'indexing nil inside a coroutine is caught by resume')
  t.like(e, 'attempt to index', 'with the runtime error message')
  local co2 = co_create(function() return 1 + {} end)
  local ok2, e2 = co_resume(co2)
  t.ok(not ok2 and e2:match('arithmetic'), 'arithmetic on a table is caught by resume')
end

do   -- an error inside the body does not escape resume, even deep inside
  local function deep(n) if n == 0 then error('deep', 0) end return deep(n - 1) + 1 end
  local ok, e = co_resume(co_create(function() return deep(50) end))
  t.ok(ok == false and e == 'deep', 'an error 50 calls deep is returned by resume')
  local lived = pcall(co_resume, co_create(function() error('x') end))
  t.ok(lived, 'resume itself does not raise for errors inside the body')
end

do   -- pcall inside a coroutine catches errors there
  local co = co_create(function()
    local ok, e = pcall(error, 'inner', 0)
    co_yield(ok, e)
    return 'went on'
  end)
  local _, ok, e = co_resume(co)
  t.ok(ok == false and e == 'inner', 'pcall inside the body catches the error')
  local _, v = co_resume(co)
  t.is(v, 'went on', 'and the coroutine goes on')
end

-- ---------------------------------------------------------------------
t.section '§2.6 errors reach the right caller'
do
  local inner = co_create(function() error('inner failed', 0) end)
  local outer = co_create(function()
    local ok, e = co_resume(inner)
    co_yield('outer saw: ' .. tostring(ok) .. ' ' .. e)
    return 'outer finished'
  end)
  local ok, v = co_resume(outer)
  t.ok(ok, 'the outer coroutine is not affected by the inner error')
  t.is(v, 'outer saw: false inner failed', 'the inner error went to the outer coroutine')
  t.is(co_status(inner), 'dead', 'inner is dead')
  t.is(co_status(outer), 'suspended', 'outer is suspended')
  local ok2, v2 = co_resume(outer)
  t.ok(ok2 and v2 == 'outer finished', 'outer still runs to completion')
end

do   -- a wrap inside a coroutine: the error goes to the body that called it
  local w = co_wrap(function() error('from w', 0) end)
  local co = co_create(function() w() return 'not reached' end)
  local ok, e = co_resume(co)
  t.is(ok, false, 'an error propagated by a wrap kills the calling coroutine')
  t.like(e, 'from w$', 'whose resume returns the error raised in the wrap body')
end

do
  local w = co_wrap(function() error('from w', 0) end)
  local co = co_create(function() return pcall(w) end)
  local ok, pok, e = co_resume(co)
  t.ok(ok, 'pcall around a wrap call inside a coroutine keeps it alive')
  t.ok(pok == false and e == 'from w', 'pcall gets the wrap error')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.wrap propagates errors'
do
  local line
  local w = co_wrap(function()
    line = here() + 1
    error('wrapped boom')
  end)
  local ok, e = pcall(function() return w() end)
  t.is(ok, false, 'an error in a wrap body is raised in the caller')
  t.like(e, ':' .. line .. ': wrapped boom$', 'the message keeps the position of the error')
  t.error_like(w, 'dead coroutine', 'the wrap is dead afterwards')
end

do
  local obj = setmetatable({}, { __tostring = function() return 'custom error' end })
  local w = co_wrap(function() error(obj) end)
  local ok, e = pcall(w)
  t.ok(not ok and rawequal(e, obj), 'a table error object passes through a wrap unchanged')
end

do
  local w = co_wrap(function() co_yield(1) error('second call', 0) end)
  t.is(w(), 1, 'the first call yields normally')
  t.error_like(w, '^second call$', 'the error happens on the second call')
end

do
  local w = co_wrap(function() local t2 = {} return t2.x.y end)
  t.error_like(w, 'attempt to index', 'a runtime error inside a wrap is propagated')
end

-- ---------------------------------------------------------------------
t.section '§2.6 the stack of a dead coroutine can be inspected'
do
  local co = co_create(function(a)
    local marker = 'kept'
    error('stop here', 0)
  end)
  co_resume(co, 'arg')
  local name, value = debug.getlocal(co, 1, 1)
  t.is(name, 'a', 'debug.getlocal sees the first local of the errored function')
  t.is(value, 'arg', 'with its value')
  local name2, value2 = debug.getlocal(co, 1, 2)
  t.ok(name2 == 'marker' and value2 == 'kept', 'and later locals')
  t.like(debug.traceback(co), 'traceback', 'debug.traceback of a dead coroutine is a traceback')
end

-- ---------------------------------------------------------------------
t.section '§6.2 coroutine.close (5.4)'
if D.need(t, 'coroutine_close', 19) then
  local close = coroutine.close
  local f = load([[
    local log = ...
    local function closer(name)
      return setmetatable({}, { __close = function(_, e) log[#log + 1] = name .. ':' .. tostring(e) end })
    end
    return function()
      local a <close> = closer('a')
      local b <close> = closer('b')
      coroutine.yield('y')
      log[#log + 1] = 'not reached'
    end, closer
  ]])
  local log = {}
  local body, closer = f(log)
  local co = co_create(body)
  co_resume(co)
  t.is_deeply(log, {}, 'nothing closed while suspended')
  local r = pack(close(co))
  t.is_deeply(r, { n = 1, true }, 'closing a suspended coroutine returns true')
  t.is_deeply(log, { 'b:nil', 'a:nil' }, 'pending variables closed in reverse order, with a nil error')
  t.is(co_status(co), 'dead', 'a closed coroutine is dead')
  local r2 = pack(co_resume(co))
  t.ok(r2[1] == false and r2[2]:match('dead coroutine'), 'resuming a closed coroutine fails: dead')
  t.is(close(co), true, 'closing a dead coroutine again returns true')

  t.is(close(co_create(function() end)), true, 'closing a never-started coroutine returns true')
  local fresh = co_create(function() end)
  close(fresh)
  t.is(co_status(fresh), 'dead', 'and it is dead afterwards')

  -- an error stopped the coroutine: close returns false plus that error
  local log2 = {}
  local g = load([[
    local log, closer = ...
    return function()
      local a <close> = closer('e')
      error({ tag = 'orig' })
    end
  ]])
  local co2 = co_create(g(log2, function(name)
    return setmetatable({}, { __close = function(_, e) log2[#log2 + 1] = name .. ':' .. type(e) end })
  end))
  local ok, e = co_resume(co2)
  t.ok(ok == false and e.tag == 'orig', 'resume reports the error')
  t.is_deeply(log2, {}, 'an error does not unwind the coroutine: nothing closed yet')
  local c1, c2 = close(co2)
  t.is(c1, false, 'close of a coroutine dead by error returns false')
  t.is(c2, e, 'plus the original error object')
  t.is_deeply(log2, { 'e:table' }, 'the pending variable is closed with the error object')

  -- an error in a closing method
  local h = load([[
    return function()
      local a <close> = setmetatable({}, { __close = function() error('in close', 0) end })
      coroutine.yield()
    end
  ]])
  local co3 = co_create(h())
  co_resume(co3)
  local d1, d2 = close(co3)
  t.ok(d1 == false and d2 == 'in close', 'an error in __close: close returns false plus that error')
  t.is(co_status(co3), 'dead', 'the coroutine is dead after a failed close')

  -- the coroutine must be dead or suspended
  local ok4, e4 = pcall(close, (coroutine.running()))
  t.ok(not ok4 and e4:match('close'), 'closing the running coroutine (main) is an error')
  local self
  self = co_create(function() return pcall(close, self) end)
  local _, ok5 = co_resume(self)
  t.is(ok5, false, 'a coroutine closing itself is an error')
  local a, b
  a = co_create(function() return co_resume(b) end)
  b = co_create(function() return pcall(close, a) end)
  local _, _, ok6 = co_resume(a)
  t.is(ok6, false, 'closing a normal coroutine is an error')
  t.error_like(function() close(42) end, 'bad argument', 'close(number) is an error')
end

t.section '§6.2 coroutine.wrap closes the coroutine on error (5.4)'
if D.need(t, 'close', 3) then
  local log = {}
  local mk = load([[
    local log = ...
    return function()
      local x <close> = setmetatable({}, { __close = function(_, e) log[#log + 1] = e end })
      error('wrap failed', 0)
    end
  ]])
  local w = co_wrap(mk(log))
  local ok, e = pcall(w)
  t.is(e, 'wrap failed', 'the wrap error reaches the caller')
  t.is(log[1], 'wrap failed', 'the pending variable was closed with the error first')
  t.error_like(w, 'dead coroutine', 'the wrap is dead afterwards')
end

t.done_testing()
