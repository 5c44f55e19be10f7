local function range(n)
  return function(s, i) if i < n then return i + 1, (i + 1) * 2 end end, nil, 0
end
for i, d in range(3) do io.write(i, ':', d, ' ') end print()
for i, v in ipairs({'a', 'b', nil, 'd'}) do io.write(i, v) end print()
local keys = {} for k in pairs({x = 1, y = 2, z = 3}) do keys[#keys + 1] = k end
table.sort(keys) print(table.concat(keys))
