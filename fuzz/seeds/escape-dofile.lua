-- expect: error
dofile('/etc/passwd')
