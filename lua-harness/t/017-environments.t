-- 017-environments.t -- Lua 5.4 manual §2.2 (environments and the global
-- environment) and §3.2 (a global x is _ENV.x): _G, free names resolved
-- through the _ENV in scope, _ENV as a regular name (local, parameter,
-- upvalue), functions keeping the _ENV of their definition, sandboxes
-- with __index, a nil _ENV. On 5.1 and LuaJIT, which have no _ENV, the
-- same ideas through the 5.1 manual's §2.9 (setfenv/getfenv).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run = h.run


----------------------------------------------------------------------------
t.section '§2.2'
-- The global environment and _G.
do
  t.is(type(_G), 'table', '_G is a table')
  t.ok(_G._G == _G, '_G._G is _G')
  t.ok(_G.print == print and _G.string == string, 'the standard library lives in the global environment')
  lvt_env_g = 'set as global'
  t.is(_G.lvt_env_g, 'set as global', 'a global assignment is visible through _G')
  _G.lvt_env_g = 'set through _G'
  t.is(lvt_env_g, 'set through _G', 'a field of _G is visible as a global')
  lvt_env_g = nil
  t.like(_VERSION, '^Lua 5%.%d$', '_VERSION names the version')
  t.is(run('return lvt_env_g'), nil, 'a removed global reads as nil')
end

