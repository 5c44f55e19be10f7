print(('x'):rep(3), ('%d'):format(5), #'abc', ('10') + 5, '3' * '4', 10 .. 20)
print(pcall(function() return ('a') + 1 end))
print(math.type('10' + 0), math.type('10.0' + 0), '0x10' + 0)
