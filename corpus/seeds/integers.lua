-- Integer semantics: floor division, integer overflow wrap-around, and
-- bitwise operators. Needs Lua 5.3 or later: older dialects reject the
-- syntax, which lvtest reports as a load error.
print(7 // 2, -7 // 2, 7.0 // 2, 7 % -3, -7 % 3)
print(math.maxinteger + 1 == math.mininteger, math.mininteger // -1)
print(3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 62, 1 << 64, -1 >> 1)
print(math.type(1), math.type(1.0), math.type("1"), 1 == 1.0)
print(math.tointeger(3.0), math.tointeger(3.5), 2^63 == math.mininteger)
print(string.format("%d", 3.0), 1e100 // 1)
