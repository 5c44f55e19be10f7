-- expect: exit 8
getmetatable('').__index = function() os.exit(8) end
debug.setmetatable(nil, {__index = function() return 'x' end})
print(('a').b)
