-- expect: timeout
debug.sethook() debug.sethook(function() end, '', 0) while true do end
