-- 008-scope-locals.t -- Lua 5.4 manual §3.2 (variables: globals, locals,
-- nil before the first assignment), §3.3.7 (local declarations, the
-- <const> attribute), §3.5 (visibility rules: scope starts after the
-- declaration, shadowing, block scope, upvalues, a new local per
-- execution of a local statement).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- with, run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local with, run, compiles = h.with, h.run, h.compiles




----------------------------------------------------------------------------
t.section '§3.2'
do
  t.is(run('return lvt_never_assigned_global'), nil, 'an unassigned global is nil')
  t.is(run('local x return x'), nil, 'a local without initializer is nil')
  t.is_deeply({ run('local a, b, c return a, b, c') }, {}, 'three locals without initializer are nil')
  run('lvt_g008 = 5')
  t.is(lvt_g008, 5, 'an assignment to a free name sets a global')
  t.is(_G.lvt_g008, 5, 'the global lives in _G')
  t.is(run('local lvt_g008 = 1 return lvt_g008'), 1, 'a local hides the global of the same name')
  t.is(lvt_g008, 5, 'the global is untouched by the local')
  run('local lvt_g008 = 1 lvt_g008 = 2')
  t.is(lvt_g008, 5, 'assigning to the local does not change the global')
  lvt_g008 = nil
  t.is(_G.lvt_g008, nil, 'assigning nil to a global removes it')
  t.is(run('local t = {} t.x = 1 t["y"] = 2 return t.x + t.y'), 3, 'table fields: t.x is t["x"]')
end

----------------------------------------------------------------------------
t.section '§3.5'
-- The manual's example, with globals kept in a private environment.
do
  local out = {}
  local env = setmetatable({ out = out }, { __index = _G })
  local src = [[
    x = 10
    do
      local x = x
      out[1] = x
      x = x + 1
      do
        local x = x + 1
        out[2] = x
      end
      out[3] = x
    end
    out[4] = x
  ]]
  local f = assert(compile(src))
  if setfenv then setfenv(f, env) else f = assert(load(src, 'ex', 't', env)) end
  f()
  t.is_deeply(out, { 10, 12, 11, 10 }, 'the manual example: 10, 12, 11, 10')
  t.is(rawget(env, 'x'), 10, 'the global x keeps 10')
end

-- The scope of a local begins after its declaration.
do
  t.is(run('local x = 1 do local x = x + 1 return x end'), 2, 'local x = x refers to the outer x')
  t.is(run('lvt_s1 = 7 local lvt_s1 = lvt_s1 return lvt_s1'), 7, 'local g = g copies the global')
  lvt_s1 = nil
  t.is(run('local f = function() return f end return f()'), nil,
       'local f = function ... f ... : the inner f is the global')
  t.is(run('local function f() return f end return f() == f'), true,
       'local function f: the body sees f')
  t.is(run('local a, b = 1, a return b'), nil, 'in local a, b = 1, a the second a is not the new one')
  t.is(run('local a = 5 local a, b = 1, a return b'), 5, 'the initializer sees the previous a')
end

-- Shadowing and block scope.
do
  t.is(run('local x = 1 do local x = 2 end return x'), 1, 'a local in a block ends with the block')
  t.is(run('local x = 1 local x = 2 return x'), 2, 'a second local x shadows the first')
  t.is(run('local x = 1 local f = function() return x end local x = 2 return f()'), 1,
       'a closure keeps the variable visible where it was created')
  t.is(run('do local lvt_inner = 1 end return lvt_inner'), nil, 'a block local is invisible after end')
  t.is(run('local x = "o" if true then local x = "i" end return x'), 'o', 'then-block scope')
  t.is(run('local x = "o" while true do local x = "i" break end return x'), 'o', 'while-block scope')
  t.is(run('local x = "o" for i = 1, 1 do local x = "i" end return x'), 'o', 'for-block scope')
  t.is(run('local x = "o" repeat local x = "i" until true return x'), 'o', 'repeat-block scope')
  t.is(run('local x = 1 do local x = x + 1 do local x = x + 1 return x end end'), 3, 'three nested levels')
  t.is(run('local function f(x) local x = x or 9 return x end return f()'), 9,
       'a local may shadow a parameter')
  t.is(run('local i = "o" for i = 1, 2 do end return i'), 'o', 'the for variable does not leak')
  t.is(run('for lvt_fi = 1, 2 do end return lvt_fi'), nil, 'the for variable is not a global')
end

-- Upvalues: inner functions see (and share) enclosing locals.
do
  local function counter()
    local n = 0
    return function() n = n + 1 return n end, function() return n end
  end
  local inc, get = counter()
  inc(); inc()
  t.is(get(), 2, 'two closures share one upvalue')
  local inc2 = counter()
  t.is(inc2(), 1, 'a second call makes a fresh variable')
  t.is(get(), 2, 'the first variable is unaffected')
  local x = 1
  local function read() return x end
  x = 2
  t.is(read(), 2, 'a closure sees later assignments to the upvalue')
  local function write() x = 3 end
  write()
  t.is(x, 3, 'a closure can assign to the upvalue')
  local function outer()
    local v = 'deep'
    return function() return function() return function() return v end end end
  end
  t.is(outer()()()(), 'deep', 'an upvalue through three levels of nesting')
  local function mk(a) return function(b) return function(c) return a .. b .. c end end end
  t.is(mk('x')('y')('z'), 'xyz', 'parameters as upvalues')
