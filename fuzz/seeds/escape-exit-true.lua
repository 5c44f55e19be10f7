-- expect: exit 0
os.exit(true)
