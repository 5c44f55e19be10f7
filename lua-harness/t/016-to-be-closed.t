-- 016-to-be-closed.t -- Lua 5.4 manual §3.3.8 (to-be-closed variables)
-- and §3.3.7 (the close attribute): closing on normal block end, break,
-- goto, return and error; the value and the error object passed to
-- __close; reverse order; nil and false ignored; non-closable values;
-- at most one to-be-closed variable per list; constness; errors inside
-- __close; coroutines (coroutine.close, coroutine.wrap closing on
-- error). 5.4 only: every chunk is compiled from a string.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



if not D.has.close then
  t.skip_all('needs to-be-closed variables (not in ' .. _VERSION .. ')')
  return
end

-- A log and a maker of closable values that append "tag:err" to it.
local log
local function reset() log = {} end
local function closer(tag)
  return setmetatable({ tag = tag }, {
    __close = function(v, err)
      log[#log + 1] = v.tag .. ':' .. tostring(err)
    end })
end
local function joined() return table.concat(log, ' ') end

----------------------------------------------------------------------------
t.section '§3.3.8'
-- Normal block end, order, arguments.
do
  reset()
  run([[
    local closer, log = ...
    do
      local a <close> = closer('a')
      local b <close> = closer('b')
      log[#log + 1] = 'body'
    end
    log[#log + 1] = 'after'
  ]], closer, log)
  t.is(joined(), 'body b:nil a:nil after', 'closed at block end, in reverse order, with nil error')
  reset()
  local seen_self, nargs
  local v = setmetatable({}, { __close = function(...) seen_self = (...) nargs = select('#', ...) end })
  run('local v = ... do local x <close> = v end', v)
  t.ok(seen_self == v, '__close receives the value itself')
  t.is(nargs, 2, '__close receives two arguments')
  reset()
  run([[
    local closer, log = ...
    local a <close> = closer('chunk')
    log[#log + 1] = 'end of chunk'
  ]], closer, log)
  t.is(joined(), 'end of chunk chunk:nil', 'a chunk-level variable is closed when the chunk returns')
  reset()
  run([[
    local closer, log = ...
    do
      local a <close> = closer('outer')
      do local b <close> = closer('inner') end
      log[#log + 1] = 'between'
    end
  ]], closer, log)
  t.is(joined(), 'inner:nil between outer:nil', 'nested blocks close innermost first')
end

-- Leaving the block by break, goto, return.
do
  reset()
  run([[
    local closer, log = ...
    for i = 1, 3 do
      local c <close> = closer('it' .. i)
      if i == 2 then break end
    end
  ]], closer, log)
  t.is(joined(), 'it1:nil it2:nil', 'closed on each iteration and on break')
  reset()
  run([[
    local closer, log = ...
    do
      local c <close> = closer('g')
      goto out
    end
    ::out::
    log[#log + 1] = 'out'
  ]], closer, log)
  t.is(joined(), 'g:nil out', 'closed on goto out of the block')
  reset()
  local r1, r2 = run([[
    local closer, log = ...
    local function f()
      local c <close> = closer('ret')
      return 'v1', 'v2'
    end
    return f()
  ]], closer, log)
  t.is(joined(), 'ret:nil', 'closed on return')
  t.ok(r1 == 'v1' and r2 == 'v2', 'the return values are kept')
  reset()
  local r = run([[
    local closer, log = ...
    local function g() return 'from g' end
    local function f()
      local c <close> = closer('tail')
      return g()
    end
    local v = f()
    log[#log + 1] = 'after call'
    return v
  ]], closer, log)
  t.is(joined(), 'tail:nil after call', 'return g() in the scope of a variable closes it before returning')
  t.is(r, 'from g', 'and still returns the call results')
  reset()
  run([[
    local closer, log = ...
    local i = 0
    while true do
      i = i + 1
      local c <close> = closer('w' .. i)
      if i == 3 then break end
    end
  ]], closer, log)
  t.is(joined(), 'w1:nil w2:nil w3:nil', 'closed in every iteration of a while loop')
end

-- Leaving by an error.
do
  reset()
  local ok, e = pcall(run, [[
    local closer = ...
    local a <close> = closer('a')
    local b <close> = closer('b')
    error('boom', 0)
  ]], closer)
  t.is(ok, false, 'the error propagates')
  t.is(e, 'boom', 'the error object is unchanged')
  t.is(joined(), 'b:boom a:boom', 'both closed in reverse order with the error object')
  reset()
  local obj = {}
  local ok2, e2 = pcall(run, 'local closer, obj = ... local c <close> = closer("t") error(obj)', closer, obj)
  t.ok(not ok2 and e2 == obj, 'a table error object propagates')
  t.ok(log[1]:find('^t:table') ~= nil, '__close receives the table error object')
end

-- nil and false are ignored; other values need __close.
do
  t.is(run('local x <close> = nil return "ok"'), 'ok', 'nil is allowed')
  t.is(run('local x <close> = false return "ok"'), 'ok', 'false is allowed')
  t.error_like(function() run('local x <close> = {}') end, 'non%-closable',
               'a table without __close is an error')
  t.error_like(function() run('local x <close> = 42') end, 'non%-closable', 'a number is an error')
  t.error_like(function() run('local x <close> = "s"') end, 'non%-closable', 'a string is an error')
  t.error_like(function() run('local x <close> = true') end, 'non%-closable', 'true is an error')
  local _, e = pcall(run, 'local myvar <close> = {}')
  t.like(e, 'myvar', 'the message names the variable')
  reset()
  local ok = pcall(run, [[
    local closer = ...
    local a <close> = closer('first')
    local b <close> = {}
  ]], closer)
  t.is(ok, false, 'a bad value raises at its declaration')
  t.like(log[1], '^first:', 'earlier variables are still closed')
  t.ok(log[1] ~= nil and log[1]:find('non%-closable') ~= nil, 'with the declaration error as error object')
end

-- Syntax and constness.
do
  t.ok(not compiles('local a <close>, b <close> = nil, nil'), 'two to-be-closed variables in one list')
  t.ok(compiles('local a <close>, b = nil, 1'), 'one to-be-closed variable plus others')
  t.ok(compiles('local a <const>, b <close> = 1, nil'), 'const and close in one list')
  t.ok(not compiles('local x <close> = nil x = 1'), 'a to-be-closed variable is constant')
  t.ok(not compiles('local x <close> = nil local function f() x = 1 end'), 'also as an upvalue')
  t.is(run('local x <close> = nil do local x = 5 x = 6 return x end'), 6, 'a new local of the same name is free')
  reset()
  local inner = run([[
    local closer = ...
    local c <close> = closer('captured')
    return function() return c.tag end
  ]], closer)
  t.is(inner(), 'captured', 'a closure can still read a closed variable')
  t.is(joined(), 'captured:nil', 'the variable was closed when its block ended')
end

-- Errors inside __close.
do
  reset()
  local bad = setmetatable({}, { __close = function() error('close failed', 0) end })
  local ok, e = pcall(run, [[
    local closer, bad = ...
    local a <close> = closer('a')
    local b <close> = bad
    local c <close> = closer('c')
  ]], closer, bad)
  t.is(ok, false, 'an error in __close at normal exit is raised')
  t.is(e, 'close failed', 'with its own error object')
  t.is(joined(), 'c:nil a:close failed', 'the other variables are still closed, the later ones with the new error')
  reset()
  local ok2, e2 = pcall(run, [[
    local closer, bad = ...
    local a <close> = closer('a')
    local b <close> = bad
    error('original', 0)
  ]], closer, bad)
  t.is(ok2, false, 'an error in __close during an error')
  t.is(e2, 'close failed', 'the error from __close replaces the original')
  t.is(joined(), 'a:close failed', 'and is passed to the pending __close')
end

-- Coroutines.
do
  reset()
  local co = coroutine.create(function()
    run('local closer, y = ... local c <close> = closer("co") y("paused")', closer, coroutine.yield)
  end)
  local _, v = coroutine.resume(co)
  t.is(v, 'paused', 'a coroutine suspended inside the scope')
  t.is(#log, 0, 'its variable is not closed while suspended')
  local ok = coroutine.close(co)
  t.is(ok, true, 'coroutine.close succeeds')
  t.is(joined(), 'co:nil', 'coroutine.close closes the pending variable')
  t.is(coroutine.status(co), 'dead', 'the coroutine is dead afterwards')
  reset()
  local co2 = coroutine.create(function()
    run('local closer = ... local c <close> = closer("co2") error("in co", 0)', closer)
  end)
  local ok2, e2 = coroutine.resume(co2)
  t.ok(not ok2 and e2 == 'in co', 'the coroutine dies with an error')
  t.is(#log, 0, 'a coroutine ending with an error does not unwind its stack')
  local cok, cerr = coroutine.close(co2)
  t.ok(cok == false and cerr == 'in co', 'coroutine.close returns false and the error')
  t.is(joined(), 'co2:in co', 'and closes the variable with the error object')
  reset()
  local w = coroutine.wrap(function()
    run('local closer = ... local c <close> = closer("wrap") error("in wrap", 0)', closer)
  end)
  local wok, werr = pcall(w)
  t.ok(not wok and werr == 'in wrap', 'the wrap function propagates the error')
  t.is(joined(), 'wrap:in wrap', 'coroutine.wrap closes the variable on error')
end

t.done_testing()
