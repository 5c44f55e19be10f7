-- expect: ok
io.stdout:close() print('still here')
io.write('x')
