print(math.type(1), math.type(1.0), math.type('1'), math.tointeger(3.0), math.tointeger(3.5))
print(math.max(1, 5, 3), math.min(2, -1), math.abs(math.mininteger), math.modf(-3.7))
print(math.sqrt(2), math.exp(0), math.log(8, 2), math.log(100, 10), math.huge, -math.huge)
math.randomseed(42) local r = math.random(1, 100) print(r >= 1 and r <= 100)
