-- expect: error ~outside the scratch directory
assert(io.open('/tmp/lvt-fuzz-escape', 'w')):write('x')
