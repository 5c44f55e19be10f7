-- expect: error ~debug.debug disabled
debug.debug()
