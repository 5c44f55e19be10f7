-- 055-os.t -- Lua 5.4 manual §6.9 (operating system facilities): os.date
-- with fixed times (UTC formats, '*t' and '!*t' tables), os.time with a
-- table (defaults, out-of-range fields, normalisation in 5.3+), difftime,
-- clock, getenv, tmpname, remove and rename inside the scratch directory
-- (nil plus message plus code on failure), and setlocale.
-- os.exit and os.execute are not exercised (lvtest disables or records them).
local t = require 'tap'
local D = require 'lvt_dialect'

local function pack(...) return { n = select('#', ...), ... } end
local DAY = 86400

-- ---------------------------------------------------------------------
t.section '§6.9 os.date in UTC'
do
  t.is(os.date('!%Y-%m-%d %H:%M:%S', 0), '1970-01-01 00:00:00', 'the epoch in UTC')
  t.is(os.date('!%H:%M:%S', 13 * 3600 + 7 * 60 + 9), '13:07:09', 'hours, minutes and seconds')
  t.is(os.date('!%Y-%m-%d', 59 * DAY), '1970-03-01', 'day 59 is the first of March 1970')
  t.is(os.date('!%Y-%m-%d', 946684800), '2000-01-01', 'the year 2000')
  t.is(os.date('!%Y-%m-%d', 951782400), '2000-02-29', 'a leap day')
  t.is(os.date('!%j', 951782400), '060', '%j is the day of the year')
  t.is(os.date('!%A %a', 0), 'Thursday Thu', '%A and %a in the C locale')
  t.is(os.date('!%B %b', 40 * DAY), 'February Feb', '%B and %b in the C locale')
  t.is(os.date('!%p', 0), 'AM', '%p in the morning')
  t.is(os.date('!%p', 13 * 3600), 'PM', '%p in the afternoon')
  t.is(os.date('!%y', 0), '70', '%y is the two-digit year')
  t.is(os.date('!%%', 0), '%', '%% is a percent sign')
  t.is(os.date('!literal text', 0), 'literal text', 'text without conversions is copied')
  t.is(os.date('!%c', 0), 'Thu Jan  1 00:00:00 1970', '%c in the C locale')
  t.is(os.date(nil, DAY), os.date('%c', DAY), 'the default format is %c')
  t.is(type(os.date()), 'string', 'os.date() formats the current time')
  t.is(os.date('!%H', 3600.0), '01', 'a float time with an integral value')
end

t.section '§6.9 os.date "*t" and "!*t"'
do
  local u = os.date('!*t', 0)
  t.is(type(u), 'table', '"!*t" returns a table')
  t.is_deeply({ u.year, u.month, u.day, u.hour, u.min, u.sec },
              { 1970, 1, 1, 0, 0, 0 }, 'the fields of the epoch')
  t.is(u.wday, 5, 'wday: the epoch was a Thursday (Sunday is 1)')
  t.is(u.yday, 1, 'yday of January 1st is 1')
  t.ok(u.isdst == false or u.isdst == nil, 'isdst is false (or absent) in UTC')
  local leap = os.date('!*t', 951782400)
  t.is_deeply({ leap.year, leap.month, leap.day, leap.yday, leap.wday }, { 2000, 2, 29, 60, 3 },
              'the fields of 2000-02-29 (a Tuesday)')
  local dec = os.date('!*t', 978307200 - 1)
  t.is_deeply({ dec.year, dec.month, dec.day, dec.hour, dec.min, dec.sec, dec.yday },
              { 2000, 12, 31, 23, 59, 59, 366 }, 'the last second of 2000 (a leap year)')
  local l = os.date('*t', 1000000000)
  t.is(type(l.isdst), 'boolean', 'isdst is a boolean in local time')
  local fields_ok = true
  for _, k in ipairs({ 'year', 'month', 'day', 'hour', 'min', 'sec', 'wday', 'yday' }) do
    if math.type then
      if math.type(l[k]) ~= 'integer' then fields_ok = false end
    elseif type(l[k]) ~= 'number' then fields_ok = false end
  end
  t.ok(fields_ok, 'every numeric field is present (integers in 5.3+)')
  for _, tm in ipairs({ 0, 1000000000, 1234567890, 1500000000 }) do
    t.is(os.time(os.date('*t', tm)), tm, 'os.time(os.date("*t", ' .. tm .. ')) round-trips')
  end
