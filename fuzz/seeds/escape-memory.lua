-- expect: memory
local t, s = {}, string.rep('x', 1 << 20)
for i = 1, 1000 do t[i] = s .. i end
print(#t)
