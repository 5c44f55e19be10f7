-- 002-long-strings.t -- Lua 5.4 manual §3.1 (lexical conventions):
-- long brackets of every level, the first-newline rule, end-of-line
-- normalisation, no escape processing, brackets of other levels inside,
-- long strings as call arguments and keys, malformed long brackets.
local t = require 'tap'
local D = require 'lvt_dialect'

local compile = loadstring or load      -- compiles a string on every dialect
-- run, compiles: see lua-harness/lib/lvt_helpers.lua
local h = require('lvt_helpers').new(t, D)
local run, compiles = h.run, h.compiles



-- The long bracket pair of level 'n'.
local function open(n) return '[' .. string.rep('=', n) .. '[' end
local function close(n) return ']' .. string.rep('=', n) .. ']' end

-- 'body' as a long string of level 'n', compiled and returned.
local function long(body, n)
  return run('return ' .. open(n or 0) .. body .. close(n or 0))
end

----------------------------------------------------------------------------
t.section '§3.1'
do
  t.is(long('abc'), 'abc', 'level 0')
  t.is(long(''), '', 'empty level 0')
  t.is(long('', 3), '', 'empty level 3')
  t.is(long('hello world', 1), 'hello world', 'level 1')
  t.is(long('x', 12), 'x', 'level 12')
  t.is(long(' '), ' ', 'a single space is kept')
  t.is(long('  two  '), '  two  ', 'leading and trailing spaces are kept')
  t.is(#long('abc\ndef'), 7, 'length counts the newline')
  -- The manual's five equal strings.
  local a1 = 'alo\n123"'
  t.is("alo\n123\"", a1, 'manual example: double quotes')
  t.is('\97lo\10\04923"', a1, 'manual example: decimal escapes')
  t.is(long('alo\n123"'), a1, 'manual example: level 0 long string')
  t.is(long('\nalo\n123"', 2), a1, 'manual example: level 2 with a first newline')
end

-- Each level ends only at a closing bracket of the same level; brackets
-- of every other level are ordinary text.
do
  for n = 0, 4 do
    local parts = {}
    for m = 0, 5 do
      if m ~= n then parts[#parts + 1] = close(m) end
    end
    for m = 0, 5 do
      -- An opening bracket of the same level is text too, except in 5.1
      -- where LUA_COMPAT_LSTR rejects a nested [[ at level 0 (below).
      if not (m == 0 and n == 0) then parts[#parts + 1] = open(m) end
    end
    local body = table.concat(parts, ' ')
    t.is(long(body, n), body, 'level ' .. n .. ' holds openings and other-level closings')
  end
  t.is(long('a]b', 0), 'a]b', 'a single ] inside level 0')
  t.is(long('a]=b', 1), 'a]=b', ']= without a second ] inside level 1')
  t.is(long(']', 1), ']', 'a lone ] inside level 1')
  t.is(long(']]', 1), ']]', ']] inside level 1')
  t.is(long('x]', 1), 'x]', 'a ] right before the closing bracket')
  t.is(run('return [==[a]=]b]==], 1'), 'a]=]b', 'ends at the first closing bracket of its level')
  t.is(run('return [[a]]..[[b]]'), 'ab', 'two level-0 strings concatenated')
  t.is(run('return #[=[ab]]c]=]'), 5, 'length of a string holding ]]')
  -- The manual allows any text except the closing bracket: nested [[.
  t.is(long('a [[ b ', 0), 'a [[ b ', 'an opening [[ inside a level-0 string')
  t.is(long('[=[ x', 1), '[=[ x', 'an opening bracket of the same level (1) inside')
end

-- The first newline right after the opening bracket is skipped, only it.
do
  t.is(long('\nabc'), 'abc', 'first \\n skipped')
  t.is(long('\r\nabc'), 'abc', 'first \\r\\n skipped')
  t.is(long('\rabc'), 'abc', 'first \\r skipped')
  t.is(long('\n\rabc'), 'abc', 'first \\n\\r skipped')
  t.is(long('\n\nabc'), '\nabc', 'only the first of two newlines skipped')
  t.is(long('\r\n\r\nabc'), '\nabc', 'second \\r\\n kept as \\n')
  t.is(long('\n'), '', 'a string that is only a newline is empty')
  t.is(long('\n\n'), '\n', 'two newlines give one')
  t.is(long(' \nabc'), ' \nabc', 'a newline after a space is kept')
  t.is(long('\tabc'), '\tabc', 'a tab after the bracket is kept')
  t.is(long('abc\n'), 'abc\n', 'a last newline is kept')
  t.is(long('\nabc', 3), 'abc', 'first newline skipped at level 3')
  t.is(run('return [[\n]] .. "|"'), '|', 'empty after the skipped newline')
end

-- Every end-of-line sequence becomes a single \n.
do
  t.is(long('a\nb'), 'a\nb', '\\n kept')
  t.is(long('a\rb'), 'a\nb', '\\r becomes \\n')
  t.is(long('a\r\nb'), 'a\nb', '\\r\\n becomes \\n')
  t.is(long('a\n\rb'), 'a\nb', '\\n\\r becomes \\n')
  t.is(long('a\r\rb'), 'a\n\nb', '\\r\\r is two newlines')
  t.is(long('a\n\nb'), 'a\n\nb', '\\n\\n is two newlines')
  t.is(long('a\r\n\rb'), 'a\n\nb', '\\r\\n then \\r is two newlines')
  t.is(long('a\n\r\nb'), 'a\n\nb', '\\n\\r then \\n is two newlines')
  t.is(long('a\r\n\r\nb'), 'a\n\nb', '\\r\\n\\r\\n is two newlines')
  t.is(long('a\n\r\n\rb'), 'a\n\nb', '\\n\\r\\n\\r is two newlines')
  t.is(#long('1\r\n2\r\n3\r\n', 2), 6, 'CRLF text shrinks to LF')
end

-- No escape sequences are interpreted.
do
  t.is(long('a\\nb'), 'a\\nb', 'backslash n is two characters')
  t.is(long('\\'), '\\', 'a lone backslash')
  t.is(long('\\\\'), '\\\\', 'two backslashes stay two')
  t.is(long('\\65'), '\\65', 'decimal escape not processed')
  t.is(long('\\x41'), '\\x41', 'hex escape not processed')
  t.is(long('\\z   x'), '\\z   x', '\\z not processed')
  t.is(long('\\u{41}'), '\\u{41}', 'unicode escape not processed')
  t.is(long('"\'"'), '"\'"', 'quotes are ordinary characters')
  t.is(long('\\]]', 1), '\\]]', 'a backslash does not escape a bracket')
  t.is(#long('\\'), 1, 'length of a lone backslash')
end

-- Any byte represents itself, including zero and high bytes.
do
  t.is(long('a\0b'), 'a\0b', 'an embedded zero byte')
  t.is(#long('a\0b'), 3, 'length with an embedded zero')
  t.is(long('\255\128'), '\255\128', 'high bytes')
  t.is(long('\t\v\f'), '\t\v\f', 'tab, vertical tab and form feed')
  local all = {}
  for b = 0, 255 do
    if b ~= 10 and b ~= 13 and b ~= 93 then all[#all + 1] = string.char(b) end
  end
  local s = table.concat(all)
  t.is(long(s, 1), s, 'every byte except \\n, \\r and ] stands for itself')
end

-- Long strings where the grammar takes a LiteralString.
do
  local function id(x) return x end
  t.is(id[[call]], 'call', 'f[[...]] is a call with one string')
  t.is(id[==[call2]==], 'call2', 'f[==[...]==] call')
  t.is(run('local t = {} t[ [[k]] ] = 1 return t.k'), 1, 'a long string as a key with spaces')
  t.is(run('return ([[abc]]):upper()'), 'ABC', 'method call on a parenthesised long string')
  t.is(run('return ({[ [=[x]=] ] = 2}).x'), 2, 'a long string key in a constructor')
  t.is(run('local s = [[\nline1\nline2\n]] return select(2, s:gsub("\\n", ""))'), 2,
       'two newlines counted in a multi-line string')
end

-- Malformed long brackets.
do
  t.ok(not compiles('return [=x'), '[= not followed by [ is an error')
  t.ok(not compiles('return [==x]==]'), '[== not followed by [ is an error')
  t.ok(not compiles('return [[abc'), 'an unfinished level-0 string is an error')
  t.ok(not compiles('return [==[ abc ]=]'), 'closed at a lower level: unfinished')
  t.ok(not compiles('return [=[ abc ]==]'), 'closed at a higher level: unfinished')
  t.ok(not compiles('return [=[ abc ]]'), 'level 1 closed by ]]: unfinished')
  t.ok(not compiles('return [[abc]=]'), 'level 0 closed by ]=]: unfinished')
  t.is(run('local t = {1} return t[1]'), 1, 't[1] is indexing, not a long bracket')
  t.is(run('local t = {{5}} return t[1][1]'), 5, 't[1][1] is indexing')
end

t.done_testing()
