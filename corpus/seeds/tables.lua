-- Tables: sequences, sort with a comparator, insert/remove, concat, and
-- iteration in a fixed order (pairs order is unspecified: sort the keys).
local t = {5, 3, 8, 1, 9, 2}
table.sort(t)
print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","))
table.insert(t, 1, 100)
table.insert(t, 7)
print(#t, table.remove(t), table.remove(t, 1), #t)
local m = {apple = 3, pear = 1, fig = 7}
local keys = {}
for k in pairs(m) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", m[k], " ") end
io.write("\n")
local unpack = table.unpack or unpack
print(unpack({1, 2, 3}))
print(select(-1, 1, 2, 3))
