local s = 'a' .. 1 .. 2.0 .. 'b'
print(s, #s, ('x'):rep(3, ','), 10 .. '')
print(pcall(function() return 'a' .. {} end))
