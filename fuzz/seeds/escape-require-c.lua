-- expect: error
require('socket.core')
