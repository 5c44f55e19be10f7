local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__tostring = function(a) return 'V(' .. a.x .. ')' end
V.__len = function(a) return a.x end
V.__call = function(self, y) return self.x * y end
V.__concat = function(a, b) return tostring(a) .. '..' .. tostring(b) end
V.__unm = function(a) return setmetatable({x = -a.x}, V) end
local a, b = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
print(tostring(a + b), a == b, a < b, a <= b, #b, b(10), a .. b, tostring(-a))
local p = setmetatable({}, {__index = function(t, k) return k .. '!' end,
  __newindex = function(t, k, v) rawset(t, k, v * 2) end})
p.y = 21 print(p.x, p.y, rawget(p, 'x'))
