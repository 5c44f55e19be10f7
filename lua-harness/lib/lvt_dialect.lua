--[[
  lvt_dialect.lua -- what the running Lua is and what it can do, so that a
  test says what it needs and is skipped with a reason where the VM lacks
  it (never failed for being an older dialect).

    local D = require 'lvt_dialect'
    D.version          -- 5.1, 5.2, 5.3 or 5.4 (a number)
    D.luajit           -- true on LuaJIT
    D.has.integer      -- integer subtype (math.type)
    D.has.int64        -- 64-bit integers
    D.has['goto']      -- goto and labels (5.2+, LuaJIT)
    D.has.utf8         -- utf8 library
    D.has.close        -- <close> and <const> locals (5.4)
    D.has.bit32        -- bit32 library (5.2, 5.3 compat)
    D.has.bitops       -- native & | ~ << >> ~ operators (5.3+)
    D.has.floordiv     -- // (5.3+)
    D.has.table_pack   -- table.pack / table.unpack
    D.has.string_pack  -- string.pack / unpack / packsize
    D.has.env          -- _ENV (5.2+)
    D.has.coroutine_close, D.has.warn, D.has.hex_float, D.has.utf8_escape,
    D.has.xpcall_args  -- xpcall(f, h, args...)
    D.has.gc_generational
    D.has.io_files     -- io.open works (fengari has no files)
    D.has.collectgarbage  -- collectgarbage('count') gives a number (fengari
                          -- raises, gopher-lua returns nothing)
    D.need(t, 'integer', n)   -- true when present; else t.skip(reason, n)

  Features are detected by trying them (load of a snippet), not from
  _VERSION, so forks and partial implementations are judged by what they do.
]]

local D = {}

local load = loadstring or load
local function compiles(src) return (load(src)) ~= nil end
local function runs(src)
  local f = load(src)
  if not f then return false end
  local ok, r = pcall(f)
  return ok and r ~= false
end

D.version = tonumber((_VERSION or ''):match('%d+%.%d+')) or 0
D.luajit = type(jit) == 'table'

local has = {}
has.integer = math.type ~= nil and math.type(1) == 'integer'
has.int64 = has.integer and math.maxinteger == 0x7fffffffffffffff
has['goto'] = compiles('goto a; ::a::')
has.utf8 = type(utf8) == 'table'
has.close = compiles('local x <close> = nil')
has.const = compiles('local x <const> = 1')
has.bit32 = type(bit32) == 'table'
has.bitops = compiles('return 1 & 2')
has.floordiv = compiles('return 7 // 2')
has.table_pack = type(table.pack) == 'function'
has.table_move = type(table.move) == 'function'
has.string_pack = type(string.pack) == 'function'
has.env = runs('local _ENV = {x = 1} return x == 1')
has.coroutine_close = type(coroutine.close) == 'function'
has.coroutine_isyieldable = type(coroutine.isyieldable) == 'function'
has.warn = type(warn) == 'function'
has.hex_float = runs('return 0xA.8p1 == 21')  -- 5.1's strtod reads 0x1p4, its lexer not this
has.utf8_escape = runs('return "\\u{48}" == "H"')
has.hex_escape = runs('return "\\x41" == "A"')
has.z_escape = runs('return "a\\z   b" == "ab"')
has.xpcall_args = runs('return select(2, xpcall(function(a) return a end, print, 7)) == 7')
has.gc_generational = D.version >= 5.4
has.io_files = type(io) == 'table' and type(io.open) == 'function'
do
  local ok, kb = pcall(collectgarbage, 'count')
  has.collectgarbage = ok and type(kb) == 'number'
end
has.math_tointeger = type(math.tointeger) == 'function'
has.math_ult = type(math.ult) == 'function'
has.load_env = runs('return load("return x", "c", "t", {x = 5})() == 5')
has.rawlen = type(rawlen) == 'function'
has.yield_across_pcall = runs([[
  local co = coroutine.wrap(function() pcall(coroutine.yield, 1) return 2 end)
  return co() == 1 and co() == 2]])
has.yield_across_metamethod = runs([[
  local mt = {__add = function(a, b) return coroutine.yield('y') end}
  local co = coroutine.wrap(function() return setmetatable({}, mt) + 1 end)
  return co() == 'y']])
has.len_metamethod_tables = runs('return #setmetatable({}, {__len = function() return 7 end}) == 7')
has.pairs_metamethod = runs([[
  local called = false
  local mt = {__pairs = function(t) called = true return function() end, t, nil end}
  for _ in pairs(setmetatable({}, mt)) do end
  return called]])
has.ipairs_metamethod = D.version == 5.2
has.string_rep_sep = runs('return ("a"):rep(2, ",") == "a,a"')
has.int_for_overflow_safe = D.version >= 5.4
D.has = has

-- true when 'feature' is present; otherwise reports 'n' skipped tests on
-- 't' with a reason naming the feature and the dialect, and returns false.
function D.need(t, feature, n)
  if has[feature] then return true end
  t.skip('needs ' .. feature .. ' (not in ' .. (_VERSION or '?') ..
         (D.luajit and ' / LuaJIT' or '') .. ')', n or 1)
  return false
end

return D
