-- §2.2 Environments and the Global Environment: free names are _ENV.name
-- (5.2+), _ENV is an ordinary upvalue/local (local _ENV, parameters named
-- _ENV, assignment to _ENV), load's env argument sets a chunk's first
-- upvalue; 5.1 and LuaJIT have function environments instead
-- (setfenv/getfenv, 5.1 manual §2.9), and LuaJIT's load takes an env too.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with(feature, n, fn): see lua-harness/lib/lvt_helpers.lua
local with = require('lvt_helpers').new(t, D).with

----------------------------------------------------------------------------
t.section '§2.2'
-- A chunk loaded with an explicit environment (5.2+, and LuaJIT's load).
with('load_env', 11, function()
  t.is(load('return a + b', '=env', 't', {a = 1, b = 2})(), 3, 'free names read from env')
  local E = {}
  load('y = 5', '=env', 't', E)()
  t.is(E.y, 5, 'assignment to a free name writes env')
  t.is(rawget(_G, 'y'), nil, 'the global environment is untouched')
  load('function gf() return "gf" end', '=env', 't', E)()
  t.is(E.gf(), 'gf', 'global function definition lands in env')
  t.is(rawget(_G, 'gf'), nil, 'and not in the global environment')
  local inherit = setmetatable({}, {__index = _G})
  load('w = type(print)', '=env', 't', inherit)()
  t.is(rawget(inherit, 'w'), 'function', 'env with __index = _G reads globals')
  t.is(rawget(_G, 'w'), nil, 'and writes to itself')
  t.is(load('return function() return k end', '=env', 't', {k = 1})()(), 1,
       'functions defined in the chunk see its env')
  rawset(_G, '__lvt_probe', 'global')
  t.is(load('return __lvt_probe')(), 'global', 'without env: the global environment')
  t.is(load('return __lvt_probe', '=env', 't', {})(), nil, 'with env: not the global one')
  local ok = pcall(load('return __lvt_probe.x', '=env', 't', {}))
  t.ok(not ok, 'indexing an absent name of the env raises')
  rawset(_G, '__lvt_probe', nil)
end)

-- _ENV (5.2+).
with('env', 18, function()
  local function x_of(env) local _ENV = env return x end
  t.is(x_of({x = 1}), 1, 'local _ENV: free names resolve in it')
  local E = {}
  local function set_in(env) local _ENV = env y2 = 5 end
  set_in(E)
  t.is(E.y2, 5, 'local _ENV: free assignments go to it')
  t.is(rawget(_G, 'y2'), nil, 'local _ENV: the global table is untouched')
  local function param(_ENV) return z end
  t.is(param({z = 3}), 3, 'a parameter named _ENV')
  local function explicit(_ENV) return _ENV.z == z end
  t.is(explicit({z = 'same'}), true, '_ENV.z is z')

  -- Functions capture _ENV as an upvalue.
  local function maker(env) local _ENV = env return function() return v end end
  local env = {v = 'a'}
  local f = maker(env)
  t.is(f(), 'a', 'closure reads the captured _ENV')
  env.v = 'b'
  t.is(f(), 'b', 'captured _ENV is the table, not a copy')
  t.is(maker({v = 'c'})(), 'c', 'each closure has its own _ENV')

  -- A block-local _ENV ends with the block.
  local r1, r2 = load([[
    local inner
    do local _ENV = {x = 'in'} inner = x end
    return inner, x]], '=blk', 't', {x = 'out'})()
  t.is(r1, 'in', 'inside the block: the local _ENV')
  t.is(r2, 'out', 'after the block: the chunk _ENV again')

  -- Assigning to the chunk's _ENV upvalue affects every function sharing it.
  t.is(load([[
    local f = function() return q end
    _ENV = {q = 'new'}
    return f()]], '=upv', 't', {})(), 'new', 'assignment to _ENV seen by sibling functions')

  t.ok(rawequal(load('return _ENV', '=e', 't', E)(), E), 'a chunk\'s _ENV is the env given to load')
  t.ok(rawequal(load('return _ENV')(), _G), 'default _ENV of a loaded chunk is the global environment')
  t.ok(rawequal(_G._G, _G), '_G._G is _G')
  t.error_like(load('local _ENV = nil return x'), 'index', 'free name with a nil _ENV raises')
  t.error_like(load('return x', '=n', 't', nil), 'index', 'load with an explicit nil env: _ENV is nil')
  t.is(debug.getupvalue(load('return x'), 1), '_ENV', 'a main chunk\'s first upvalue is _ENV')
  -- load called from a chunk with another env still uses the global env.
  rawset(_G, '__lvt_marker', 'global')
  local inner = load([[return load('return __lvt_marker')()]], '=l', 't',
                     {load = load, __lvt_marker = 'env'})()
  rawset(_G, '__lvt_marker', nil)
  t.is(inner, 'global', 'load uses the global environment, not its caller\'s _ENV')
end)
if D.version >= 5.2 then
  t.is(rawget(_G, 'setfenv'), nil, 'no setfenv (removed in 5.2)')
  t.is(rawget(_G, 'getfenv'), nil, 'no getfenv (removed in 5.2)')
else
  t.skip('setfenv/getfenv exist before 5.2', 2)
end

----------------------------------------------------------------------------
-- Function environments (5.1 manual §2.9; LuaJIT).
t.section '§2.2'
if setfenv and getfenv then
  local setfenv, getfenv = setfenv, getfenv
  local f = function() return gx end
  local E = {gx = 1}
  t.ok(rawequal(setfenv(f, E), f), 'setfenv returns the function')
  t.is(f(), 1, 'setfenv: globals come from the new environment')
  t.ok(rawequal(getfenv(f), E), 'getfenv returns it')
  local outer = function() return function() return gy end end
  setfenv(outer, {gy = 2})
  t.is(outer()(), 2, 'a new function inherits its creator\'s environment')
  local g = function() setfenv(1, {r = 5}) return r end
  -- Called from a wrapper, so that a wrong level hits the wrapper and not
  -- this file's main chunk.
  local function wrapper() return (g()) end
  t.is(wrapper(), 5, 'setfenv(1, env) changes the running function\'s environment')
  local chunk = compile('x51 = 1')
  local CE = {}
  setfenv(chunk, CE)
  chunk()
  t.is(CE.x51, 1, 'setfenv on a loaded chunk')
  t.is(rawget(_G, 'x51'), nil, 'the global table untouched')
  t.ok(rawequal(getfenv(0), _G), 'getfenv(0) is the global environment')
  t.ok(rawequal(getfenv(function() end), _G), 'a function defined here has the global environment')
  t.error_like(function() setfenv(f, 1) end, 'table', 'setfenv needs a table')
else
  t.skip('setfenv/getfenv are 5.1 and LuaJIT only', 10)
end

t.done_testing()
