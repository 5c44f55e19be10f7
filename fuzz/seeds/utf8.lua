print(utf8.char(72, 228, 8364, 128512), utf8.len('häé'), utf8.codepoint('é'))
for p, c in utf8.codes('aé€') do io.write(p, ':', c, ' ') end print()
print(utf8.offset('aé€', 3), utf8.len('\xff'), #utf8.charpattern)
