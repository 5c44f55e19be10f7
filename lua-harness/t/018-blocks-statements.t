-- 018-blocks-statements.t -- Lua 5.4 manual §3.3.1 (blocks: statement
-- lists, empty statements, do ... end, the call-or-new-statement
-- ambiguity of a line starting with '('), §3.3.2 (a chunk is a block:
-- large chunks), §9 (the complete syntax: statements that are not valid).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



----------------------------------------------------------------------------
t.section '§3.3.1'
-- Statements run in sequence; separators are optional.
do
  t.is(run('local a = 1 local b = a + 1 local c = b * 3 return c'), 6, 'statements on one line without separators')
  t.is(run('local a = 1; local b = 2; return a + b;'), 3, 'statements separated by semicolons')
  t.is(run('local a = 1\nlocal b = 2\nreturn a + b'), 3, 'statements on separate lines')
  t.is(run('local a = 1 --[[c]] local b = 2 -- c\nreturn a + b'), 3, 'comments between statements')
  t.is(run('local s = "" for i = 1, 3 do s = s .. i end s = s .. "!" return s'), '123!', 'order of execution')
end

-- Empty statements (5.2+: a lone ';' is a statement; 5.1 only allows a
-- ';' after a statement).
do
  t.is(run('local a = 1; return a'), 1, 'a semicolon after a statement')
  if D.version >= 5.2 then
    t.is(run(';;; return 2'), 2, 'a block may start with semicolons (5.2+)')
    t.is(run('local a = 1;; local b = 2 ;;; return a + b'), 3, 'two semicolons in sequence (5.2+)')
    t.is(run('do ; end return 3'), 3, 'a block holding only an empty statement (5.2+)')
    t.is(run('if true then ; else ; end return 4'), 4, 'empty statements in branches (5.2+)')
    t.is(run('for i = 1, 2 do ;;; end return 5'), 5, 'empty statements in a loop (5.2+)')
    t.ok(compiles(';'), 'a chunk of one semicolon (5.2+)')
  else
    t.ok(not compiles(';;; return 2'), 'a lone semicolon is a syntax error (5.1)')
    t.ok(not compiles('local a = 1;; return a'), 'two semicolons in a row are a syntax error (5.1)')
    t.skip('empty statements are 5.2+', 4)
  end
end

-- do ... end.
do
  t.is(run('do end return 1'), 1, 'an empty do block')
  t.is(run('local x = 1 do local x = 2 end return x'), 1, 'a do block limits the scope of its locals')
  t.is(run('local x = 1 do x = 2 end return x'), 2, 'a do block can assign outer locals')
  t.is(run('do do do return "deep" end end end'), 'deep', 'nested do blocks')
  t.is(run('local n = 0 do n = n + 1 do n = n + 10 end n = n + 100 end return n'), 111, 'statements around a nested block')
  t.is(run('do return 1 end return 2'), 1, 'do return end in the middle of a block')
  local nest = string.rep('do ', 100) .. 'lvt_nested = 100' .. string.rep(' end', 100)
  run(nest)
  t.is(lvt_nested, 100, '100 nested do blocks')
  lvt_nested = nil
  t.ok(not compiles('do'), 'do without end')
  t.ok(not compiles('end'), 'end without a block')
  t.ok(not compiles('do end end'), 'an extra end')
  t.ok(not compiles('do return 1 local x end'), 'return is the last statement of its block')
end

-- A line starting with '(' continues the previous statement (5.2+); 5.1
-- forbids a line break before the '(' of a call.
do
  local src = 'local function b(x) return function(y) return "called:" .. x .. y end end\n' ..
              'local a\na = b\n("x")("y")\nreturn a'
  if D.version >= 5.2 then
    t.is(run(src), 'called:xy', 'a = b\\n(...)(...) is one statement: a call (5.2+)')
    t.is(run('local a = 1\n;(function() lvt_amb = "ran" end)()\nreturn a'), 1,
         'a semicolon before ( makes a new statement')
    t.is(lvt_amb, 'ran', 'and the parenthesised call runs')
  else
    t.ok(not compiles(src), 'a line break before the ( of a call is an error (5.1)')
    t.is(run('local a = 1;(function() lvt_amb = "ran" end)()\nreturn a'), 1,
         'a semicolon before ( on the same line makes a new statement')
    t.is(lvt_amb, 'ran', 'and the parenthesised call runs')
  end
  lvt_amb = nil
  t.is(run('local t = {f = function() return "m" end}\nreturn t\n.f()'), 'm', 'a line break before . is fine')
  t.is(run('local s = "x"\nreturn s\n:rep(2)'), 'xx', 'a line break before : is fine')
end

-- Not statements.
do
  local bad = { '1', 'x', '"s"', 'nil', 'true', '...', 'x + 1', 'x == 1', 'not x', '-x', 'x:y',
                '(x)', 'x.y', 'x[1]', 'function() end', '{}', 'a, b', 'then', 'until x', 'elseif x then',
                'else', 'in', 'x =', 'local', 'local 1', 'return return', 'if x', 'while x', 'for' }
  for _, src in ipairs(bad) do
    t.ok(not compiles(src), string.format('%q is not a valid chunk', src))
  end
end

----------------------------------------------------------------------------
t.section '§3.3.2'
-- Large chunks compile and run.
do
  local parts = { 'local s = 0' }
  for i = 1, 5000 do parts[#parts + 1] = 's = s + ' .. i end
  parts[#parts + 1] = 'return s'
  t.is(run(table.concat(parts, '\n')), 12502500, 'a chunk of 5000 statements')
  local strs = { 'local t = {}' }
  for i = 1, 3000 do strs[#strs + 1] = 't[' .. i .. '] = "s' .. i .. '"' end
  strs[#strs + 1] = 'return t[1] .. t[3000]'
  t.is(run(table.concat(strs, ' ')), 's1s3000', 'a chunk with 3000 distinct string constants')
  local fns = {}
  for i = 1, 150 do fns[#fns + 1] = 'local function f' .. i .. '() return ' .. i .. ' end' end
  fns[#fns + 1] = 'return f1() + f150()'
  t.is(run(table.concat(fns, '\n')), 151, 'a chunk with 150 local functions')
end

t.done_testing()