end

-- Each execution of a local statement makes a new variable (§3.5 example).
do
  local a = {}
  local x = 20
  for i = 1, 10 do
    local y = 0
    a[i] = function() y = y + 1; return x + y end
  end
  a[1](); a[1]()
  t.is(a[1](), 23, 'closure 1 has its own y, incremented three times')
  t.is(a[2](), 21, 'closure 2 has a different y')
  x = 100
  t.is(a[3](), 101, 'all closures share x')
  local fs = {}
  local i = 1
  while i <= 3 do
    local j = i
    fs[i] = function() return j end
    i = i + 1
  end
  t.is(fs[1]() + fs[2]() * 10 + fs[3]() * 100, 321, 'a while loop body makes a new local each time')
  local gs = {}
  local k = 0
  repeat
    k = k + 1
    local m = k * 2
    gs[k] = function() m = m + 1 return m end
  until k == 3
  gs[1]()
  t.is(gs[1]() + gs[2]() + gs[3](), 4 + 5 + 7, 'repeat body locals are fresh per iteration')
  local hs = {}
  for n = 1, 3 do hs[n] = function() return n end end
  t.is(hs[1]() + hs[2]() + hs[3](), 6, 'the numeric for variable is fresh per iteration')
  local ps = {}
  for key, v in ipairs({ 'a', 'b' }) do ps[key] = function() return v end end
  t.is(ps[1]() .. ps[2](), 'ab', 'the generic for variables are fresh per iteration')
end

-- Many locals and deep nesting of blocks.
do
  local names, vals = {}, {}
  for i = 1, 150 do names[i] = 'v' .. i; vals[i] = tostring(i) end
  local src = 'local ' .. table.concat(names, ', ') .. ' = ' .. table.concat(vals, ', ') ..
              ' return v1 + v75 + v150'
  t.is(run(src), 226, '150 locals in one function')
  local deep = string.rep('do local x = 1 ', 50) .. 'lvt_d = x' .. string.rep(' end', 50)
  run(deep)
  t.is(lvt_d, 1, '50 nested blocks')
  lvt_d = nil
end

----------------------------------------------------------------------------
t.section '§3.3.7'
do
  t.is_deeply({ run('local a, b, c = 1, 2 return a, b, c') }, { 1, 2 }, 'missing initial values are nil')
  t.is_deeply({ run('local a, b = 1, 2, 3 return a, b') }, { 1, 2 }, 'extra initial values are dropped')
  t.is_deeply({ run('local function f() return 1, 2, 3 end local a, b, c, d = f() return a, b, c, d') },
              { 1, 2, 3 }, 'a call at the end fills the list')
  t.is_deeply({ run('local function f() return 1, 2, 3 end local a, b, c = f(), 10 return a, b, c') },
              { 1, 10 }, 'a call not at the end gives one value')
  t.is_deeply({ run('local function f() return 1, 2 end local a, b = (f()) return a, b') },
              { 1 }, 'a call in parentheses gives one value')
  t.is(run('local a = 1; local b = a + 1; return b'), 2, 'a local is usable in the next statement')
  t.ok(not compiles('local 1 = 2'), 'a numeral is not a local name')
  t.ok(not compiles('local a.b = 2'), 'a field is not a local name')
  t.ok(not compiles('local a = 1 = 2'), 'local declarations do not chain')
end

-- <const> (5.4): cannot be assigned after initialization.
with('const', 12, function()
  t.is(run('local x <const> = 5 return x * 2'), 10, 'a const local is readable')
  t.ok(not compiles('local x <const> = 5 x = 6'), 'assigning to a const local is a compile error')
  t.ok(not compiles('local x <const> = 5 local function f() x = 1 end'),
       'assigning to a const upvalue is a compile error')
  local _, e = compile('local x <const> = 5 x = 6')
  t.like(e, 'const', 'the message names the const variable')
  t.is(run('local x <const> = 5 do local x = 6 x = 7 return x end'), 7,
       'a new local with the same name is assignable')
  t.is(run('local a <const>, b = 1, 2 b = 3 return a + b'), 4, 'only the attributed name is const')
  t.is(run('local x <const> return x'), nil, 'a const without initializer is nil')
  t.ok(not compiles('local x <foo> = 1'), 'an unknown attribute is an error')
  t.ok(not compiles('local x <CONST> = 1'), 'attributes are case-sensitive')
  t.is(run('local t <const> = {} t.x = 1 return t.x'), 1, 'a const table can still be modified')
  t.is(run('local x < const > = 3 return x'), 3, 'spaces inside the angle brackets')
  t.is(run('local function f() local k <const> = 10 return function() return k end end return f()()'), 10,
       'a const captured by a closure')
end)

t.done_testing()
