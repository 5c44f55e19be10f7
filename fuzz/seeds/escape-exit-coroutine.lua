-- expect: exit 7
coroutine.wrap(function() pcall(os.exit, 7) end)() print('never')
