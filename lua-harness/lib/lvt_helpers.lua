--[[
  lvt_helpers.lua -- helpers shared by the suite's files:
    run(src, ...)       compile and run a string; a compile error comes back
                        as a string naming it (the test fails, not the file)
    compiles(src)       true when the string compiles on this VM
    with(feature, n, fn) run fn (reporting exactly n tests) when the VM has
                        the feature, else skip n tests with the reason
  and for the expression tests (020-025): each operator is checked three ways, because compilers take different
  paths for them: on constants (which may be folded at compile time), on
  two run-time values, and on a run-time value with a constant operand
  (5.4 has dedicated opcodes for that case). Portable to 5.1-5.4 and LuaJIT.

    local h = require('lvt_helpers').new(t, D)   -- t = tap, D = lvt_dialect
    h.bin('7', '//', '2', 3)                 -- three tests
    h.binerr('1', '//', '0', 'divide by zero')
    h.un('-', '3', -3)                       -- two tests
    h.mtype('3 // 1', 'integer')
    h.with('floordiv', 6, function() ... end) -- skips 6 without the feature
]]

local M = {}

function M.new(t, D)
  local compile = loadstring or load

  local function run(src, ...)
    local f, e = compile(src)
    if not f then return 'compile error: ' .. tostring(e) end
    return f(...)
  end

  local function compiles(src) return (compile(src)) ~= nil end
  -- Runs 'fn', which reports exactly 'n' tests, when the VM has 'feature';
  -- otherwise skips 'n' tests with a reason. A wrong 'n' is a failure.
  local function with(feature, n, fn)
    if not D.need(t, feature, n) then return end
    local before = t.counts()
    fn()
    local ran = t.counts() - before
    if ran ~= n then
      t.ok(false, 'block needing ' .. feature .. ' declared ' .. n .. ' tests, ran ' .. ran)
    end
  end

  local function value(src) return assert(compile('return ' .. src))() end

  -- 'a op b' three ways: as constants (the compiler may fold them), as two
  -- run-time values, and as a run-time value with a constant operand (5.4
  -- has dedicated opcodes for that case). 'a' and 'b' are source text.
  local function bin(a, op, b, want, name)
    name = name or (a .. ' ' .. op .. ' ' .. b)
    local k = assert(compile('return ' .. a .. ' ' .. op .. ' ' .. b))
    local r = assert(compile('local a, b = ... return a ' .. op .. ' b'))
    local rk = assert(compile('local a = ... return a ' .. op .. ' ' .. b))
    local va, vb = value(a), value(b)
    t.is(k(), want, name .. ' [constants]')
    t.is(r(va, vb), want, name .. ' [registers]')
    t.is(rk(va), want, name .. ' [register, constant]')
  end

  -- 'a op b' must compile and raise an error matching 'pattern' at run time.
  local function binerr(a, op, b, pattern, name)
    name = name or (a .. ' ' .. op .. ' ' .. b)
    local r = assert(compile('local a, b = ... return a ' .. op .. ' b'))
    local va, vb = value(a), value(b)
    t.error_like(function() return r(va, vb) end, pattern, name .. ' raises')
  end

  -- 'op a' as a constant and on a run-time value.
  local function un(op, a, want, name)
    name = name or (op .. ' ' .. a)
    local k = assert(compile('return ' .. op .. ' ' .. a))
    local r = assert(compile('local a = ... return ' .. op .. ' a'))
    t.is(k(), want, name .. ' [constant]')
    t.is(r(value(a)), want, name .. ' [register]')
  end

  local function mtype(src, want)
    t.is(math.type(value(src)), want, 'math.type(' .. src .. ')')
  end

  return {run = run, compiles = compiles, with = with, value = value, bin = bin, binerr = binerr, un = un, mtype = mtype}
end

return M
