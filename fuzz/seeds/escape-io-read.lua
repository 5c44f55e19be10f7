-- expect: ok
print(io.read('a'), io.read('l'), io.read('n'))
