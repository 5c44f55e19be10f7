-- expect: error ~resulting string too large
local s = string.rep('x', 1 << 40) print(#s)
