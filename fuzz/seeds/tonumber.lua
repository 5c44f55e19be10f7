print(tonumber('0x10'), tonumber('  12  '), tonumber('1e2'), tonumber('z', 36), tonumber('8', 8))
print(tonumber(''), tonumber('0x'), tonumber('1 2'), tostring(1e15), tostring(2^63), 1e100)
print(string.format('%d', 3.0), pcall(string.format, '%d', 3.5))
