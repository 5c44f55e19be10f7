local a, b = 7, -3
print(a + b, a - b, a * b, a / b, a // b, a % b, a ^ 2, -a)
print(math.maxinteger + 1 == math.mininteger, math.mininteger // -1)
print(pcall(function() return 1 // 0 end))
print(7 // 0.0, -7 // 0.0, 0/0 ~= 0/0, -0.0)
