-- Closures sharing upvalues, recursion, varargs and multiple results.
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local inc, get = counter()
inc() inc() inc()
print("counter", get())

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib", fib(20))

local function pack(...) return select("#", ...), ... end
print("varargs", pack(1, nil, 3, nil))

local fns = {}
for i = 1, 3 do fns[i] = function() return i * 10 end end
print("loop closures", fns[1](), fns[2](), fns[3]())

local function multi() return 1, 2, 3 end
local a, b, c, d = multi()
print("multi", a, b, c, d, (multi()))
local t = {multi(), multi()}
print("in table", #t, t[1], t[2], t[4])
