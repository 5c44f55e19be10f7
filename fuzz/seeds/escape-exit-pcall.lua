-- expect: exit 5
print(pcall(os.exit, 5)) print('never')
