-- 001-lexical-names-comments.t -- Lua 5.4 manual §3.1 (lexical
-- conventions): white space, names, reserved words, case sensitivity,
-- other tokens, short and long comments, end-of-line sequences (checked
-- through the line numbers of error positions, §6.1 error / luaL_where).
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles

-- true when 'src' compiles.


-- The message of the error raised by running 'src' (chunk name "=c").
local function runerr(src)
  local f = assert(compile(src, '=c'))
  local ok, e = pcall(f)
  if ok then return nil end
  return tostring(e)
end

----------------------------------------------------------------------------
t.section '§3.1'
-- Names: Latin letters, digits and underscores, not starting with a digit.
do
  local good = { '_', '__', '_x1', 'x', 'X', 'abc', 'a1b2c3', 'A_b_C9', '_VERSIONx',
                 'z9', 'longer_name_with_many_parts', '_0', 'Z' }
  for _, n in ipairs(good) do
    t.is(run('local ' .. n .. ' = 42 return ' .. n), 42, 'name ' .. n .. ' is valid')
  end
  local long = string.rep('a', 300) .. '_b'
  t.is(run('local ' .. long .. ' = 7 return ' .. long), 7, 'a 302-character name is valid')
  t.is(run('local t = {} t.' .. long .. ' = 8 return t["' .. long .. '"]'), 8,
       'a long name as a field name')
  local bad = { '1a', '9', '0x', 'a-b', 'a.b', '$x', '@x', 'a$', 'x!', '?x', '`x', 'a b c' }
  for _, n in ipairs(bad) do
    t.ok(not compiles('local ' .. n .. ' = 1'), '"' .. n .. '" is not a name')
  end
  -- Only Latin letters: a byte above 127 is not part of a name (5.4 §3.1;
  -- 5.1 defers to the C locale, where it is not a letter either).
  t.ok(not compiles('local caf\195\169 = 1'), 'a UTF-8 letter is not allowed in a name')
  t.ok(not compiles('local \128 = 1'), 'byte 128 is not allowed in a name')
end

