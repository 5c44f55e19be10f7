-- expect: error ~os.execute disabled
print(os.execute('touch /tmp/lvt-fuzz-pwned'))
error(tostring(os.execute))
