local s = string.pack('<i4 >I2 z s1 d', -2, 513, 'hi', 'xy', 1.5)
print(#s, string.unpack('<i4 >I2 z s1 d', s))
print(string.packsize('i4 i8 !8 d'), pcall(string.pack, 'i17', 1))
