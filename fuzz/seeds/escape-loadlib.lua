-- expect: error ~package.loadlib disabled
local f = assert(package.loadlib('libc.so.6', 'system')) f('true')
