-- 049-string-format.t -- Lua 5.4 manual §6.4 string.format: every
-- directive the dialect defines (%d %i %u %c %x %X %o %e %E %f %g %G %a %A
-- %q %s %p %%), flags, width and precision, the integer rules for %d in
-- 5.3+ (§3.4.3), %q round trips, and errors.
local t = require 'tap'
local D = require 'lvt_dialect'

local f = string.format
local load = (D.version >= 5.2 or D.luajit) and load or loadstring

-- %a/%A: 5.2+ with a C99 library, and LuaJIT.
local has_a = pcall(f, '%a', 1)

-- ---------------------------------------------------------------------
t.section '§6.4 string.format %d and %i'
do
  t.is(f('%d', 42), '42', '%d')
  t.is(f('%d', -42), '-42', '%d negative')
  t.is(f('%i', 7), '7', '%i is %d')
  t.is(f('%5d|', 42), '   42|', 'width pads on the left')
  t.is(f('%-5d|', 42), '42   |', '- pads on the right')
  t.is(f('%05d', 42), '00042', '0 pads with zeros')
  t.is(f('%05d', -42), '-0042', 'zero padding after the sign')
  t.is(f('%+d', 42), '+42', '+ forces a sign')
  t.is(f('% d', 42), ' 42', 'space puts a blank before positives')
  t.is(f('%.3d', 7), '007', 'precision is a minimum number of digits')
  t.is(f('%d', '10'), '10', 'a numeric string is converted')
  t.is(f('%d', 0), '0', 'zero')
  t.is(f('%d%d', 1, 2), '12', 'two directives')
  t.is(f('%d', 3.0), '3', 'a float with an integral value')
end

t.section '§6.4 string.format %d with floats (5.3+)'
if D.has.integer then
  t.error_like(function() f('%d', 3.5) end, 'number has no integer representation',
               '%d of a float with a fraction is an error (5.3+)')
  t.error_like(function() f('%d', 2 ^ 63) end, 'number has no integer representation',
               '%d of a float out of the integer range is an error (5.3+)')
  t.is(f('%d', '3.0'), '3', 'a string with an integral float value is accepted (5.3+)')
  t.is(f('%d', math.mininteger), '-9223372036854775808', '%d of mininteger (5.3+)')
  t.is(f('%d', math.maxinteger), '9223372036854775807', '%d of maxinteger (5.3+)')
  t.is(f('%x', -1), 'ffffffffffffffff', '%x of -1 is its two-complement bits (5.3+)')
  t.error_like(function() f('%x', 1.5) end, 'number has no integer representation', '%x needs an integer (5.3+)')
  t.error_like(function() f('%c', 65.5) end, 'number has no integer representation', '%c needs an integer (5.3+)')
else
  t.skip('integer representations are 5.3+', 8)
end

t.section '§6.4 string.format %u %c %x %X %o'
do
  t.is(f('%u', 7), '7', '%u')
  t.is(f('%c', 65), 'A', '%c')
  t.is(f('%c%c%c', 76, 117, 97), 'Lua', 'several %c')
  t.is(f('%c', 0), '\0', '%c of 0 is a zero byte')
  t.is(f('%5c|', 65), '    A|', '%c with a width')
  t.is(f('%x', 255), 'ff', '%x')
  t.is(f('%X', 255), 'FF', '%X')
  t.is(f('%#x', 255), '0xff', '# adds 0x')
  t.is(f('%#X', 255), '0XFF', '# adds 0X')
  t.is(f('%08x', 48879), '0000beef', '%x with zero padding')
  t.is(f('%o', 8), '10', '%o')
  t.is(f('%#o', 8), '010', '# adds a leading 0 to %o')
  t.is(f('%x', 0), '0', '%x of 0')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.format %e %E %f %g %G'
