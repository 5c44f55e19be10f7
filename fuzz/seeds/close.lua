do
  local x <const> = 10
  local r <close> = setmetatable({}, {__close = function(o, e) print('closed', e) end})
  print('body', x)
end
print(pcall(function()
  local r <close> = setmetatable({}, {__close = function(o, e) print('closing on', e) end})
  error('boom', 0)
end))
