-- 054-io.t -- Lua 5.4 manual §6.8 (input and output): io.open modes,
-- file:write/read with the formats n, l, L, a and byte counts, file:lines
-- and io.lines with formats, file:seek, file:setvbuf, file:close, io.type,
-- io.input/io.output/io.read/io.write/io.close on files, and failures
-- returning nil plus a message plus an error code. Files are created with
-- relative names (lvtest puts them in a private scratch directory) and
-- removed at the end.
local t = require 'tap'
local D = require 'lvt_dialect'
if not D.has.io_files then t.skip_all('needs io.open (files) (not in ' .. (_VERSION or '?') .. ')') return end

local function pack(...) return { n = select('#', ...), ... } end

-- Read formats: 5.1 and 5.2 need the '*' prefix; 5.3+ and LuaJIT accept both.
local plain_formats = D.version >= 5.3 or D.luajit
local function F(x) return plain_formats and x or '*' .. x end
local has_L = D.version >= 5.2 or D.luajit
-- f:write returns the file from 5.2 on (5.1 manual: true).
local write_returns_file = D.version >= 5.2

local created = {}
local function name(s)
  local n = 'lvt054_' .. s .. '.txt'
  created[#created + 1] = n
  return n
end

-- Writes 'content' to file 'n' (binary mode).
local function spit(n, content)
  local f = assert(io.open(n, 'wb'))
  f:write(content)
  f:close()
end

-- Returns the whole content of file 'n'.
local function slurp(n)
  local f = assert(io.open(n, 'rb'))
  local s = f:read(F('a'))
  f:close()
  return s
end

-- ---------------------------------------------------------------------
t.section '§6.8 io.open'
do
  local n = name('open')
  local f, msg = io.open(n, 'w')
  t.is(io.type(f), 'file', '"w" creates a file and returns a handle')
  t.ok(msg == nil, 'with no message')
  local r = f:write('first')
  if write_returns_file then
    t.ok(r == f, 'write returns the file (5.2+)')
  else
    t.ok(r == true or r == f, 'write returns a true value (5.1)')
  end
  t.is(f:close(), true, 'close returns true')
  t.is(slurp(n), 'first', 'the data is in the file')
  f = assert(io.open(n, 'w'))
  f:write('second')
  f:close()
  t.is(slurp(n), 'second', '"w" truncates an existing file')
  f = assert(io.open(n, 'a'))
  f:write('+more')
  f:close()
  t.is(slurp(n), 'second+more', '"a" appends')
  f = assert(io.open(n, 'r+'))
  f:write('SE')
  f:close()
  t.is(slurp(n), 'SEcond+more', '"r+" updates in place without truncating')
  f = assert(io.open(n, 'w+'))
  f:write('fresh')
  f:seek('set')
  t.is(f:read(F('a')), 'fresh', '"w+" truncates and allows reading back')
  f:close()
  f = assert(io.open(n, 'a+'))
  f:write('!')
  f:seek('set')
  t.is(f:read(F('a')), 'fresh!', '"a+" appends and allows reading from the start')
  f:close()
  f = assert(io.open(n))
  t.is(f:read(F('a')), 'fresh!', 'the default mode is "r"')
  f:close()
  local bytes = {}
  for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
  local bin = table.concat(bytes)
  spit(n, bin)
  t.is(slurp(n), bin, 'binary mode keeps all 256 byte values')

  local r1 = pack(io.open('lvt054_does_not_exist.txt'))
  t.is(r1[1], nil, 'opening a missing file returns nil (fail)')
  t.like(r1[2], 'lvt054_does_not_exist%.txt', 'plus a message naming the file')
  t.is(type(r1[3]), 'number', 'plus a numeric error code')
  t.is(r1.n, 3, 'exactly three results')
  local r2 = pack(io.open('lvt054_no_such_dir/x.txt', 'w'))
  t.ok(r2[1] == nil and type(r2[2]) == 'string', 'creating a file in a missing directory fails with a message')
  if D.version >= 5.2 then
    t.error_like(function() io.open(n, 'z') end, 'invalid mode', 'an invalid mode is an error (5.2+)')
    t.error_like(function() io.open(n, 'rw') end, 'invalid mode', '"rw" is not a valid mode (5.2+)')
  else
    t.skip('modes are checked from 5.2 on', 2)
  end
  t.error_like(function() io.open() end, 'bad argument #1', 'io.open() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.8 file:read formats'
do
  local n = name('read')
  spit(n, '10 0x1F -3.5e2 abc\nline2\n\nlast')
  local f = assert(io.open(n))
  t.is_deeply(pack(f:read(F('n'), F('n'), F('n'))), { n = 3, 10, 31, -350.0 }, '"n" reads decimal, hexadecimal and exponent numerals')
  t.is(f:read(F('n')), nil, '"n" fails on a non-numeral')
  f:seek('set')
  local a = f:read(F('n'))
  if math.type then
    t.is(math.type(a), 'integer', '"n" reads an integer numeral as an integer (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 1)
  end
  f:seek('set')
  t.is(f:read(F('l')), '10 0x1F -3.5e2 abc', '"l" reads a line without the newline')
  t.is(f:read(), 'line2', 'the default format is "l"')
  t.is(f:read(F('l')), '', 'an empty line reads as ""')
  t.is(f:read(F('l')), 'last', 'the last line without a newline')
  t.is(f:read(F('l')), nil, '"l" at the end of file is nil (fail)')
  t.is(f:read(F('a')), '', '"a" at the end of file is ""')
  t.is(f:read(0), nil, 'read(0) at the end of file is nil')
  f:seek('set')
  t.is(f:read(3), '10 ', 'a number reads that many bytes')
  t.is(f:read(0), '', 'read(0) before the end is ""')
  t.is(#f:read(1000), 27, 'a count past the end reads what is left')
  f:seek('set')
  t.is_deeply(pack(f:read(F('l'), F('l'), 2)), { n = 3, '10 0x1F -3.5e2 abc', 'line2', '\nl' },
              'several formats in one call')
  f:seek('set', 25)
  t.is_deeply(pack(f:read(F('l'), F('l'), F('l'))), { n = 3, '', 'last', nil }, 'a failing format returns nil for itself')
  f:close()
  if has_L then
    local g = assert(io.open(n))
    t.is(g:read(F('L')), '10 0x1F -3.5e2 abc\n', '"L" keeps the newline')
    g:read(F('L'))
    t.is(g:read(F('L')), '\n', '"L" of an empty line is the newline')
    t.is(g:read(F('L')), 'last', '"L" of a last line without a newline')
    t.is(g:read(F('L')), nil, '"L" at the end of file is nil')
    g:close()
  else
    t.skip('"L" is 5.2+', 4)
  end
  local h = assert(io.open(n))
  t.error_like(function() h:read('x') end, 'bad argument', 'an invalid format is an error')
  h:close()
  local m = name('nums')
  spit(m, '  42  \n-7\n0x10\n1e2\n.5\nnan\n')
  local g = assert(io.open(m))
  t.is_deeply(pack(g:read(F('n'), F('n'), F('n'), F('n'), F('n'))), { n = 5, 42, -7, 16, 100.0, 0.5 },
              '"n" skips white space and reads signs, hex, exponents and leading dots')
  if D.version >= 5.3 then
    t.is(g:read(F('n')), nil, '"n" follows the Lua numeral syntax: "nan" fails (5.3+)')
  else
    t.skip('"n" reads a numeral by the Lua syntax from 5.3 on', 1)
  end
  g:close()
end

-- ---------------------------------------------------------------------
t.section '§6.8 file:write'
do
  local n = name('write')
  local f = assert(io.open(n, 'w'))
  f:write('a', 1, ' ', 2.5, '\n')
  f:write()
  f:write('b', 'c')
  f:close()
  t.is(slurp(n), 'a1 2.5\nbc', 'write takes strings and numbers, several per call')
  f = assert(io.open(n, 'w'))
  t.error_like(function() f:write({}) end, 'bad argument #1', 'writing a table is an error')
  t.error_like(function() f:write('ok', nil) end, 'bad argument #2', 'writing nil is an error')
  f:close()
  if write_returns_file then
    f = assert(io.open(n, 'w'))
    f:write('x', 'y'):write('z')
    f:close()
    t.is(slurp(n), 'xyz', 'write calls can be chained (5.2+)')
  else
    t.skip('write returns the file from 5.2 on', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.8 file:lines and io.lines'
do
  local n = name('lines')
  spit(n, 'one\ntwo\n\nfour')
  local got = {}
  for l in io.lines(n) do got[#got + 1] = l end
  t.is_deeply(got, { 'one', 'two', '', 'four' }, 'io.lines iterates over the lines')
  local f = assert(io.open(n))
  local got2 = {}
  for l in f:lines() do got2[#got2 + 1] = l end
  t.is_deeply(got2, got, 'file:lines does the same')
  t.is(io.type(f), 'file', 'file:lines does not close the file')
  f:close()
  t.error_like(function() io.lines('lvt054_does_not_exist.txt') end, 'lvt054_does_not_exist',
               'io.lines of a missing file is an error naming it')
  if D.version >= 5.2 or D.luajit then
    local nums = name('linesn')
    spit(nums, '1 2 3\n4')
    local s = 0
    for v in io.lines(nums, F('n')) do s = s + v end
    t.is(s, 10, 'io.lines with the "n" format')
    local pairs_ = {}
    for a, b in io.lines(n, 1, F('l')) do pairs_[#pairs_ + 1] = a .. '|' .. b end
    t.is_deeply(pairs_, { 'o|ne', 't|wo', '\n|four' }, 'io.lines with two formats')
    local g = assert(io.open(n))
    local chunks = {}
    for c in g:lines(3) do chunks[#chunks + 1] = c end
    g:close()
    t.is(table.concat(chunks, '/'), 'one/\ntw/o\n\n/fou/r', 'file:lines with a byte count')
  else
    t.skip('lines with formats is 5.2+', 3)
  end
  if has_L then
    local got3 = {}
    for l in io.lines(n, F('L')) do got3[#got3 + 1] = l end
    t.is(table.concat(got3), 'one\ntwo\n\nfour', 'io.lines with "L" keeps the newlines')
  else
    t.skip('"L" is 5.2+', 1)
  end
end

-- ---------------------------------------------------------------------
t.section '§6.8 file:seek'
do
  local n = name('seek')
  spit(n, '0123456789')
  local f = assert(io.open(n))
  t.is(f:seek(), 0, 'seek() returns the current position')
  t.is(f:seek('end'), 10, 'seek("end") returns the size')
  t.is(f:seek('set', 3), 3, 'seek("set", 3)')
  t.is(f:read(2), '34', 'reading continues from there')
  t.is(f:seek('cur'), 5, 'seek("cur") after a read')
  t.is(f:seek('cur', -2), 3, 'a negative offset from the current position')
  t.is(f:seek('end', -1), 9, 'an offset from the end')
  t.is(f:read(1), '9', 'reading the last byte')
  t.is(f:seek('set'), 0, 'seek("set") goes back to the start')
  t.error_like(function() f:seek('bogus') end, "invalid option 'bogus'", 'an invalid whence is an error')
  local r = pack(f:seek('set', -1))
  t.ok(r[1] == nil and type(r[2]) == 'string' and type(r[3]) == 'number',
       'seeking before the start fails with nil, message and code')
  f:close()
end

t.section '§6.8 file:setvbuf and file:flush'
do
  local n = name('vbuf')
  local f = assert(io.open(n, 'w'))
  t.is(f:setvbuf('no'), true, 'setvbuf("no")')
  t.is(f:setvbuf('full', 1024), true, 'setvbuf("full", size)')
  t.is(f:setvbuf('line'), true, 'setvbuf("line")')
  t.error_like(function() f:setvbuf('sometimes') end, 'invalid option', 'an invalid mode is an error')
  f:write('data')
  local fl = f:flush()
  t.ok(fl == f or fl == true, 'flush succeeds')
  t.is(slurp(n), 'data', 'flushed data is visible through another handle')
  f:close()
end

-- ---------------------------------------------------------------------
t.section '§6.8 file:close and io.type'
do
  local n = name('close')
  local f = assert(io.open(n, 'w'))
  t.is(io.type(f), 'file', 'io.type of an open file')
  t.like(tostring(f), '^file %(', 'tostring of an open file')
  f:close()
  t.is(io.type(f), 'closed file', 'io.type of a closed file')
  t.is(tostring(f), 'file (closed)', 'tostring of a closed file')
  t.error_like(function() f:write('x') end, 'closed file', 'writing to a closed file is an error')
  t.error_like(function() f:read() end, 'closed file', 'reading a closed file is an error')
  t.error_like(function() f:close() end, 'closed file', 'closing twice is an error')
  t.is(io.type(42), nil, 'io.type of a number is fail')
  t.is(io.type({}), nil, 'io.type of a table is fail')
  t.is(io.type(io.stdout), 'file', 'io.stdout is a file')
end

t.section '§6.8 default input and output files'
do
  -- TAP lines go through io.write: nothing is reported while the default
  -- output is redirected.
  local n = name('default')
  local old_out = io.output()
  local f = io.output(n)
  local current = io.output()
  io.write('via ', 'io.write', '\n')
  local closed = io.close()
  io.output(old_out)
  t.is(io.type(f), 'closed file', 'io.output(name) opened the file and returned it')
  t.ok(current == f, 'io.output() returned the current default output')
  t.ok(closed == true, 'io.close() closes the default output')
  t.is(slurp(n), 'via io.write\n', 'io.write wrote to the default output')
  local old_in = io.input()
  local g = io.input(n)
  t.is(io.type(g), 'file', 'io.input(name) opens the file for reading')
  t.ok(io.input() == g, 'io.input() returns the current default input')
  t.is(io.read(F('l')), 'via io.write', 'io.read reads from the default input')
  t.is(io.read(F('l')), nil, 'then fails at the end')
  io.close(g)
  t.is(io.type(g), 'closed file', 'io.close(file) closes that file')
  io.input(old_in)
  t.error_like(function() io.input('lvt054_does_not_exist.txt') end, 'lvt054_does_not_exist',
               'io.input of a missing file is an error')
  local h = assert(io.open(n, 'w'))
  local prev = io.output()
  io.output(h)
  io.write('handle')
  io.output(prev)
  h:close()
  t.is(slurp(n), 'handle', 'io.output(file) redirects io.write to an open handle')
end

-- clean up
for _, n in ipairs(created) do os.remove(n) end
t.section '§6.8 clean up'
do
  local left = 0
  for _, n in ipairs(created) do
    local f = io.open(n)
    if f then left = left + 1 f:close() end
  end
  t.is(left, 0, 'every test file was removed')
end

t.done_testing()
