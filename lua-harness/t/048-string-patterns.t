-- 048-string-patterns.t -- Lua 5.4 manual §6.4.1 (patterns): character
-- classes and their complements, sets, ranges, quantifiers, %b, %f,
-- anchors, captures (position captures, back-references), and
-- §6.4 string.match / gmatch (init, 5.4) / gsub (string, table and
-- function replacements, n) and errors for malformed patterns.
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end

-- All matches of 'p' in 's', concatenated with '|'.
local function all(s, p)
  local r = {}
  for m in string.gmatch(s, p) do r[#r + 1] = m end
  return table.concat(r, '|')
end

-- The characters 0..127 that match class 'c' (a pattern item).
local function members(c)
  local r = {}
  for i = 0, 127 do
    local ch = string.char(i)
    if ch:find('^' .. c .. '$') then r[#r + 1] = ch end
  end
  return table.concat(r)
end

-- %g is 5.2+ (LuaJIT has it too); elsewhere it is a literal 'g'.
local has_g = (('a b'):gsub('%g', '')) == ' '

-- ---------------------------------------------------------------------
t.section '§6.4.1 character classes'
do
  local letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  t.is(members('%a'), letters, '%a is the letters')
  t.is(members('%d'), '0123456789', '%d is the digits')
  t.is(members('%l'), 'abcdefghijklmnopqrstuvwxyz', '%l is the lower-case letters')
  t.is(members('%u'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '%u is the upper-case letters')
  t.is(members('%w'), '0123456789' .. letters, '%w is letters and digits')
  t.is(members('%x'), '0123456789ABCDEFabcdef', '%x is the hexadecimal digits')
  t.is(members('%s'), '\t\n\v\f\r ', '%s is the ASCII white space')
  t.is(members('%p'), [[!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~]], '%p is the ASCII punctuation')
  local controls = {}
  for i = 0, 31 do controls[#controls + 1] = string.char(i) end
  controls[#controls + 1] = '\127'
  t.is(members('%c'), table.concat(controls), '%c is the control characters')
  t.is(#members('.'), 128, '. matches every character')
  t.is(members('.'):sub(1, 1), '\0', '. matches the zero byte too')
  if has_g then
    t.is(#members('%g'), 94, '%g is the printable characters except space')
    t.is(members('%g'):find(' ', 1, true), nil, '%g does not include the space')
  else
    t.skip('%g is 5.2+', 2)
  end
end

t.section '§6.4.1 complements of classes'
do
  for _, c in ipairs({ 'a', 'c', 'd', 'l', 'p', 's', 'u', 'w', 'x' }) do
    local lower, upper = members('%' .. c), members('%' .. c:upper())
    t.is(#lower + #upper, 128, '%' .. c:upper() .. ' is the complement of %' .. c)
  end
  if has_g then
    t.is(#members('%G'), 128 - 94, '%G is the complement of %g')
  else
    t.skip('%g is 5.2+', 1)
  end
  t.is(('a1 b2'):gsub('%D', ''), '12', '%D removes the non-digits')
  t.is(('  x  '):match('^%s*(%S+)%s*$'), 'x', '%S in a trim idiom')
end

t.section '§6.4.1 escapes with %'
do
  t.is(('a.b'):match('%.'), '.', '%. is a literal dot')
  t.is(('50%'):match('%d+%%'), '50%', '%% is a literal percent')
  t.is(('a+b'):gsub('%+', '-'), 'a-b', '%+ is a literal plus')
  t.is(('(x)'):match('%((.)%)'), 'x', '%( and %) are literal parentheses')
  t.is(('[a]'):match('%[(.)%]'), 'a', '%[ and %] are literal brackets')
  t.is(('^$'):match('%^%$'), '^$', '%^ and %$ are literal')
  t.is(('a-b*c?d'):gsub('[%-%*%?]', ''), 'abcd', 'escaped magic characters in a set')
  t.is(('x,y'):match('%,'), ',', 'a non-magic punctuation character may be escaped too')
end

t.section '§6.4.1 sets and ranges'
do
  t.is(all('a1_b2-c3', '[%w_]+'), 'a1_b2|c3', '[%w_] mixes a class and a character')
  t.is(all('0189', '[0-7]'), '0|1', '[0-7] is a range')
  t.is(all('a-z', '[0-7%l%-]'), 'a|-|z', 'a set with a range, a class and an escaped hyphen')
  t.is(all('a]b', '[]]'), ']', 'a ] first in the set is literal')
  t.is(all('a-b', '[-a]'), 'a|-', 'a hyphen first in the set is literal')
  t.is(all('a-b', '[a-]'), 'a|-', 'a hyphen last in the set is literal')
  t.is(all('abc123', '[^%d]+'), 'abc', '[^set] is the complement')
  t.is(all('a^b', '[b^]'), '^|b', 'a ^ not first in the set is literal')
  t.is(all('x]y', '[^]]+'), 'x|y', 'a ] first after ^ is literal')
  t.is(all('AbC', '[A-Z]'), 'A|C', 'upper-case range')
  t.is(all('a.b', '[.]'), '.', 'a dot in a set is literal')
end

t.section '§6.4.1 quantifiers'
do
  t.is(('aaab'):match('a*'), 'aaa', '* is greedy')
  t.is(('baaa'):match('a*'), '', '* matches the empty string')
  t.is(('aaab'):match('a+'), 'aaa', '+ is greedy')
  t.is(('b'):match('a+'), nil, '+ needs one occurrence')
  t.is(('<a><b>'):match('<(.-)>'), 'a', '- is lazy')
  t.is(('<a><b>'):match('<(.*)>'), 'a><b', '* spans as far as possible')
  t.is(('color colour'):gsub('colou?r', 'C'), 'C C', '? is optional')
  t.is(('ab'):match('a?b'), 'ab', '? takes the character when possible')
  t.is(('aaa'):match('^(a-)a$'), 'aa', '- extends as needed to match the rest')
  t.is(('xyz'):match('x.-$'), 'xyz', '.- up to an anchor')
  t.is(('*'):match('^*$'), '*', 'a * at the start of a pattern is literal')
end

t.section '§6.4.1 %b balanced matches'
do
  t.is(('f(a(b)c) d'):match('%b()'), '(a(b)c)', '%b() matches balanced parentheses')
  t.is(('x[[y]]'):match('%b[]'), '[[y]]', '%b[] nests')
  t.is(('(unbalanced'):match('%b()'), nil, 'no closing: no match')
  t.is(all('{a}{b}', '%b{}'), '{a}|{b}', 'several balanced groups')
  t.is(('if (a) then (b) end'):gsub('%b()', '()'), 'if () then () end', 'gsub with %b')
end

t.section '§6.4.1 %f frontier'
do
  t.is(all('THE (quick) fox', '%f[%a]%a+'), 'THE|quick|fox', '%f[%a] marks word starts')
  t.is(all('hello world', '%f[%w]%w+%f[%W]'), 'hello|world', 'frontiers at both ends of words')
  t.is(('THE END'):gsub('%f[%w]%w+', 'X'), 'X X', 'gsub with a frontier')
  t.is(('abc'):find('%f[%a]'), 1, 'the start of the subject counts as \\0')
  t.is(('abc'):find('%f[^%a]'), 4, 'the end of the subject counts as \\0')
  t.is(('aaa'):find('%f[a]', 2), nil, 'no frontier inside a run')
end

t.section '§6.4.1 anchors'
do
  t.is(('abc'):match('^a'), 'a', '^ anchors at the start')
  t.is(('abc'):match('^b'), nil, '^b does not match in the middle')
  t.is(('abc'):match('c$'), 'c', '$ anchors at the end')
  t.is(('abc'):match('b$'), nil, 'b$ does not match before the end')
  t.is(('a^b'):match('a^b'), 'a^b', '^ not at the start is literal')
  t.is(('a$b'):match('a$b'), 'a$b', '$ not at the end is literal')
  t.is(('abc'):match('^abc$'), 'abc', 'both anchors')
  t.is(select(2, ('aaa'):gsub('^a', 'b')), 1, 'an anchored gsub replaces at most once')
end

-- ---------------------------------------------------------------------
t.section '§6.4.1 captures'
do
  t.is_deeply(pack(('key = value'):match('(%w+)%s*=%s*(%w+)')), { n = 2, 'key', 'value' }, 'two captures')
  t.is_deeply(pack(('abcd'):match('(a*(.)%w(%s*))')), { n = 3, 'abc', 'b', '' },
              'captures are numbered by their left parentheses')
  t.is_deeply(pack(('flaaap'):match('()aa()')), { n = 2, 3, 5 }, 'position captures')
  if math.type then
    t.is(math.type(('x'):match('()')), 'integer', 'a position capture is an integer (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 1)
  end
  t.is(('hello'):match('()'), 1, 'an empty position capture at the start')
  t.is(('hello'):match('()', 6), 6, 'a position capture at #s + 1')
  t.is_deeply(pack(('xyz'):match('x()y()z()')), { n = 3, 2, 3, 4 }, 'several position captures')
  t.is(('no captures'):match('%a+'), 'no', 'without captures the whole match is returned')
  t.is(('a'):match('()a()'), 1, 'the first of several results')
end

t.section '§6.4.1 back-references'
do
  t.is(('say "hi" or \'yo\''):match('(["\'])(.-)%1'), '"', '%1 matches the same quote')
  t.is_deeply(pack(('say "hi" or \'yo\''):match('(["\'])(.-)%1')), { n = 2, '"', 'hi' },
              'the content between matching quotes')
  t.is(('abab'):match('^(ab)%1$'), 'ab', '%1 repeats a capture')
  t.is(('abac'):match('^(ab)%1$'), nil, '%1 must match the same text')
  t.is(('aa-bb'):gsub('(%a)%1', '<%1>'), '<a>-<b>', 'back-references in gsub')
  t.is(('x=x'):match('^(%a)=%1$'), 'x', 'a back-reference across a literal')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.match'
do
  t.is(string.match('hello 123', '%d+'), '123', 'match returns the match')
  t.is(string.match('hello', '%d+'), nil, 'no match returns nil (fail)')
  t.is(string.match('a1b2', '%d', 3), '2', 'init starts the search')
  t.is(string.match('a1b2', '%d', -1), '2', 'a negative init counts from the end')
  t.is(string.match('a1b2', '^%d', 2), '1', 'the anchor applies at init')
  t.is(string.match('abc', '.', 10), nil, 'init past the end: no match')
  t.is(string.match('', '.*'), '', '.* matches the empty subject')
  t.is(string.match(2024, '^%d%d'), '20', 'a number subject is converted')
end

t.section '§6.4 string.gmatch'
do
  t.is(all('hello world from Lua', '%a+'), 'hello|world|from|Lua', 'gmatch iterates over the words')
  local kv = {}
  for k, v in string.gmatch('from=world, to=Lua', '(%w+)=(%w+)') do kv[k] = v end
  t.is_deeply(kv, { from = 'world', to = 'Lua' }, 'gmatch with two captures')
  t.is(all('abc', 'x'), '', 'no match: the loop does not run')
  local n = 0
  for _ in string.gmatch('aaa', '^a') do n = n + 1 end
  t.isnt(n, 1, 'a ^ at the start of a gmatch pattern is not an anchor')
  t.is(all('a,b,,c', '([^,]*)'), D.version >= 5.3 and 'a|b||c' or 'a||b|||c|',
       'empty matches follow the rule of the dialect')
  local it = string.gmatch('one two', '%a+')
  t.is(it(), 'one', 'the iterator can be called directly')
  t.is(it(), 'two', 'it returns the next match')
  t.is(it(), nil, 'then nil')
  local pos = {}
  for p in string.gmatch('abcabc', '()b') do pos[#pos + 1] = p end
  t.is_deeply(pos, { 2, 5 }, 'position captures in gmatch')
end

t.section '§6.4 string.gmatch with init (5.4)'
if D.version >= 5.4 then
  t.is(all('abcabc', 'a()') , '2|5', 'without init from the start')
  local it = string.gmatch('abcabc', 'a()', 2)
  t.is(it(), 5, 'init skips the first occurrence')
  local r = {}
  for w in string.gmatch('one two three', '%a+', -5) do r[#r + 1] = w end
  t.is(table.concat(r, '|'), 'three', 'a negative init counts from the end')
else
  t.skip('gmatch takes init from 5.4 on', 3)
end

t.section '§6.4.1 multiple matches: no empty match right after a match'
if D.version >= 5.3 then
  local got = {}
  string.gsub('abc', '()a*()', function(a, b) got[#got + 1] = a .. '-' .. b end)
  t.is_deeply(got, { '1-2', '3-3', '4-4' }, 'the manual example: no empty match after "a"')
  t.is_deeply(pack(('abc'):gsub('%w*', '-')), { n = 2, '-', 1 }, 'a whole-subject match is not followed by an empty one')
  t.is_deeply(pack(('hello world'):gsub('o*', 'X')), { n = 2, 'XhXeXlXlX XwXrXlXdX', 10 },
              'empty matches elsewhere still count')
else
  t.skip('the rule for empty matches after a match is the 5.3.6/5.4 one', 3)
end
do
  t.is_deeply(pack(('abc'):gsub('', '-')), { n = 2, '-a-b-c-', 4 }, 'the empty pattern matches at every position')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.gsub with a string replacement'
do
  t.is(string.gsub('hello world', '(%w+)', '%1 %1'), 'hello hello world world', 'the manual example with %1')
  t.is(string.gsub('hello world', '%w+', '%0 %0', 1), 'hello hello world', '%0 and n = 1')
  t.is(string.gsub('hello world from Lua', '(%w+)%s*(%w+)', '%2 %1'), 'world hello Lua from', 'swapping captures')
  t.is_deeply(pack(string.gsub('abc', '%w', '%%')), { n = 2, '%%%', 3 }, '%% in the replacement is a percent')
  t.is_deeply(pack(string.gsub('abc', 'x', 'y')), { n = 2, 'abc', 0 }, 'no match: the string and 0')
  t.is_deeply(pack(string.gsub('aaaa', 'a', 'b', 2)), { n = 2, 'bbaa', 2 }, 'n limits the replacements')
  t.is_deeply(pack(string.gsub('aaaa', 'a', 'b', 0)), { n = 2, 'aaaa', 0 }, 'n = 0 replaces nothing')
  t.is_deeply(pack(string.gsub('aaaa', 'a', 'b', 10)), { n = 2, 'bbbb', 4 }, 'n larger than the matches')
  t.is(string.gsub('abc', 'b', 5), 'a5c', 'a number replacement is converted')
  t.is(string.gsub('a.b', '%.', '%%'), 'a%b', 'replacing with a literal percent')
  t.is(string.gsub('x', 'x', '%0%0%0'), 'xxx', '%0 several times')
  t.is(string.gsub('abc', '(a)(b)(c)', '%3%2%1'), 'cba', 'three captures reversed')
  t.is(string.gsub('abc', '()b', '%1'), 'a2c', 'a position capture in the replacement')
  t.error_like(function() string.gsub('abc', '(b)', '%2') end, 'invalid capture index',
               'a capture index beyond the captures is an error')
end

t.section '§6.4 string.gsub with a table replacement'
do
  local vars = { name = 'lua', version = '5.4' }
  t.is(string.gsub('$name-$version.tar.gz', '%$(%w+)', vars), 'lua-5.4.tar.gz', 'the manual example')
  t.is(string.gsub('$a $b', '%$(%w+)', { a = 'x' }), 'x $b', 'a missing key keeps the original')
  t.is(string.gsub('$a $b', '%$(%w+)', { a = false, b = 'y' }), '$a y', 'false keeps the original')
  t.is(string.gsub('a b', '%w', { a = 1, b = 2.5 }), '1 2.5', 'number values are converted')
  t.is(string.gsub('abc', '%w', setmetatable({}, { __index = function(_, k) return k:upper() end })),
       'ABC', 'the table is indexed normally (with __index)')
  t.is(string.gsub('ab', '%w', { ab = 'no', a = 'A' }), 'Ab', 'without captures the key is the whole match')
  t.error_like(function() string.gsub('a', 'a', { a = {} }) end, 'invalid replacement value',
               'a table value is an error')
end

t.section '§6.4 string.gsub with a function replacement'
do
  local args = {}
  local r, n = string.gsub('k1=v1, k2=v2', '(%w+)=(%w+)', function(k, v)
    args[#args + 1] = k .. ':' .. v
    return v .. '=' .. k
  end)
  t.is(r, 'v1=k1, v2=k2', 'the function result replaces the match')
  t.is(n, 2, 'gsub counts the matches')
  t.is_deeply(args, { 'k1:v1', 'k2:v2' }, 'the function gets all captures, in order')
  t.is(string.gsub('abc', '%w', function(c) if c == 'b' then return nil end return c:upper() end),
       'AbC', 'nil keeps the original match')
  t.is(string.gsub('abc', '%w', function() return false end), 'abc', 'false keeps the original match')
  t.is(string.gsub('abc', 'b', function() return 42 end), 'a42c', 'a number result is converted')
  t.is(string.gsub('4+5 = $return 4+5$', '%$(.-)%$', function(s)
    return ((loadstring or load)(s))()
  end), '4+5 = 9', 'the manual example with load')
  local whole
  string.gsub('xyz', '%w+', function(m) whole = m end)
  t.is(whole, 'xyz', 'without captures the function gets the whole match')
  local calls = 0
  string.gsub('aaaa', 'a', function() calls = calls + 1 end, 2)
  t.is(calls, 2, 'n also limits the calls')
  t.error_like(function() string.gsub('a', 'a', function() return {} end) end, 'invalid replacement value',
               'a table result is an error')
  t.error_like(function() string.gsub('a', 'a', true) end, 'bad argument #3', 'a boolean replacement is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.4.1 embedded zeros in patterns (5.2+)'
if D.version >= 5.2 then
  t.is_deeply(pack(('a\0b'):find('\0')), { n = 2, 2, 2 }, 'a zero byte in a pattern')
  t.is(('a\0b\0'):gsub('[\0]', '.'), 'a.b.', 'a zero byte in a set')
  t.is(('x\0\0y'):match('\0+'), '\0\0', 'a quantified zero byte')
else
  t.skip('patterns may contain zero bytes from 5.2 on', 3)
end

t.section '§6.4.1 malformed patterns'
do
  t.error_like(function() string.find('abc', '%') end, 'malformed pattern', 'a pattern ending with % is an error')
  t.error_like(function() string.find('abc', '[a') end, 'malformed pattern', 'a missing ] is an error')
  t.error_like(function() string.find('abc', '[%') end, 'malformed pattern', 'a set ending with % is an error')
  t.error_like(function() string.find('abc', '(a') end, 'unfinished capture', 'an unclosed capture is an error')
  t.error_like(function() string.find('abc', '%b') end, 'pattern', '%b without arguments is an error')
  t.error_like(function() string.find('abc', '%ba') end, 'pattern', '%b with one argument is an error')
  t.error_like(function() string.find('abc', '%f') end, "missing '%[' after '%%f'", '%f without a set is an error')
  t.error_like(function() string.find('abc', '%1') end, 'invalid capture index', '%1 without a capture is an error')
  t.error_like(function() string.find('abc', '(a)%2') end, 'invalid capture index', '%2 with one capture is an error')
  t.error_like(function() string.match('abc', '(()') end, 'unfinished capture', 'a nested unclosed capture is an error')
  t.error_like(function() string.gmatch('abc', '%')() end, 'malformed pattern', 'gmatch reports malformed patterns')
  t.error_like(function() string.gsub('abc', '[', '') end, 'malformed pattern', 'gsub reports malformed patterns')
  t.error_like(function() string.match('abc', 'b)') end, 'invalid pattern capture', 'a ) without ( is an error')
end

t.done_testing()