-- Reserved words cannot be used as names.
do
  local kw = { 'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for',
               'function', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat',
               'return', 'then', 'true', 'until', 'while' }
  for _, k in ipairs(kw) do
    t.ok(not compiles('local ' .. k .. ' = 1'), 'keyword ' .. k .. ' is reserved (local)')
    t.ok(not compiles('local t = {} t.' .. k .. ' = 1'), 'keyword ' .. k .. ' is reserved (field)')
  end
  -- 'goto' is reserved from 5.2 on; the 5.1 manual (and LuaJIT, which
  -- keeps 5.1's reserved words) lets it be a name.
  if D.version >= 5.2 then
    t.ok(not compiles('local goto = 1'), 'keyword goto is reserved (5.2+)')
  else
    t.is(run('local goto = 3 return goto'), 3, 'goto is an ordinary name (5.1)')
  end
  -- Keywords are usable as string keys, just not with the '.' sugar.
  t.is(run('local t = {["end"] = 1, ["while"] = 2} return t["end"] + t["while"]'), 3,
       'keywords are valid string keys')
end

-- Case sensitivity.
do
  t.is_deeply({ run('local And, AND, End, NIL, True, Then = 1, 2, 3, 4, 5, 6 ' ..
                    'return And, AND, End, NIL, True, Then') },
              { 1, 2, 3, 4, 5, 6 }, 'And AND End NIL True Then are names')
  t.is_deeply({ run('local a, A = 1, 2 return a, A') }, { 1, 2 }, 'a and A are different names')
  t.ok(not compiles('local x = 1 If x Then end'), 'If/Then are not keywords')
  t.is(run('local x = nil return x == nil'), true, 'nil is the keyword')
  t.is(run('local Nil = 5 return Nil'), 5, 'Nil is a name')
end

-- White space: space, \f, \n, \r, \t and \v separate tokens.
do
  t.is(run('return\t1\v+\f2\r+\n3 '), 6, 'all six white-space characters separate tokens')
  t.is(run('\n\n\t  return   1  +  2  \n\n'), 3, 'leading and trailing space ignored')
  t.is(run('local\fx\f=\f4\freturn\fx'), 4, 'form feeds between every token')
  t.is(run('local\vx\v=\v5\vreturn\vx'), 5, 'vertical tabs between every token')
  t.is(run('local\rx\r=\r6\rreturn\rx'), 6, 'carriage returns between every token')
  t.ok(not compiles('loc al x = 1'), 'space splits a keyword')
  t.ok(not compiles('return 1 = = 1'), '"= =" is not "=="')
  t.ok(not compiles('return 1 < = 2'), '"< =" is not "<="')
  t.ok(not compiles('return 1 ~ = 2'), '"~ =" is not "~="')
  t.ok(not compiles('return "a" . . "b"'), '". ." is not ".."')
end

-- Other tokens.
do
  t.is(run('return 1 .. 2'), '12', '".." between numbers with spaces')
  t.is(run('local a = "x" return a..a'), 'xx', '".." needs no spaces after names')
  t.is_deeply({ run('return 2==2, 2~=2, 1<=2, 2>=3, 1<2, 2>1') },
              { true, false, true, false, true, true }, 'relational tokens without spaces')
  t.is(run('return #"abc"+-1'), 2, '# + - in a row')
  t.is(run('return 7%4*2^3/4'), 6.0, '% * ^ / tokens')
  t.is(select('#', run('return ...', 1, 2, 3)), 3, '"..." token')
  t.is(run('local t = {a = {b = 5}} return t.a.b'), 5, '"." field access')
  t.is(run('local t = {f = function(s, x) return x end} return t:f(9)'), 9, '":" method call')
  t.is(run('return ({1, 2; 3})[3]'), 3, '{ } [ ] ( ) ; , tokens')
  if D.has.floordiv then
    t.is(run('return 7//2'), 3, '"//" is one token (5.3+)')
    t.is(run('return 1<<4, 256>>4, 6&3, 6|3, 6~3'), 16, '<< >> & | ~ are tokens (5.3+)')
  else
    t.ok(not compiles('return 7//2'), '"//" is not a token before 5.3')
    t.ok(not compiles('return 6&3'), '"&" is not a token before 5.3')
  end
  if D.has['goto'] then
    t.is(run('do goto l end ::l:: return 1'), 1, '"::" delimits labels')
  else
    t.ok(not compiles('::l::'), '"::" is not a token in 5.1')
  end
end

-- Comments.
do
  t.is(run('return 1 -- a comment'), 1, 'short comment to end of chunk')
  t.is(run('return 1 --'), 1, 'empty short comment at end of chunk')
  t.is(run('-- first\nreturn 2 -- second\n-- third'), 2, 'short comments on several lines')
  t.is(run('local x = 3 -- c\rreturn x'), 3, 'a short comment ends at \\r')
  t.is(run('local x = 4 -- c\r\nreturn x'), 4, 'a short comment ends at \\r\\n')
  t.is(run('return 1 + --[[ inline ]] 2'), 3, 'long comment inside an expression')
  t.is(run('return 1 --[[ spans\nseveral\nlines ]] + 4'), 5, 'long comment across lines')
  t.is(run('--[==[ ]] ]=] still comment ]==] return 5'), 5, 'level-2 long comment ignores ]] and ]=]')
  t.is(run('--[=[\nreturn 1\n]=] return 6'), 6, 'level-1 long comment hides code')
  t.is(run('--[ not a long comment\nreturn 7'), 7, '--[ without a second [ is a short comment')
  t.is(run('--[=x not long\nreturn 8'), 8, '--[=x is a short comment')
  t.is(run('---[[\nreturn 9\n--]]'), 9, '---[[ is a short comment (the usual toggle)')
  t.is(run('--[[\nreturn 9\n--]] return 10'), 10, '--[[ ... --]] comments code out')
  t.is(run('-- a --[[ inside a short comment\nreturn 11'), 11, '--[[ inside a short comment starts nothing')
  t.is(run('--[[ \' " unbalanced quotes ]] return 12'), 12, 'quotes inside a long comment')
  t.is(run('return "--not a comment"'), '--not a comment', '-- inside a string is not a comment')
  t.is(run('return [=[--[[x]=]'), '--[[x', '--[[ inside a long string is not a comment')
  t.is(run('return 13--[[]]'), 13, 'empty long comment right after a token')
  t.is(run('return 2 - -1'), 3, '"- -" is two minus signs')
  t.is(select('#', run('return --1')), 0, '"--1" is a comment: return with no values')
  t.ok(not compiles('--[[ unfinished'), 'an unfinished long comment is an error')
  t.ok(not compiles('--[==[ x ]=]'), 'a long comment closed at the wrong level is unfinished')
  t.is(run('return 1 --[[x]] --[[y]] + 1'), 2, 'two long comments in a row')
end

-- End-of-line sequences: \n, \r, \r\n and \n\r each count as one line.
do
  t.like(runerr('\n\n\nerror("e")'), '^c:4:', '\\n counts lines')
  t.like(runerr('\r\r\rerror("e")'), '^c:4:', '\\r counts lines')
  t.like(runerr('\r\n\r\n\r\nerror("e")'), '^c:4:', '\\r\\n is one line break')
  t.like(runerr('\n\r\n\r\n\rerror("e")'), '^c:4:', '\\n\\r is one line break')
  t.like(runerr('\n\n\r\rerror("e")'), '^c:4:', '\\n \\n\\r \\r: three line breaks')
  t.like(runerr('--[[\n\n]] error("e")'), '^c:3:', 'lines inside a long comment are counted')
  t.like(runerr('-- c\n-- d\nerror("e")'), '^c:3:', 'short comments end their line')
  t.like(runerr('local s = [[\r\n\r\n]] error("e")'), '^c:3:', 'lines inside a long string are counted')
end

t.done_testing()
