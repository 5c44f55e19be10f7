print(1 < 2, 'a' < 'b', 1 == 1.0, '1' == 1, math.huge > math.maxinteger)
print(pcall(function() return 1 < 'x' end))
print(pcall(function() return {} < {} end))