end

t.section '§6.9 os.date errors (5.2+)'
if D.version >= 5.2 then
  t.error_like(function() os.date('%Ez') end, 'invalid conversion specifier', 'an invalid conversion is an error')
  t.error_like(function() os.date('%Q') end, 'invalid conversion specifier', 'an unknown conversion is an error')
  t.error_like(function() os.date('%') end, 'invalid conversion specifier', 'a lone % is an error')
else
  t.skip('conversions are checked from 5.2 on', 3)
end
do
  t.error_like(function() os.date('*t', 'x') end, 'bad argument #2', 'a non-numeric time is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.9 os.time'
do
  local now = os.time()
  t.is(type(now), 'number', 'os.time() returns a number')
  if math.type then
    t.is(math.type(now), 'integer', 'an integer (5.3+)')
  else
    t.skip('integer subtype is 5.3+', 1)
  end
  local base = os.time({ year = 2021, month = 1, day = 1, hour = 12 })
  t.is(os.time({ year = 2021, month = 1, day = 1 }), base, 'hour defaults to 12')
  t.is(os.time({ year = 2021, month = 1, day = 1, hour = 12, min = 0, sec = 0 }), base, 'min and sec default to 0')
  t.is(os.time({ year = 2021, month = 1, day = 1, hour = 12, extra = 'x' }), base, 'other fields are ignored')
  t.is(os.time({ year = 2020, month = 13, day = 1, hour = 12 }), base, 'month 13 is January of the next year')
  t.is(os.time({ year = 2021, month = 1, day = 0, hour = 12 }) , os.time({ year = 2020, month = 12, day = 31, hour = 12 }),
       'day 0 is the last day of the previous month')
  t.is(os.time({ year = 2021, month = 1, day = 1, hour = 12, sec = -10 }), base - 10, 'sec = -10 is ten seconds earlier')
  t.is(os.time({ year = 2021, month = 1, day = 1, hour = 12 + 48 }), base + 2 * DAY, 'hour = 60 is two days later')
  t.is(os.time({ year = 2021, month = 3, day = 1, hour = 12 }) - os.time({ year = 2021, month = 2, day = 1, hour = 12 }),
       28 * DAY, 'February 2021 has 28 days')
  t.is(os.time({ year = 2020, month = 3, day = 1, hour = 12 }) - os.time({ year = 2020, month = 2, day = 1, hour = 12 }),
       29 * DAY, 'February 2020 has 29 days')
  t.error_like(function() os.time({ year = 2021, month = 1 }) end, "field 'day' missing", 'a missing day is an error')
  t.error_like(function() os.time({ year = 2021, day = 1 }) end, "field 'month' missing", 'a missing month is an error')
  t.error_like(function() os.time(5) end, 'bad argument #1', 'a non-table argument is an error')
end

t.section '§6.9 os.time normalises the table (5.3+)'
if D.version >= 5.3 then
  local tt = { year = 2021, month = 3, day = 0, hour = 12 }
  os.time(tt)
  t.is_deeply({ tt.year, tt.month, tt.day, tt.hour }, { 2021, 2, 28, 12 }, 'day 0 of March becomes February 28')
  t.is(tt.yday, 59, 'yday is filled in')
  t.is(tt.wday, 1, 'wday is filled in (2021-02-28 was a Sunday)')
  local t2 = { year = 2020, month = 14, day = 35, hour = 25, min = 61, sec = 61 }
  os.time(t2)
  t.is_deeply({ t2.year, t2.month, t2.day, t2.hour, t2.min, t2.sec }, { 2021, 3, 8, 2, 2, 1 },
              'every field is brought into its range')
else
  t.skip('os.time updates the table from 5.3 on', 4)
end

t.section '§6.9 os.difftime and os.clock'
do
  t.is(os.difftime(10, 5), 5.0, 'difftime(t2, t1) is t2 - t1 on POSIX')
  t.is(os.difftime(5, 10), -5.0, 'a negative difference')
  local a = os.time({ year = 2021, month = 1, day = 2 })
  local b = os.time({ year = 2021, month = 1, day = 1 })
  t.ok(os.difftime(a, b) == DAY, 'one day of difference')
  if math.type then
    t.is(math.type(os.difftime(a, b)), 'float', 'difftime returns a float (5.3+)')
  else
    t.skip('number subtypes are 5.3+', 1)
  end
  local c1 = os.clock()
  t.is(type(c1), 'number', 'clock returns a number')
  t.ok(c1 >= 0, 'the CPU time is not negative')
  local x = 0
  for i = 1, 100000 do x = x + i end
  t.ok(os.clock() >= c1, 'clock does not go backwards')
end

-- ---------------------------------------------------------------------
t.section '§6.9 os.getenv'
do
  t.is(os.getenv('LVT_SURELY_UNSET_VARIABLE_0451'), nil, 'an unset variable is nil (fail)')
  local home = os.getenv('HOME')
  t.ok(home == nil or type(home) == 'string', 'a variable is a string or nil')
  t.error_like(function() os.getenv() end, 'bad argument #1', 'getenv() is an error')
  t.error_like(function() os.getenv({}) end, 'bad argument #1', 'a table name is an error')
end

t.section '§6.9 os.tmpname'
do
  local n = os.tmpname()
  t.is(type(n), 'string', 'tmpname returns a string')
  t.ok(#n > 0, 'a non-empty name')
  if D.need(t, 'io_files', 2) then
    local f = io.open(n, 'w')
    t.ok(f ~= nil, 'the name can be opened for writing')
    if f then f:write('tmp') f:close() end
    local g = io.open(n)
    t.is(g and g:read(D.version >= 5.3 and 'a' or '*a'), 'tmp', 'and read back')
    if g then g:close() end
  end
  t.isnt(os.tmpname(), n, 'a second call gives another name')
  os.remove(n)
end

t.section '§6.9 os.remove and os.rename'
if D.need(t, 'io_files', 14) then
  local a, b = 'lvt055_a.txt', 'lvt055_b.txt'
  local f = assert(io.open(a, 'w'))
  f:write('content')
  f:close()
  t.is(os.rename(a, b), true, 'rename returns true')
  t.is(io.open(a), nil, 'the old name is gone')
  local g = io.open(b)
  t.is(g and g:read(D.version >= 5.3 and 'a' or '*a'), 'content', 'the new name has the content')
  if g then g:close() end
  local r = pack(os.rename(a, 'lvt055_c.txt'))
  t.is(r[1], nil, 'renaming a missing file fails (fail)')
  t.is(type(r[2]), 'string', 'rename: with a message')
  t.is(type(r[3]), 'number', 'rename: and an error code')
  t.is(os.remove(b), true, 'remove returns true')
  t.is(io.open(b), nil, 'the file is gone')
  local r2 = pack(os.remove(b))
  t.is(r2[1], nil, 'removing a missing file fails (fail)')
  t.is(type(r2[2]), 'string', 'remove: with a message')
  t.is(type(r2[3]), 'number', 'remove: and an error code')
  t.is(r2.n, 3, 'three results')
  t.error_like(function() os.remove() end, 'bad argument #1', 'remove() is an error')
  t.error_like(function() os.rename('x') end, 'bad argument #2', 'rename without a new name is an error')
end

t.section '§6.9 os.setlocale'
do
  local cur = os.setlocale()
  t.is(type(cur), 'string', 'setlocale() returns the current locale name')
  t.is(os.setlocale('C'), 'C', 'setlocale("C") selects the C locale')
  t.is(os.setlocale(nil, 'numeric'), 'C', 'querying one category')
  t.is(os.setlocale('C', 'time'), 'C', 'setting one category')
  t.is(os.setlocale('lvt-no-such-locale'), nil, 'an unknown locale is fail')
  t.error_like(function() os.setlocale('C', 'bogus') end, "invalid option 'bogus'", 'an unknown category is an error')
  os.setlocale(cur)
end

t.done_testing()
