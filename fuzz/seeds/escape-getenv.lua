-- expect: ok
print(type(os.getenv('HOME')), os.tmpname ~= nil)
