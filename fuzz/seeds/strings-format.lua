for _, f in ipairs({'%5s', '%-5s|', '%.2s', '%q', '%c', '%o', '%X', '%#x', '%+d', '% d', '%05d', '%.0f', '%10.3e', '%a'}) do
  local ok, r = pcall(string.format, f, f:find('[sq]') and 'ab' or 65)
  io.write(f, '=', tostring(r), ' ')
end
print()
print(string.format('%q', 1/0), string.format('%q', math.mininteger), string.format('%q', 0.1))