do
  t.is(f('%e', 12345.678), '1.234568e+04', '%e')
  t.is(f('%E', 12345.678), '1.234568E+04', '%E')
  t.is(f('%.2e', 0.5), '5.00e-01', '%e with a precision')
  t.is(f('%.0e', 12345), '1e+04', '%.0e')
  t.is(f('%f', 3.14159), '3.141590', '%f has 6 decimals by default')
  t.is(f('%.3f', 3.14159), '3.142', '%f rounds to the precision')
  t.is(f('%10.2f|', 3.14159), '      3.14|', '%f width and precision')
  t.is(f('%-10.2f|', 3.14159), '3.14      |', '%f left-justified')
  t.is(f('%+.1f', 2), '+2.0', '%f with + on an integer argument')
  t.is(f('%.0f', 2.7), '3', '%.0f rounds')
  t.is(f('%#.0f', 3), '3.', '# keeps the point')
  t.is(f('%.0f', 0.5), '0', '%.0f rounds half to even (C rounding)')
  t.is(f('%.0f', 2.5), '2', '%.0f of 2.5 is 2 (half to even)')
  t.is(f('%g', 100000), '100000', '%g of 100000')
  t.is(f('%g', 1e20), '1e+20', '%g switches to exponent form')
  t.is(f('%g', 0.0001), '0.0001', '%g of 0.0001')
  t.is(f('%G', 1e-20), '1E-20', '%G')
  t.is(f('%.3g', 3.14159), '3.14', '%g precision is significant digits')
  t.is(f('%g', 0.5), '0.5', '%g drops trailing zeros')
  t.is(f('%#g', 0.5), '0.500000', '# keeps trailing zeros in %g')
  t.is(f('%.14g', 0.1), '0.1', '%.14g of 0.1')
  t.is(f('%.17g', 0.1), '0.10000000000000001', '%.17g shows the binary value')
  t.is(f('%.20f', 0.1), '0.10000000000000000555', 'precision up to two digits')
  t.is(f('%f', 1 / 0), 'inf', 'infinity with %f')
  t.is(f('%f', -1 / 0), '-inf', 'minus infinity with %f')
  t.like(f('%f', 0 / 0), '^%-?nan$', 'NaN with %f')
  t.is(f('%e', 0), '0.000000e+00', '%e of 0')
  t.is(f('%5.1f', -0.04), ' -0.0', 'negative values rounding to zero keep the sign')
end

t.section '§6.4 string.format %a %A'
if has_a then
  t.is(f('%a', 1), '0x1p+0', '%a of 1')
  t.is(f('%A', 0.5), '0X1P-1', '%A of 0.5')
  local okall = true
  for _, x in ipairs({ 1, 0.1, -2.5, 1e300, 3.14159, 2 ^ -1074, 123456789 }) do
    if tonumber(f('%a', x)) ~= x then okall = false end
  end
  t.ok(okall, '%a output reads back exactly (hexadecimal floats)')
  t.is(f('%.1a', 1), '0x1.0p+0', '%a with a precision')
else
  t.skip('%a needs 5.2+ or LuaJIT', 4)
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.format %s'
do
  t.is(f('%s', 'text'), 'text', '%s')
  t.is(f('%.3s|', 'abcdef'), 'abc|', '%s precision truncates')
  t.is(f('%5s|', 'ab'), '   ab|', '%s width')
  t.is(f('%-5s|', 'ab'), 'ab   |', '%s left-justified')
  t.is(f('%s', 10), '10', '%s of an integer value')
  t.is(f('%s %s', 'a', 'b'), 'a b', 'two strings')
  t.is(f('[%s]', ''), '[]', 'the empty string')
  if D.version >= 5.2 or D.luajit then
    t.is(f('%s', nil), 'nil', '%s converts nil like tostring')
    t.is(f('%s', true), 'true', '%s converts booleans like tostring')
    local obj = setmetatable({}, { __tostring = function() return 'TS' end })
    t.is(f('%s', obj), 'TS', '%s uses __tostring')
    t.like(f('%s', {}), '^table: ', '%s of a table')
  else
    t.skip('%s converts non-strings with tostring from 5.2 on', 4)
  end
  if D.version >= 5.3 then
    t.is(f('%s', 'a\0b'), 'a\0b', 'plain %s keeps embedded zeros (5.3+)')
  else
    t.skip('embedded zeros through %s are specified from 5.3 on', 1)
  end
end

