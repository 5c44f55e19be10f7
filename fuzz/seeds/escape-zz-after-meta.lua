-- expect: error ~local 'x'
-- runs after escape-string-meta: the string metatable must be pristine again
local x = nil
print(('a'):upper(), x.y)
