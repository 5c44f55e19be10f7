local Base = {} Base.__index = Base
function Base.new(x) return setmetatable({x = x}, Base) end
function Base:get() return self.x end
local Derived = setmetatable({}, {__index = Base}) Derived.__index = Derived
function Derived.new(x, y) local o = Base.new(x) o.y = y return setmetatable(o, Derived) end
function Derived:sum() return self:get() + self.y end
local d = Derived.new(3, 4) print(d:get(), d:sum(), getmetatable(d) == Derived)
