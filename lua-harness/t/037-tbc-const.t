-- §3.3.7 Local Declarations: the <const> and <close> attributes (5.4).
-- §3.3.8 To-be-closed Variables: closed in reverse order at normal block
-- end, break, goto, return and error; __close gets the value and the
-- error object; nil and false are allowed, other non-closable values
-- raise; errors inside __close; coroutines (coroutine.close, wrap);
-- §3.3.5 the closing value of a generic for. Everything here is 5.4 syntax,
-- so it lives in a chunk compiled only where <close> exists.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load

-- with(feature, n, fn): see lua-harness/lib/lvt_helpers.lua
local with = require('lvt_helpers').new(t, D).with

----------------------------------------------------------------------------
t.section '§3.3.7'
with('const', 12, function()
  local function rejects(src, pattern, name)
    local f, err = compile(src)
    t.ok(f == nil and tostring(err):match(pattern) ~= nil, name, '  compiled: ' .. tostring(err))
  end
  rejects('local x <const> = 1; x = 2', "const variable 'x'", 'assigning a <const> local is a compile error')
  rejects('local x <const> = 1; return function() x = 2 end', "const variable 'x'",
          'assigning a <const> upvalue is a compile error')
  rejects('local x <close> = nil; x = 1', "const variable 'x'", 'a <close> local is also constant')
  rejects('local x <foo> = 1', "unknown attribute 'foo'", 'an unknown attribute is a compile error')
  rejects('local a <close>, b <close> = nil, nil', 'multiple to%-be%-closed',
          'two <close> variables in one list is a compile error')
  t.is(assert(compile('local x <const> = 10 return x * 2'))(), 20, '<const> value usable in expressions')
  t.is(assert(compile('local x <const> = select("#", 1, 2) return x'))(), 2,
       '<const> with a run-time initialiser')
  t.is(assert(compile('local tb <const> = {} tb.a = 1 return tb.a'))(), 1,
       'fields of a <const> table can change')
  t.is(assert(compile('local a <const>, b = 1, 2 b = 3 return a + b'))(), 4,
       'only the attributed name is constant')
  t.is(assert(compile('local x <const> = 1 local x = 2 x = 3 return x'))(), 3,
       'a new local may shadow a <const> one')
  t.is(assert(compile('local x <const> = 1 return function() return x end'))()(), 1,
       '<const> captured by a closure')
  t.is(assert(compile('local s <const> = "a" local n <const> = 2 return s:rep(n)'))(), 'aa',
       '<const> string and integer')
end)

