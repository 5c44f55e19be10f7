--[[
  tap.lua -- a small TAP producer for lvtest's conformance suite. Runs
  unchanged on Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT.

    local t = require 'tap'
    t.plan(3)                        -- or t.done_testing() at the end
    t.section '§3.4.1'               -- names the manual section of what follows
    t.is(7 // 2, 3, 'floor division')
    t.ok(x, 'name')   t.isnt(a, b, 'name')   t.like(s, '^%d+$', 'name')
    t.is_deeply({1, {2}}, {1, {2}}, 'name')
    t.error_like(function() error('boom') end, 'boom', 'name')
    t.lives_ok(function() ... end, 'name')
    t.skip('needs integers', 2)      -- two "ok N # skip ..." lines
    t.todo('fixed in 5.4.5', 1)      -- the next test is a TODO
    t.diag('shown on failure')       -- "# ..." lines

  Every test name is prefixed with the current section ("§3.4.1 floor
  division"), so results roll up per manual section. Failures print
  "#   got: ..." and "#   expected: ..." diagnostics. Output goes through
  print/io.write only (lvtest captures them).
]]

local M = {}

local count, failed = 0, 0
local planned = nil
local current_section = nil
local todo_reason, todo_left = nil, 0

local write = io.write
local function line(s) write(s, '\n') end

-- A readable rendering of a value for diagnostics.
local function show(v)
  if type(v) == 'string' then return string.format('%q', v) end
  if type(v) == 'number' and math.type then
    return tostring(v) .. ' (' .. math.type(v) .. ')'
  end
  return tostring(v)
end
M.show = show

function M.plan(n)
  planned = n
  line('1..' .. tostring(n))
end

function M.section(s) current_section = s end

local function name_of(name)
  name = name or ''
  if current_section then
    name = current_section .. (name ~= '' and ' ' .. name or '')
  end
  return name
end

function M.diag(msg)
  for l in (tostring(msg) .. '\n'):gmatch('([^\n]*)\n') do line('# ' .. l) end
end

function M.note(msg) M.diag(msg) end

-- Reports one test; returns 'pass'.
function M.ok(pass, name, ...)
  count = count + 1
  local s = (pass and 'ok ' or 'not ok ') .. count
  local n = name_of(name)
  if n ~= '' then s = s .. ' - ' .. n:gsub('#', '\\#') end
  if todo_left > 0 then
    s = s .. ' # TODO ' .. todo_reason
    todo_left = todo_left - 1
  elseif not pass then
    failed = failed + 1
  end
  line(s)
  if not pass then
    M.diag('  Failed test' .. (n ~= '' and " '" .. n .. "'" or ''))
    local extra = select('#', ...)
    for i = 1, extra do M.diag(select(i, ...)) end
  end
  return pass
end

local function got_expected(got, expected)
  return '  got: ' .. show(got), '  expected: ' .. show(expected)
end

-- 'is' compares with == and, for numbers where the dialect has subtypes,
-- also the subtype: 1 and 1.0 are different results of an expression.
local function same(a, b)
  if a ~= a and b ~= b then return true end           -- both NaN
  if a ~= b then return false end
  if type(a) == 'number' and math.type then return math.type(a) == math.type(b) end
  return true
end

function M.is(got, expected, name)
  if same(got, expected) then return M.ok(true, name) end
  return M.ok(false, name, got_expected(got, expected))
end

function M.isnt(got, unexpected, name)
  if not same(got, unexpected) then return M.ok(true, name) end
  return M.ok(false, name, '  got: ' .. show(got), '  expected: anything else')
end

function M.like(got, pattern, name)
  if type(got) == 'string' and got:match(pattern) then return M.ok(true, name) end
  return M.ok(false, name, '  got: ' .. show(got), "  expected to match: '" .. pattern .. "'")
end

function M.unlike(got, pattern, name)
  if type(got) == 'string' and not got:match(pattern) then return M.ok(true, name) end
  return M.ok(false, name, '  got: ' .. show(got), "  expected not to match: '" .. pattern .. "'")
end

-- Structural comparison; returns nil when equal, else a path and the two values.
local function deep_diff(a, b, path, seen)
  if type(a) ~= 'table' or type(b) ~= 'table' then
    if same(a, b) then return nil end
    return path, a, b
  end
  if a == b then return nil end
  seen = seen or {}
  if seen[a] == b then return nil end
  seen[a] = b
  for k, v in pairs(a) do
    local p, x, y = deep_diff(v, b[k], path .. '[' .. show(k) .. ']', seen)
    if p then return p, x, y end
  end
  for k, v in pairs(b) do
    if a[k] == nil then return path .. '[' .. show(k) .. ']', nil, v end
  end
  return nil
end

function M.is_deeply(got, expected, name)
  local p, x, y = deep_diff(got, expected, '')
  if not p then return M.ok(true, name) end
  return M.ok(false, name, '  at ' .. (p == '' and 'the top' or p) .. ':',
              '  got: ' .. show(x), '  expected: ' .. show(y))
end

-- The function must raise an error whose tostring() matches 'pattern'.
function M.error_like(fn, pattern, name)
  local ok, err = pcall(fn)
  if ok then return M.ok(false, name, '  expected an error, got none') end
  local msg = tostring(err)
  if msg:match(pattern) then return M.ok(true, name) end
  return M.ok(false, name, '  error: ' .. show(msg), "  expected to match: '" .. pattern .. "'")
end

function M.lives_ok(fn, name)
  local ok, err = pcall(fn)
  if ok then return M.ok(true, name) end
  return M.ok(false, name, '  died: ' .. tostring(err))
end

-- Reports 'n' (default 1) skipped tests.
function M.skip(reason, n)
  for _ = 1, n or 1 do
    count = count + 1
    line('ok ' .. count .. (current_section and ' - ' .. current_section or '') ..
         ' # skip ' .. tostring(reason))
  end
end

-- Skips the whole file: prints "1..0 # SKIP reason". Call before any test
-- and return from the file.
function M.skip_all(reason)
  planned = 0
  line('1..0 # SKIP ' .. tostring(reason))
end

-- The next 'n' (default 1) tests are TODO: failures are expected and not
-- counted. Name the upstream fix in 'reason'.
function M.todo(reason, n)
  todo_reason, todo_left = tostring(reason), n or 1
end

-- Prints the plan at the end when none was given.
function M.done_testing(n)
  if planned == nil then
    line('1..' .. tostring(n or count))
  end
end

-- Counts, for files that want them.
function M.counts() return count, failed end

return M
