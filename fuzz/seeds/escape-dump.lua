-- expect: error ~attempt to load a binary chunk
local b = string.dump(function() return 1 end)
assert(load(b))()
