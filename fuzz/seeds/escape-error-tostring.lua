-- expect: error
error(setmetatable({}, {__tostring = function() os.exit(6) end}))
