local s = 'Hello, Lua 5.4!'
print(s:upper(), s:lower(), s:len(), s:sub(2, -2), s:sub(-3), s:byte(1, 3))
print(string.char(72, 105), s:rep(2, '|'), s:reverse())
print(s:find('Lua'), s:find('%d+'), s:match('(%a+), (%a+)'))
for w in s:gmatch('%a+') do io.write(w, ';') end print()
print((s:gsub('%w+', function(w) return '<' .. w .. '>' end)))
print(('%q'):format('a\n\0b"'), ('%5.1f|%-4d|%x'):format(3.14159, 42, 255))
