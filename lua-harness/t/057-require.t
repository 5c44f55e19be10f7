-- 057-require.t -- Lua 5.4 manual §6.3 (modules): require of modules
-- written by the test into the scratch directory (package.path =
-- './?.lua;' .. package.path), package.loaded caching, the loader data
-- returned by require (5.4), the arguments of the loader, package.preload,
-- custom searchers, package.searchpath (5.2+), package.config and errors
-- listing what was tried. Files are removed at the end.
local t = require 'tap'
local D = require 'lvt_dialect'
if not D.has.io_files then t.skip_all('needs io.open (files) (not in ' .. (_VERSION or '?') .. ')') return end

local function pack(...) return { n = select('#', ...), ... } end

local created = {}
local function write_module(name, src)
  local fname = name .. '.lua'
  local f = assert(io.open(fname, 'w'))
  f:write(src)
  f:close()
  created[#created + 1] = fname
  return './' .. fname
end

local saved_path = package.path
package.path = './?.lua;' .. package.path

-- Globals the modules use to report; removed at the end.
LVT057_RUNS = 0
LVT057_ARGS = nil

-- ---------------------------------------------------------------------
t.section '§6.3 require'
do
  local p = write_module('lvt057_basic', [[
LVT057_RUNS = LVT057_RUNS + 1
LVT057_ARGS = { n = select('#', ...), ... }
return { name = 'basic', answer = 42 }
]])
  local r = pack(require('lvt057_basic'))
  local m = r[1]
  t.is(type(m), 'table', 'require returns the value returned by the module')
  t.is(m.answer, 42, 'the module ran')
  t.is(LVT057_RUNS, 1, 'the module body ran once')
  t.ok(package.loaded.lvt057_basic == m, 'package.loaded holds the value')
  t.ok(require('lvt057_basic') == m, 'a second require returns the same value')
  t.is(LVT057_RUNS, 1, 'without running the module again')
  t.is(LVT057_ARGS[1], 'lvt057_basic', 'the loader gets the module name as its first argument')
  if D.version >= 5.2 then
    t.is(LVT057_ARGS[2], p, 'and the file name as its second argument (5.2+)')
  else
    t.is(LVT057_ARGS.n, 1, 'and only that (5.1)')
  end
  if D.version >= 5.4 then
    t.is(r.n, 2, 'require returns two values (5.4)')
    t.is(r[2], p, 'the second is the loader data: the file name (5.4)')
    t.is(select('#', require('lvt057_basic')), 1, 'a cached module returns only its value (5.4)')
  else
    t.skip('the loader data is returned by require from 5.4 on', 3)
  end
  package.loaded.lvt057_basic = nil
  local m2 = require('lvt057_basic')
  t.is(LVT057_RUNS, 2, 'clearing package.loaded makes require load the module again')
  t.ok(m2 ~= m, 'giving a new value')
end

do
  write_module('lvt057_nil', 'LVT057_RUNS = LVT057_RUNS + 1\n')
  local before = LVT057_RUNS
  local v = require('lvt057_nil')
  t.is(v, true, 'a module returning nothing gives true')
  t.is(package.loaded.lvt057_nil, true, 'and package.loaded holds true')
  require('lvt057_nil')
  t.is(LVT057_RUNS, before + 1, 'and it is not loaded twice')
end

do
  write_module('lvt057_self', [[
local name = ...
package.loaded[name] = { set_by_itself = true }
]])
  local v = require('lvt057_self')
  t.is(type(v) == 'table' and v.set_by_itself, true, 'a module may set package.loaded itself')
  write_module('lvt057_false', 'return false\n')
  local f = require('lvt057_false')
  t.ok(f == false or f == true, 'a module returning false')
  package.loaded.lvt057_preset = 'preset value'
  t.is(require('lvt057_preset'), 'preset value', 'a value already in package.loaded is returned without a search')
end

-- ---------------------------------------------------------------------
t.section '§6.3 package.preload'
do
  local got
  package.preload.lvt057_pre = function(...)
    got = pack(...)
    return 'from preload'
  end
  local r = pack(require('lvt057_pre'))
  t.is(r[1], 'from preload', 'require uses package.preload first')
  t.is(got[1], 'lvt057_pre', 'the preload function gets the module name')
  t.is(package.loaded.lvt057_pre, 'from preload', 'and the result is cached')
  if D.version >= 5.4 then
    t.is(got[2], ':preload:', 'the loader data of preload is ":preload:" (5.4)')
    t.is(r[2], ':preload:', 'require returns it as its second value (5.4)')
  else
    t.skip('":preload:" is 5.4', 2)
  end
  write_module('lvt057_both', 'return "from file"\n')
  package.preload.lvt057_both = function() return 'from preload' end
  t.is(require('lvt057_both'), 'from preload', 'preload wins over a file')
  package.preload.lvt057_pre = nil
  package.preload.lvt057_both = nil
end

t.section '§6.3 searchers'
do
  local searchers = package.searchers or package.loaders
  t.is(type(searchers), 'table', 'package.searchers (package.loaders in 5.1) is a table')
  t.is(type(searchers[1]), 'function', 'its entries are functions')
  local asked
  local function custom(name)
    if name == 'lvt057_virtual' then
      asked = name
      return function(n) return 'virtual ' .. n end, 'data'
    end
    return '\n\tno virtual module ' .. name
  end
  table.insert(searchers, custom)
  local v = require('lvt057_virtual')
  t.is(v, 'virtual lvt057_virtual', 'a searcher added to the list is used')
  t.is(asked, 'lvt057_virtual', 'it got the module name')
  local ok, e = pcall(require, 'lvt057_none_at_all')
  t.ok(not ok and e:find('no virtual module lvt057_none_at_all', 1, true),
       'the string a searcher returns goes into the error message')
  for i = #searchers, 1, -1 do if searchers[i] == custom then table.remove(searchers, i) end end
end

-- ---------------------------------------------------------------------
t.section '§6.3 require errors'
do
  local ok, e = pcall(require, 'lvt057_missing')
  t.is(ok, false, 'requiring a missing module is an error')
  t.like(e, "module 'lvt057_missing' not found", 'the message names the module')
  t.like(e, "no field package.preload%['lvt057_missing'%]", 'it lists the preload search')
  t.like(e, "no file '%./lvt057_missing%.lua'", 'and the files tried')
  write_module('lvt057_syntax', 'return {\n')
  local ok2, e2 = pcall(require, 'lvt057_syntax')
  t.is(ok2, false, 'a module with a syntax error cannot be required')
  t.like(e2, "error loading module 'lvt057_syntax'", 'the message says the module failed to load')
  t.like(e2, 'lvt057_syntax%.lua', 'and names the file')
  write_module('lvt057_fails', 'LVT057_RUNS = LVT057_RUNS + 1\nerror("module body failed", 0)\n')
  local before = LVT057_RUNS
  local ok3, e3 = pcall(require, 'lvt057_fails')
  t.ok(not ok3 and e3 == 'module body failed', 'an error in the module body propagates unchanged')
  if D.version >= 5.2 then
    t.is(package.loaded.lvt057_fails, nil, 'a failed module is not recorded in package.loaded (5.2+)')
    pcall(require, 'lvt057_fails')
    t.is(LVT057_RUNS, before + 2, 'so a later require tries again (5.2+)')
  else
    t.skip('5.1 leaves its loop-detection sentinel in package.loaded after a failure', 2)
  end
  t.error_like(function() require() end, 'bad argument #1', 'require() is an error')
end

-- ---------------------------------------------------------------------
t.section '§6.3 package.searchpath (5.2+)'
if type(package.searchpath) == 'function' then
  write_module('lvt057_found', 'return 1\n')
  t.is(package.searchpath('lvt057_found', './?.lua'), './lvt057_found.lua', 'searchpath returns the first file that exists')
  t.is(package.searchpath('lvt057_found', './nothere_?.x;./?.lua'), './lvt057_found.lua', 'templates are tried in order')
  local r = pack(package.searchpath('lvt057_nope', './?.lua;./?.luac'))
  t.is(r[1], nil, 'a missing file gives nil (fail)')
  t.like(r[2], "no file '%./lvt057_nope%.lua'", 'plus a message listing the first name tried')
  t.like(r[2], "no file '%./lvt057_nope%.luac'", 'and the second')
  local _, e = package.searchpath('a.b.c', './?.lua')
  t.like(e, "no file '%./a/b/c%.lua'", 'dots in the name become directory separators')
  local _, e2 = package.searchpath('x_y', './?.lua', '_', '-')
  t.like(e2, "no file '%./x%-y%.lua'", 'sep and rep replace the separator and its replacement')
  local _, e3 = package.searchpath('a.b', './?.lua', '')
  t.like(e3, "no file '%./a%.b%.lua'", 'an empty sep leaves the name unchanged')
else
  t.skip('package.searchpath is 5.2+', 8)
end

t.section '§6.3 package fields'
do
  t.is(type(package.path), 'string', 'package.path is a string')
  t.is(type(package.cpath), 'string', 'package.cpath is a string')
  t.is(type(package.config), 'string', 'package.config is a string')
  local lines = {}
  for l in package.config:gmatch('[^\n]+') do lines[#lines + 1] = l end
  t.ok(#lines >= 5, 'package.config has (at least) five lines')
  t.is(lines[2], ';', 'its second line is the path separator ";"')
  t.is(lines[3], '?', 'its third line is the substitution mark "?"')
  t.ok(package.loaded._G == _G, 'package.loaded._G is _G')
  t.ok(package.loaded.string == string, 'package.loaded.string is the string library')
  t.is(type(package.preload), 'table', 'package.preload is a table')
end

-- clean up
package.path = saved_path
for _, f in ipairs(created) do os.remove(f) end
for k in pairs(package.loaded) do
  if type(k) == 'string' and k:sub(1, 6) == 'lvt057' then package.loaded[k] = nil end
end
LVT057_RUNS, LVT057_ARGS = nil, nil
t.section '§6.3 clean up'
do
  local left = 0
  for _, f in ipairs(created) do
    local h = io.open(f)
    if h then left = left + 1 h:close() end
  end
  t.is(left, 0, 'every module file was removed')
end

t.done_testing()
