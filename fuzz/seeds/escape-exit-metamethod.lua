-- expect: exit 4
local t = setmetatable({}, {__index = function() os.exit(4) end}) print(pcall(function() return t.x end))
