for i = math.maxinteger - 2, math.maxinteger do io.write(i, ' ') end print()
for i = 1, 2, 0.5 do io.write(i, ' ') end print()
for i = 3, 1, -1 do io.write(i, ' ') end print()
for i = 1, 0 do print('never') end
print(pcall(function() for i = 1, 10, 0 do end end))
for i = 0.1, 0.35, 0.1 do io.write(i, ' ') end print()
