local a, b = 0xF0F0, 0x0FF0
print(a & b, a | b, a ~ b, ~a, a << 4, a >> 4, -1 >> 1, 1 << 63, 1 << 64)
print(pcall(function() return 1.5 & 1 end))
print(math.ult(1, -1), 3 // -2, 3 % -2, 3.0 // 2)
