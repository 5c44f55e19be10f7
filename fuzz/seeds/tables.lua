local t = {5, 3, 8, 1}
table.sort(t) print(table.concat(t, ','))
table.sort(t, function(a, b) return a > b end) print(table.concat(t, ','))
table.insert(t, 1, 0) table.insert(t, 9) print(table.remove(t), table.remove(t, 1), #t)
print(table.unpack({1, 2, 3})) print(select('#', table.unpack({}, 1, 3)))
local m = table.move({1, 2, 3}, 1, 3, 2) print(table.concat(m, ','))
