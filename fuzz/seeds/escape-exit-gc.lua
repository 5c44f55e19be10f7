-- expect: exit 9
setmetatable({}, {__gc = function() os.exit(9) end}) collectgarbage() collectgarbage() print('after')
