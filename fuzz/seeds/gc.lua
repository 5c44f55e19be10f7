local weak = setmetatable({}, {__mode = 'k'})
do local k = {} weak[k] = 1 end
collectgarbage() collectgarbage()
local n = 0 for _ in pairs(weak) do n = n + 1 end print(n)
local log = {}
do setmetatable({}, {__gc = function() log[#log + 1] = 'gc' end}) end
collectgarbage() print(#log, collectgarbage('count') > 0)
