-- String library calls whose results every dialect specifies alike.
local s = "Hello, Lua world"
print(#s, s:upper(), s:lower())
print(s:sub(1, 5), s:sub(-5), s:sub(8, -7))
print(s:find("Lua"), s:find("l+"), s:match("(%a+), (%a+)"))
print((s:gsub("o", "0")), select(2, s:gsub("l", "L")))
print(s:rep(2, "|"):len(), ("abc"):rep(3), s:reverse())
print(string.byte("ABC", 1, 3), string.char(72, 105))
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w end
print(table.concat(words, "+"))
print(string.format("%q", 'a "quoted"\n string'))
print(("x"):rep(0) == "", ("%d items"):format(3))
