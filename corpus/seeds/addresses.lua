-- Values printed with their addresses: lvtest normalises the addresses so
-- that the comparison sees identity (same table twice) but not numbers.
local t = {}
local f = function() end
print(type(t), type(f), type(print))
print(tostring(t) == tostring(t), tostring(t) ~= tostring({}))
print(t)
print(t, f)
print(coroutine.create(f))