----------------------------------------------------------------------------
t.section '§3.3.8'
local body = [==[
local t = ...
local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(o, e) log[#log + 1] = name .. ':' .. tostring(e) end})
end
local function got() local s = table.concat(log, ' ') log = {} return s end

do local a <close> = closer('a') end
t.is(got(), 'a:nil', 'closed at the end of its block, error argument nil')
do
  local a <close> = closer('a')
  local b <close> = closer('b')
  local c <close> = closer('c')
end
t.is(got(), 'c:nil b:nil a:nil', 'closed in reverse order of declaration')

local seen, value
do
  local v <close> = setmetatable({}, {__close = function(o) seen = o end})
  value = v
  t.is(seen, nil, 'not closed before the block ends')
end
t.ok(seen ~= nil and rawequal(seen, value), '__close gets the value itself')

for i = 1, 3 do
  local c <close> = closer('i' .. i)
  if i == 2 then break end
end
t.is(got(), 'i1:nil i2:nil', 'closed on each iteration and on break')

local n = 0
while true do
  n = n + 1
  local c <close> = closer('w' .. n)
  if n == 2 then break end
end
t.is(got(), 'w1:nil w2:nil', 'while loop: closed on break')

do
  local c <close> = closer('g')
  goto out
end
::out::
t.is(got(), 'g:nil', 'closed when goto leaves the block')

local function ret()
  local c <close> = closer('r')
  return 'value', 2, 3
end
local r1, r2, r3 = ret()
t.is(r1 .. r2 .. r3, 'value23', 'return values intact')
t.is(got(), 'r:nil', 'closed on return')

local state = {v = 'open'}
local function early()
  local c <close> = setmetatable({}, {__close = function() state.v = 'closed' end})
  return state.v
end
t.is(early(), 'open', 'return values are computed before closing')
t.is(state.v, 'closed', 'and the variable is closed afterwards')

local order = {}
local function callee() order[#order + 1] = 'callee' return 'r' end
local function not_tail()
  local c <close> = setmetatable({}, {__close = function() order[#order + 1] = 'close' end})
  return callee()
end
t.is(not_tail(), 'r', 'return f() in scope of a <close> variable returns f\'s result')
t.is(table.concat(order, ','), 'callee,close', 'f runs before the close: not a tail call')

local function outer()
  local c <close> = closer('outer')
  local function inner() local d <close> = closer('inner') end
  inner()
  log[#log + 1] = 'between'
end
outer()
t.is(got(), 'inner:nil between outer:nil', 'each function closes its own variables')

-- Errors.
local ok, e = pcall(function()
  local c <close> = closer('e')
  error('boom', 0)
end)
t.ok(not ok and e == 'boom', 'the error goes on after closing')
t.is(got(), 'e:boom', 'closed on error, with the error object')
local eobj = {}
local gotobj
pcall(function()
  local c <close> = setmetatable({}, {__close = function(_, err) gotobj = err end})
  error(eobj)
end)
t.ok(rawequal(gotobj, eobj), '__close gets the error object itself')

ok, e = pcall(function()
  local a <close> = closer('a')
  local b <close> = setmetatable({}, {__close = function() error('in close', 0) end})
end)
t.ok(not ok and e == 'in close', 'an error in __close on normal exit is raised')
t.is(got(), 'a:in close', 'later closers still run and get that error')
ok, e = pcall(function()
  local a <close> = closer('a')
  local b <close> = setmetatable({}, {__close = function() error('second', 0) end})
  error('first', 0)
end)
t.is(e, 'second', 'an error in __close during an error replaces it')
t.is(got(), 'a:second', 'the remaining closer gets the new error')

-- nil and false are allowed; other values without __close are errors.
t.lives_ok(function() local a <close> = nil local b <close> = false end, 'nil and false are ignored')
local reached = false
ok, e = pcall(function() local x <close> = {} reached = true end)
t.ok(not ok and tostring(e):match('non%-closable') ~= nil, 'a table without __close raises')
t.is(reached, false, 'the error is raised at the declaration')
ok, e = pcall(function() local x <close> = 42 end)
t.ok(not ok, 'a number raises')
ok, e = pcall(function() local x <close> = 'str' end)
t.ok(not ok, 'a string raises')
do
  local count = 0
  do local c <close> = setmetatable({}, {__close = function() count = count + 1 end}) end
  t.is(count, 1, '__close called exactly once')
end

-- Coroutines.
local co = coroutine.create(function()
  local c <close> = closer('y')
  coroutine.yield(1)
  log[#log + 1] = 'resumed'
end)
coroutine.resume(co)
t.is(got(), '', 'a suspended coroutine keeps its variable open')
t.is(coroutine.close(co), true, 'coroutine.close returns true')
t.is(got(), 'y:nil', 'coroutine.close closes pending variables')
t.is(coroutine.status(co), 'dead', 'and the coroutine is dead')
co = coroutine.create(function() local c <close> = closer('c') error('cboom', 0) end)
local rok, rerr = coroutine.resume(co)
t.ok(not rok and rerr == 'cboom', 'a coroutine ending with an error')
t.is(got(), '', 'does not close its variables')
local cok, cerr = coroutine.close(co)
t.ok(cok == false and cerr == 'cboom', 'coroutine.close returns false and the error')
t.is(got(), 'c:cboom', 'and closes the variables with that error')
local w = coroutine.wrap(function() local c <close> = closer('w') error('wboom', 0) end)
ok, e = pcall(w)
t.ok(not ok and e == 'wboom', 'coroutine.wrap propagates the error')
t.is(got(), 'w:wboom', 'coroutine.wrap closes the variables on error')

-- §3.3.5: the fourth value of a generic for is a closing value.
t.section '§3.3.5'
local function iter(_, i) if i < 3 then return i + 1 end end
for i in iter, nil, 0, closer('for') do end
t.is(got(), 'for:nil', 'closing value closed when the loop ends')
for i in iter, nil, 0, closer('forbreak') do if i == 1 then break end end
t.is(got(), 'forbreak:nil', 'closing value closed on break')
ok, e = pcall(function()
  for i in iter, nil, 0, closer('forerr') do error('in loop', 0) end
end)
t.is(got(), 'forerr:in loop', 'closing value closed on error')
local function find()
  for i in iter, nil, 0, closer('forret') do if i == 2 then return i end end
end
t.is(find(), 2, 'return from inside the loop')
t.is(got(), 'forret:nil', 'closing value closed on return')
]==]

with('close', 42, function()
  assert(compile(body, '=tbc'))(t)
end)

t.done_testing()
