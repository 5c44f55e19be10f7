local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(1000))
print(pcall(function() local function f() return f() + 1 end return f() end))
local function tail(n) if n == 0 then return 'done' end return tail(n - 1) end print(tail(100000))
