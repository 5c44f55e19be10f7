-- 010-control.t -- Lua 5.4 manual §3.3.4 (control structures): if /
-- elseif / else, while, repeat-until (the condition sees the body's
-- locals), conditions of every type (only nil and false are false),
-- break (innermost loop, not only as the last statement from 5.2 on),
-- return (only as the last statement; do return end), evaluation counts.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



----------------------------------------------------------------------------
t.section '§3.3.4'
-- if / elseif / else picks the first true branch.
do
  local function classify(n)
    if n < 0 then return 'neg'
    elseif n == 0 then return 'zero'
    elseif n < 10 then return 'small'
    else return 'big' end
  end
  t.is(classify(-5), 'neg', 'if branch')
  t.is(classify(0), 'zero', 'first elseif branch')
  t.is(classify(5), 'small', 'second elseif branch')
  t.is(classify(50), 'big', 'else branch')
  local hits = {}
  local function probe(name, v) hits[#hits + 1] = name return v end
  if probe('a', false) then elseif probe('b', true) then elseif probe('c', true) then end
  t.is(table.concat(hits), 'ab', 'conditions after the chosen branch are not evaluated')
  local r = 'none'
  if false then r = 'then' end
  t.is(r, 'none', 'if without else does nothing on a false condition')
  local x = 1
  if x == 1 then x = 2 elseif x == 2 then x = 3 end
  t.is(x, 2, 'only one branch runs even if a later condition becomes true')
  t.is(run('if nil then return 1 elseif false then return 2 end return 3'), 3,
       'no branch taken: execution continues after end')
  t.is(run('if true then end return "empty"'), 'empty', 'empty then-block')
  t.is(run('if false then else end return "empty"'), 'empty', 'empty else-block')
  t.ok(not compiles('if true then else elseif true then end'), 'elseif after else is a syntax error')
  t.ok(not compiles('if true then'), 'a missing end is a syntax error')
  t.ok(not compiles('if true return 1 end'), 'a missing then is a syntax error')
  t.ok(not compiles('if then end'), 'a missing condition is a syntax error')
  t.ok(not compiles('else end'), 'else alone is a syntax error')
end

-- Only nil and false test false; 0 and "" test true.
do
  local values = { { nil, false, 'nil' }, { false, false, 'false' }, { true, true, 'true' },
                   { 0, true, '0' }, { 0.0, true, '0.0' }, { -0.0, true, '-0.0' },
                   { '', true, '""' }, { 'false', true, '"false"' }, { {}, true, '{}' },
                   { 0 / 0, true, 'NaN' }, { print, true, 'a function' } }
  for _, c in ipairs(values) do
    local v, want, name = c[1], c[2], c[3]
    local got_if = false
    if v then got_if = true end
    t.is(got_if, want, 'if ' .. name)
    local n = 0
    while v and n < 1 do n = n + 1 end
    t.is(n == 1, want, 'while ' .. name)
    local m = 0
    repeat m = m + 1 until v or m == 2
    t.is(m == 1, want, 'repeat until ' .. name)
  end
end

-- while.
do
  local n, sum = 0, 0
  while n < 10 do n = n + 1; sum = sum + n end
  t.is(sum, 55, 'while sums 1..10')
  local evals = 0
  local function cond() evals = evals + 1 return evals <= 3 end
  local body = 0
  while cond() do body = body + 1 end
  t.is(body, 3, 'the body runs while the condition is true')
  t.is(evals, 4, 'the condition is evaluated once more than the body')
  local ran = false
  while false do ran = true end
  t.is(ran, false, 'while false never runs the body')
  local i = 0
  while true do i = i + 1 if i == 100 then break end end
  t.is(i, 100, 'while true with break')
end

-- repeat-until: the body runs at least once; the condition sees its locals.
do
  local n = 0
  repeat n = n + 1 until true
  t.is(n, 1, 'repeat runs the body once even if the condition is true')
  local i = 0
  repeat local j = i * 2; i = i + 1 until j >= 6
  t.is(i, 4, 'until sees a local declared in the body')
  t.is(run('local x = "outer" repeat local x = "inner" until x == "inner" return x'), 'outer',
       'the body local shadows the outer one in until, not after')
  t.is(run('local r repeat local done = true; r = done until done return r'), true,
       'until uses the body local, not a global')
  local evals = 0
  repeat evals = evals + 1 until evals == 5
  t.is(evals, 5, 'the condition is checked after each iteration')
  local fs = {}
  local k = 0
  repeat
    k = k + 1
    local captured = k
    fs[k] = function() return captured end
  until captured >= 3
  t.is(fs[1]() + fs[2]() + fs[3](), 6, 'closures in a repeat body and its condition')
  t.ok(not compiles('repeat local x = 1'), 'repeat without until is a syntax error')
  t.ok(not compiles('repeat until'), 'until without an expression is a syntax error')
end

-- break ends the innermost loop only.
do
  local log = {}
  for i = 1, 3 do
    for j = 1, 3 do
      if j == 2 then break end
      log[#log + 1] = i .. j
    end
  end
  t.is(table.concat(log, ','), '11,21,31', 'break leaves only the inner for')
  local w = 0
  while true do
    repeat w = w + 1; if w >= 2 then break end until false
    if w >= 2 then break end
  end
  t.is(w, 2, 'break in repeat inside while')
  local after = false
  for _ = 1, 5 do break end
  after = true
  t.is(after, true, 'execution continues after the loop')
  local count = 0
  for _ in pairs({ a = 1, b = 2, c = 3 }) do count = count + 1; break end
  t.is(count, 1, 'break in a generic for')
  t.is(run('local n = 0 while true do n = n + 1 do if n == 3 then break end end end return n'), 3,
       'break inside a do block ends the enclosing loop')
  t.is(run('local n = 0 for i = 1, 10 do if i > 3 then break end n = i end return n'), 3,
       'break from inside an if')
  t.ok(not compiles('break'), 'break outside a loop is an error')
  t.ok(not compiles('do break end'), 'break in a plain block is an error')
  t.ok(not compiles('if true then break end'), 'break in an if outside a loop is an error')
  t.ok(not compiles('for i = 1, 2 do local f = function() break end end'),
       'break in a function nested in a loop is an error')
  if D.version >= 5.2 then
    t.is(run('local n = 0 while true do n = n + 1 break; n = 99 end return n'), 1,
         'break need not be the last statement (5.2+)')
    t.is(run('for i = 1, 3 do break; local x = i end return "ok"'), 'ok',
         'statements after break compile (5.2+)')
  else
    t.ok(not compiles('while true do break; local x = 1 end'), 'break must be the last statement (5.1)')
    t.ok(compiles('while true do do break end local x = 1 end'), 'do break end in the middle (5.1)')
  end
end

-- return must be the last statement of its block.
do
  t.is(run('return 1'), 1, 'return as the only statement')
  t.is(run('return 2;'), 2, 'return followed by a semicolon')
  t.is(select('#', run('return')), 0, 'return with no values')
  t.is(select('#', run('return;')), 0, 'return; with no values')
  t.ok(not compiles('return 1 local x = 2'), 'a statement after return is an error')
  t.ok(not compiles('return return'), 'return return is an error')
  t.ok(not compiles('return 1;;'), 'two semicolons after return are an error')
  t.is(run('do return 3 end return 4'), 3, 'do return end returns early')
  t.is(run('local x = 1 if x then return "a" end return "b"'), 'a', 'return at the end of a then-block')
  t.is(run('for i = 1, 10 do if i == 4 then return i end end'), 4, 'return from inside a loop')
  t.is(run('while true do return "w" end'), 'w', 'return ends an infinite loop')
  t.is(run('repeat return "r" until false'), 'r', 'return inside repeat')
  t.is(select('#', run('local x = 1')), 0, 'a chunk that ends without return returns nothing')
  t.ok(compiles('return\n'), 'return followed by a newline')
  t.is(run('return\n1'), 1, 'the expression may be on the next line')
end

-- Loops and conditions with many iterations.
do
  local n = 0
  while n < 100000 do n = n + 1 end
  t.is(n, 100000, 'a while loop of 100000 iterations')
  local m = 0
  repeat m = m + 2 until m >= 100000
  t.is(m, 100000, 'a repeat loop of 50000 iterations')
  local odd, even = 0, 0
  for i = 1, 1000 do if i % 2 == 0 then even = even + 1 else odd = odd + 1 end end
  t.is(odd * 10000 + even, 5000500, 'if/else inside a loop')
end

t.done_testing()
