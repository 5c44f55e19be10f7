-- expect: ok
print(os.setlocale('de_DE.UTF-8'), os.setlocale())
