-- expect: error ~io.popen disabled
local p = io.popen('echo pwned') print(p:read('a'))
