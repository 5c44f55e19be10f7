-- 013-goto.t -- Lua 5.4 manual §3.3.4 (goto and labels) and §3.5 (the
-- scope of a local ends at the last non-void statement of its block):
-- forward and backward jumps, the continue idiom, jumping out of nested
-- blocks and loops, visibility (enclosing blocks yes, nested blocks and
-- nested functions no), no jump into the scope of a local, labels at the
-- end of a block (followed only by void statements), duplicate labels
-- (5.4 also forbids a label where one of the same name is visible),
-- fresh locals on each backward jump. Needs goto (5.2+, LuaJIT); every
-- chunk is compiled from a string so that the file parses on 5.1.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



-- The compile error message of 'src' ('' when it compiles).
local function cerr(src)
  local f, e = compile(src, '=c')
  if f then return '' end
  return tostring(e)
end

if not D.has['goto'] then
  t.skip_all('needs goto (not in ' .. _VERSION .. ')')
  return
end

----------------------------------------------------------------------------
t.section '§3.3.4'
-- Jumps.
do
  t.is(run('local x = 1 goto skip x = 2 ::skip:: return x'), 1, 'a forward jump skips statements')
  t.is(run('local i = 1 ::top:: i = i + 1 if i < 10 then goto top end return i'), 10,
       'a backward jump makes a loop')
  t.is(run([[
    local sum = 0
    for i = 1, 10 do
      if i % 2 == 0 then goto continue end
      sum = sum + i
      ::continue::
    end
    return sum]]), 25, 'the continue idiom in a for loop')
  t.is(run([[
    local sum, i = 0, 0
    while i < 10 do
      i = i + 1
      if i % 3 ~= 0 then goto continue end
      sum = sum + i
      ::continue::
    end
    return sum]]), 18, 'the continue idiom in a while loop')
  t.is(run([[
    local i, n = 0, 0
    repeat
      i = i + 1
      if i == 2 then goto continue end
      n = n + 1
      ::continue::
    until i >= 4
    return n]]), 3, 'the continue idiom in repeat (no locals before the label)')
  t.is(run([[
    for i = 1, 3 do
      for j = 1, 3 do
        if i * j == 4 then goto done end
      end
    end
    do return 'not found' end
    ::done::
    return 'found']]), 'found', 'goto out of two nested loops')
  t.is(run([[
    local log = {}
    do
      do
        log[#log + 1] = 'in'
        goto out
      end
      log[#log + 1] = 'skipped'
    end
    ::out::
    return table.concat(log, ',')]]), 'in', 'goto out of nested blocks')
  t.is(run([[
    local n = 0
    ::a:: n = n + 1
    if n == 1 then goto b end
    do return n end
    ::b:: goto a]]), 2, 'jumps back and forth between labels')
  t.is(run('goto e do return 1 end ::e:: return 2'), 2, 'jump over a return in a do block')
  t.is(run('local r = 0 for i = 1, 3 do goto next r = r + 100 ::next:: r = r + 1 end return r'), 3,
       'a label in the middle of a loop body')
  t.is(run('do goto l end ::l:: return "outer"'), 'outer', 'a label in an enclosing block is visible')
  t.is(run('do ::a:: end do ::a:: end return "ok"'), 'ok', 'the same label in sibling blocks')
  t.is(run([[
    local function f() goto x do return 1 end ::x:: return 2 end
    local function g() goto x do return 3 end ::x:: return 4 end
    return f() + g()]]), 6, 'the same label in different functions')
  t.is(run([[
    ::outer::
    local function f() ::outer:: return 'inner ok' end
    return f()]]), 'inner ok', 'a nested function may reuse an outer label name')
  t.is(run('goto l ::l::'), nil, 'a label as the last statement of a chunk')
end

-- Each pass over a local declaration makes a new variable.
do
  t.is(run([[
    local fs, i = {}, 1
    ::top::
    local x = i
    fs[i] = function() return x end
    i = i + 1
    if i <= 3 then goto top end
    return fs[1]() + fs[2]() * 10 + fs[3]() * 100]]), 321, 'a backward goto gives fresh locals')
  t.is(run([[
    local fs = {}
    for i = 1, 3 do
      local y = i * 2
      fs[i] = function() y = y + 1 return y end
      if i < 3 then goto continue end
      ::continue::
    end
    fs[1]()
    return fs[1]() + fs[2]() + fs[3]()]]), 4 + 5 + 7, 'closures over locals in a loop with goto')
end

-- Visibility errors.
do
  t.like(cerr('goto nowhere'), 'nowhere', 'goto to a missing label is an error naming it')
  t.ok(not compiles('goto l; do ::l:: end'), 'a label inside a nested block is not visible')
  t.ok(not compiles('do ::l:: end goto l'), 'a label in a closed block is not visible')
  t.ok(not compiles('::l:: local f = function() goto l end'), 'a nested function cannot see outer labels')
  t.ok(not compiles('local function f() goto l end ::l::'), 'not even labels after the function')
  t.ok(not compiles('for i = 1, 2 do ::l:: end goto l'), 'a label in a loop body is not visible outside')
  t.ok(not compiles('if true then goto l else ::l:: end'), 'a label in a sibling branch is not visible')
  t.ok(not compiles('while true do goto l end repeat ::l:: until true'), 'a label in a later loop body')
  t.like(cerr('::l:: ::l::'), 'l', 'a duplicate label in one block is an error')
  t.ok(not compiles('do ::l:: goto l ::l:: end'), 'a duplicate label in a nested block')
  t.ok(not compiles('goto 1'), 'goto needs a name')
  t.ok(not compiles(':: l'), 'an unterminated label')
  t.ok(not compiles('::1::'), 'a label needs a name')
end

-- No jump into the scope of a local.
do
  t.like(cerr('goto l local x = 1 ::l:: return x'), 'x', 'jumping into the scope of x is an error naming x')
  t.ok(not compiles('do goto l end local y = 1 ::l:: return y'), 'from a nested block into the scope of y')
  t.ok(not compiles('goto l local a, b = 1, 2 ::l:: return a'), 'into the scope of two locals')
  t.ok(not compiles('goto l local function f() end ::l:: return f'), 'into the scope of a local function')
  t.ok(not compiles('repeat goto l local x ::l:: until x'),
       'a label before until is not at the end of the block (the condition is in it)')
  t.ok(compiles('local x goto l ::l::'), 'a local declared before the goto is fine')
  t.ok(compiles('goto l do local x = 1 end ::l:: return 1'), 'a local in a closed block is fine')
  t.ok(compiles('::top:: local x = 1 goto top'), 'a backward jump out of the scope is fine')
end

-- A label at the end of a block is outside the scope of the block's locals.
do
  t.ok(compiles('do goto l local x = 1 ::l:: end'), 'jumping to a label at the end of the block')
  t.is(run([[
    local n = 0
    for i = 1, 4 do
      if i % 2 == 0 then goto continue end
      local sq = i * i
      n = n + sq
      ::continue::
    end
    return n]]), 10, 'continue past a local to the end of the loop body')
  t.ok(compiles('do goto l local x = 1 ::l:: ::m:: end'), 'followed by another label (a void statement)')
  t.ok(compiles('while true do goto l local x ::l:: end'), 'at the end of a while body')
  t.ok(compiles('if true then goto l local x ::l:: end'), 'at the end of a then-block')
  t.ok(compiles('local function f() goto l local x ::l:: end'), 'at the end of a function body')
  t.ok(compiles('goto l local x ::l::'), 'at the end of the main chunk')
  t.ok(compiles('do goto l local x = 1 ::l:: ; ; end'),
       'followed by empty statements (void statements, §3.5)')
end

-- 5.4: "A label should not be declared where a label with the same name
-- is visible, even if this other label has been declared in an enclosing
-- block." 5.2 and 5.3 let the nested label hide the outer one.
if D.version >= 5.4 then
  t.ok(not compiles('::l:: do ::l:: end'), 'a label visible from an enclosing block cannot be redeclared (5.4)')
  t.ok(not compiles('::l:: for i = 1, 2 do ::l:: end'), 'nor inside a loop body (5.4)')
  t.ok(compiles('do ::l:: end ::l::'), 'a label after a closed block of the same name (5.4)')
else
  t.is(run('local n = 0 ::l:: do n = n + 1 if n < 3 then goto l end ::l:: end return n'), 1,
       'a nested label hides the outer one (5.2, 5.3)')
  t.ok(compiles('::l:: for i = 1, 2 do ::l:: end'), 'a loop body may redeclare a label (5.2, 5.3)')
  t.ok(compiles('do ::l:: end ::l::'), 'a label after a closed block of the same name')
end

-- goto and break together.
do
  t.is(run([[
    local out = {}
    for i = 1, 5 do
      if i == 2 then goto continue end
      if i == 4 then break end
      out[#out + 1] = i
      ::continue::
    end
    return table.concat(out, ',')]]), '1,3', 'continue and break in one loop')
  t.is(run([[
    local i = 0
    ::again::
    i = i + 1
    while true do
      if i < 3 then goto again end
      break
    end
    return i]]), 3, 'goto out of a while loop to an earlier label')
end

t.done_testing()
