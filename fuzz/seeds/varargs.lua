local function f(...)
  local a, b = ...
  return select('#', ...), a, b, select(2, ...)
end
print(f()) print(f(1, nil, 3)) print((f(1, 2)))
local function g(...) return ... end
print(g(1, 2, 3), g(4, 5))
local t = {g(1, 2), g(3, 4)} print(#t)