t.section '§6.4 string.format %%'
do
  t.is(f('%%'), '%', '%% is a percent sign')
  t.is(f('100%%'), '100%', 'a literal percent after text')
  t.is(f('%d%%', 50), '50%', 'a percent after a directive')
  t.is(f('no directives'), 'no directives', 'a format without directives')
  t.is(f(''), '', 'the empty format')
  t.is(f('%s', 'x', 'extra', 3), 'x', 'extra arguments are ignored')
  t.is(f(12), '12', 'a number format is converted to a string')
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.format %q with strings'
do
  t.is(f('%q', 'plain'), '"plain"', '%q quotes')
  t.is(f('%q', 'a "q"'), '"a \\"q\\""', '%q escapes double quotes')
  t.is(f('%q', 'back\\slash'), '"back\\\\slash"', '%q escapes backslashes')
  t.is(f('%q', 'line\nbreak'), '"line\\\nbreak"', '%q writes a newline as backslash-newline')
  for _, c in ipairs({ { '\0', 'a zero byte' }, { '\r', 'a carriage return' }, { '\0' .. '1', 'a zero byte then a digit' },
                       { '\1' .. '23', 'a control character then digits' }, { '\127', 'DEL' }, { '\255', 'byte 255' } }) do
    t.is(load('return ' .. f('%q', c[1]))(), c[1], '%q of ' .. c[2] .. ' reads back')
  end
  local all = {}
  for i = 0, 255 do all[#all + 1] = string.char(i) end
  local s = table.concat(all) .. '"\\\n\r\0' .. '123'
  local back = load('return ' .. f('%q', s))()
  t.is(back, s, 'every byte value reads back through %q')
  t.ok(not f('%q', 'a\rb'):find('\r', 1, true), 'no raw carriage return in the output')
end

t.section '§6.4 string.format %q with other values (5.3+)'
if D.version >= 5.3 then
  t.is(f('%q', 1), '1', '%q of an integer')
  t.is(f('%q', -7), '-7', '%q of a negative integer')
  t.is(f('%q', true), 'true', '%q of true')
  t.is(f('%q', false), 'false', '%q of false')
  t.is(f('%q', nil), 'nil', '%q of nil')
  t.is(f('%q', math.mininteger), '0x8000000000000000', '%q of mininteger reads back as an integer')
  local okall = true
  for _, x in ipairs({ 0, 1, -1, math.maxinteger, math.mininteger, 0.1, -2.5, 1e300, 2 ^ -1074,
                       math.pi, 3.0, 2 ^ 63 }) do
    local y = load('return ' .. f('%q', x))()
    if y ~= x or math.type(y) ~= math.type(x) then okall = false t.diag('  %q round trip failed for ' .. tostring(x)) end
  end
  t.ok(okall, 'finite numbers read back with the same value and subtype')
  local mz = load('return ' .. f('%q', -0.0))()
  t.is(1 / mz, -1 / 0, '-0.0 reads back as -0.0')
  t.like(f('%q', 0.5), '^0x', 'floats are written in hexadecimal')
else
  t.skip('%q formats numbers, booleans and nil from 5.3 on', 9)
end

t.section '§6.4 string.format %q with non-finite floats (5.4)'
if D.version >= 5.4 then
  local function back(x) return load('return ' .. f('%q', x))() end
  t.is(back(1 / 0), 1 / 0, 'infinity reads back')
  t.is(back(-1 / 0), -1 / 0, 'minus infinity reads back')
  local nan = back(0 / 0)
  t.ok(nan ~= nan, 'NaN reads back as NaN')
else
  t.skip('%q writes non-finite floats as constants from 5.4 on', 3)
end

t.section '§6.4 string.format %q restrictions (5.4)'
if D.version >= 5.4 then
  t.error_like(function() f('%q', {}) end, 'bad argument #2', '%q of a table is an error')
  t.error_like(function() f('%q', print) end, 'bad argument #2', '%q of a function is an error')
  t.error_like(function() f('%10q', 'x') end, 'cannot have modifiers', '%q does not accept modifiers')
else
  t.skip('%q restrictions are in the 5.4 manual', 3)
end

t.section '§6.4 string.format %p (5.4)'
if D.version >= 5.4 then
  local a, b = {}, {}
  t.is(f('%p', a), f('%p', a), 'the same table gives the same %p')
  t.isnt(f('%p', a), f('%p', b), 'different tables give different %p')
  t.is(f('%p', 1), f('%p', nil), 'numbers and nil both give NULL')
  t.is(f('%p', true), f('%p', nil), 'booleans give NULL too')
  t.isnt(f('%p', print), f('%p', nil), 'a function is not NULL')
else
  t.skip('%p is 5.4', 5)
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.format errors'
do
  t.error_like(function() f('%d') end, 'bad argument #2', 'a missing argument is an error')
  t.error_like(function() f('%d %d', 1) end, 'bad argument #3', 'the second missing argument is #3')
  t.error_like(function() f('%d', 'x') end, 'bad argument #2', '%d of a non-numeric string is an error')
  t.error_like(function() f('%d', {}) end, 'bad argument #2', '%d of a table is an error')
  t.error_like(function() f('%f', 'x') end, 'bad argument #2', '%f of a non-numeric string is an error')
  t.error_like(function() f('%y', 1) end, 'invalid', 'an unknown conversion is an error')
  t.error_like(function() f('%', 1) end, 'invalid', 'a lone % at the end is an error')
  t.error_like(function() f('%100d', 1) end, 'invalid', 'a width of three digits is an error')
  t.error_like(function() f('%.100f', 1) end, 'invalid', 'a precision of three digits is an error')
  t.error_like(function() f() end, 'bad argument #1', 'format() is an error')
  t.error_like(function() f({}) end, 'bad argument #1', 'a table format is an error')
end

t.done_testing()
