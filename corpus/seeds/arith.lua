-- Arithmetic and number printing. 5.3 added an integer subtype: 10/2 is
-- the float 5.0 everywhere, but 5.1/5.2/LuaJIT print it as "5".
print(10 / 2, 7 % 3, -7 % 3, 2 ^ 10)
print(1e15, 1e16, 2 ^ 53, 0.1 + 0.2)
print(math.floor(3.7), math.ceil(-3.2), math.abs(-4))
print(math.huge, -math.huge, math.max(3, 9, 1), math.min(3, 9, 1))
print(tostring(1 / 0), tostring(-1 / 0))
print(string.format("%.3f %5.1f %d", math.pi, 2.25, 42))