if D.has.env then
  -- Free names are _ENV.name for the _ENV visible at that point.
  do
    t.ok(run('return _ENV') == _G, 'a chunk starts with _ENV = the global environment')
    t.is(run('local _ENV = { y = 1 } return y'), 1, 'a local _ENV changes where free names are read')
    local env = {}
    run('local _ENV = ... x1 = 10 function f1() return "in env" end', env)
    t.is(env.x1, 10, 'free-name assignments go to the local _ENV')
    t.is(env.f1(), 'in env', 'a global function statement defines a field of _ENV')
    t.is(rawget(_G, 'x1'), nil, 'the global table is not touched')
    t.is(run('local function f(_ENV) return x end return f({ x = 3 })'), 3, '_ENV as a parameter')
    t.is(run('local _ENV = { a = 1 } do local _ENV = { a = 2 } end return a'), 1,
         'an inner _ENV ends with its block')
    t.is(run('local _ENV = { a = 1 } do local _ENV = { a = 2 } return a end'), 2,
         'the innermost _ENV is used')
    t.is(run('local e = { v = "e" } local _ENV = e return _ENV.v .. v'), 'ee', '_ENV.v and v are the same')
    t.is(run('local print = print local _ENV = {} return print ~= nil'), true,
         'locals are not affected by _ENV')
  end

  -- Functions keep the _ENV of their definition (it is an upvalue).
  do
    local f = run([[
      local _ENV = { who = 'sandbox' }
      return function() return who end
    ]])
    lvt_who = 'global'
    t.is(f(), 'sandbox', 'a function reads globals from the _ENV where it was defined')
    lvt_who = nil
    local get, set = run([[
      local _ENV = { n = 1 }
      local function get() return n end
      local function set(e) _ENV = e end
      return get, set
    ]])
    t.is(get(), 1, 'before replacing the shared _ENV upvalue')
    set({ n = 2 })
    t.is(get(), 2, 'assigning _ENV changes later free-name accesses of closures sharing it')
    local g = run('local _ENV = ... return function() x = (x or 0) + 1 return x end', {})
    g()
    t.is(g(), 2, 'a closure writes to its captured _ENV')
    t.is(rawget(_G, 'x'), nil, 'and not to the global table')
    t.is(debug.getupvalue(f, 1), '_ENV', 'the function has an upvalue named _ENV')
  end

  -- Sandboxes.
  do
    local sandbox = setmetatable({}, { __index = _G })
    local r = run('local _ENV = ... y_sb = math.floor(2.5) return y_sb', sandbox)
    t.is(r, 2, 'an environment with __index = _G reads the standard library')
    t.is(rawget(sandbox, 'y_sb'), 2, 'writes stay in the sandbox')
    t.is(rawget(_G, 'y_sb'), nil, 'the global table is untouched by the sandbox')
    local log = {}
    local spy = setmetatable({}, { __newindex = function(_, k, v) log[#log + 1] = k .. '=' .. tostring(v) end })
    run('local _ENV = ... a = 1 b = 2', spy)
    t.is(table.concat(log, ','), 'a=1,b=2', 'global writes go through __newindex of _ENV')
    t.error_like(function() run('local _ENV = nil return x') end, 'index', 'a nil _ENV: reading a global fails')
    t.error_like(function() run('local _ENV = nil x = 1') end, 'index', 'a nil _ENV: writing a global fails')
    t.error_like(function() run('local _ENV = 5 return x') end, 'index', 'a number _ENV cannot be indexed')
    local strenv = run('local _ENV = "abc" return len', nil)
    t.is(strenv, string.len, 'a string _ENV indexes the string metatable')
  end

  -- _G is not used internally: changing it affects only code that uses it.
  do
    local env = { _G = 'not the environment', x = 'real' }
    t.is(run('local _ENV = ... return x', env), 'real', 'globals resolve through _ENV, not _G')
    t.is(load('return x .. _G', 'c', 't', env)(), 'realnot the environment',
         'load with env: _G is just a field')
    local env2 = setmetatable({}, { __index = _G })
    load('_G = 1', 'c', 't', env2)()
    t.ok(_G._G == _G, 'assigning _G in another environment does not change the real one')
  end
else
  -- 5.1: each function has an environment table (5.1 manual §2.9).
  do
    t.ok(getfenv(1) == _G, 'the running function uses the global table')
    t.ok(getfenv(0) == _G, 'getfenv(0) is the global environment')
    local f = compile('x1 = 10 function f1() return "in env" end return y')
    local env = { y = 'from env' }
    setfenv(f, env)
    t.is(f(), 'from env', 'setfenv changes where globals are read')
    t.is(env.x1, 10, 'and where they are written')
    t.is(env.f1(), 'in env', 'functions defined inside inherit the environment')
    t.is(rawget(_G, 'x1'), nil, 'the global table is untouched')
    local g = function() return lvt_who end
    lvt_who = 'global'
    t.is(g(), 'global', 'a function reads the global table by default')
    setfenv(g, { lvt_who = 'sandbox' })
    t.is(g(), 'sandbox', 'after setfenv it reads its new environment')
    lvt_who = nil
    local sandbox = setmetatable({}, { __index = _G })
    local h = compile('y_sb = math.floor(2.5) return y_sb')
    setfenv(h, sandbox)
    t.is(h(), 2, 'an environment with __index = _G reads the standard library')
    t.is(rawget(sandbox, 'y_sb'), 2, 'writes stay in the sandbox')
    t.is(rawget(_G, 'y_sb'), nil, 'the global table is untouched by the sandbox')
    local log = {}
    local spy = setmetatable({}, { __newindex = function(_, k, v) log[#log + 1] = k .. '=' .. tostring(v) end })
    local w = compile('a = 1 b = 2')
    setfenv(w, spy)
    w()
    t.is(table.concat(log, ','), 'a=1,b=2', 'global writes go through __newindex of the environment')
    local e2 = { _G = 'not the environment', x = 'real' }
    local k = compile('return x .. _G')
    setfenv(k, e2)
    t.is(k(), 'realnot the environment', '_G is just a field')
    t.error_like(function() setfenv(compile('return 1'), 5) end, 'table', 'an environment must be a table')
    local nested = compile('return function() return z end')
    setfenv(nested, { z = 'outer env' })
    t.is(nested()(), 'outer env', 'a closure created inside gets the creator\'s environment')
    t.skip('the remaining _ENV tests are 5.2+', 12)
  end
end

t.done_testing()
