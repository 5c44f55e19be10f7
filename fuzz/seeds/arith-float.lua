local x = 0.1 + 0.2
print(x, x == 0.3, 2^53 + 1, 2^63, -2^63 == math.mininteger)
print(math.floor(-3.5), math.ceil(-3.5), math.fmod(7, -3), math.fmod(-7, 3))
print(string.format('%.3f %g %e', math.pi, 1e300 * 1e10, -0.0))
