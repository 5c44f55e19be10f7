local mi, ma = math.mininteger, math.maxinteger
print(mi // -1, mi % -1, ma + 1, mi - 1, ma * 2, -mi, mi // 1.0)
print(ma + 0.0, ma + 0.0 == ma, 2^63 == ma + 1.0, math.tointeger(2^63))
print(pcall(function() return mi % 0 end), 5.0 % 0, -5 % math.huge, 5 % -math.huge)
for _, s in ipairs({'9223372036854775807', '9223372036854775808', '-9223372036854775808', '0x7fffffffffffffff', '0xffffffffffffffff'}) do
  io.write(tostring(tonumber(s)), ' ', math.type(tonumber(s)), ' ')
end
print()
