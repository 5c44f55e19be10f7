local f = load('return 1 + ...') print(f(41))
print(load('syntax error here'))
local env = {x = 5} print(load('return x', 'chunk', 't', env)())
local parts = {'return ', '2', '*21'} local i = 0
print(load(function() i = i + 1 return parts[i] end)())
