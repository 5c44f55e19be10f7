-- Metatables: __index chains, __newindex, __call, __eq, __lt, __concat,
-- __tostring, __len where the dialect has it.
local Base = {greet = function(self) return "hello from " .. self.name end}
Base.__index = Base
local obj = setmetatable({name = "obj"}, Base)
print(obj:greet())
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end})
proxy.a = 1 proxy.b = 2 proxy.a = 3
print(table.concat(log, ","), proxy.a)
local callable = setmetatable({}, {__call = function(self, x, y) return x + y end})
print(callable(3, 4))
local V = {}
V.__eq = function(a, b) return a.v == b.v end
V.__lt = function(a, b) return a.v < b.v end
V.__le = function(a, b) return a.v <= b.v end
V.__concat = function(a, b) return "V" .. a.v .. "V" .. b.v end
V.__tostring = function(a) return "<" .. a.v .. ">" end
local x, y = setmetatable({v = 1}, V), setmetatable({v = 2}, V)
print(x == y, x < y, x <= y, x .. y, tostring(x))
print(rawequal(x, x), rawget(obj, "greet") == nil, getmetatable(obj) == Base)
