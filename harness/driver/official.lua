-- official.lua -- lvtest's per-file driver for the official Lua test suite.
--
-- Runs ONE file of the suite on its own, the way the suite's all.lua runs
-- it, in a fresh interpreter started by lvtest in a private copy of the
-- suite directory:
--
--   lua -e "_port=true _soft=true" lvt-official.lua FILE HOW RET SOFT RESULT
--
--   FILE    the test file ("calls.lua")
--   HOW     how all.lua runs it: "dump" (through a string.dump/load round
--           trip), "strip" (the same, stripped), "plain" (loadfile and
--           call, or the original dofile), "coroutine" (big.lua: wrapped in
--           a coroutine that must yield 'b' and then return 'a')
--   RET     what all.lua asserts the file returns: a number, a global's
--           name (calls.lua returns the global 'deep', which must be true),
--           or "-" for nothing
--   SOFT    "1": soft asserts -- 'assert' called from the code of a file
--           (not from C, not from a chunk loaded from a string) records
--           "file:line" and goes on instead of raising, so every assertion
--           gets a result ("strip" files are then not stripped); "0": the
--           real 'assert'
--   RESULT  the file the results go to (lines, tab-separated):
--             fail  SRC:LINE  message       an assertion failed (soft mode,
--                                           written at once, so a crash
--                                           later loses nothing)
--             site  SRC:LINE  passes fails  per assertion site, at the end
--             error message                 the file raised an error
--             done  ok                      the file ran to its end and
--                                           returned what all.lua expects
--
-- Works unchanged on Lua 5.1 to 5.4 and LuaJIT. Written for lvtest; it
-- sets up what all.lua sets up for the files (the control globals'
-- defaults, 'Message', 'T', the C locale), nothing more.
local file, how, ret, soft, result = arg[1], arg[2], arg[3], arg[4] == "1", arg[5]
local debug, io, os, string, tostring, type, select, pcall, xpcall, error, loadfile =
  require("debug"), io, os, string, tostring, type, select, pcall, xpcall, error, loadfile
local real_assert = assert
local load = (_VERSION == "Lua 5.1") and loadstring or load
local dump = string.dump

local out = real_assert(io.open(result, "w"))
local function put(...)
  out:write(table.concat({...}, "\t"), "\n")
  out:flush()
end
-- one line of text for the result file
local function oneline(s)
  s = tostring(s)
  return (string.gsub(string.sub(s, 1, 400), "[\r\n\t]", " "))
end

-- What all.lua does before the files (5.2 and later; harmless on 5.1).
if _VERSION ~= "Lua 5.1" then
  _soft = rawget(_G, "_soft") or false
  _port = rawget(_G, "_port") or false
  _nomsg = rawget(_G, "_nomsg") or false
  if rawget(_G, "_U") then
    _soft, _port, _nomsg = true, true, true
    T = nil
  else
    T = rawget(_G, "T")
  end
  _G.ARG = arg
  _G.debug = nil     -- the files require debug when they need it
end
function Message(m)
  if not rawget(_G, "_nomsg") then print(m) end
end
real_assert(os.setlocale("C"))

-- Soft asserts: per call site, passes and failures.
local sites, order = {}, {}
local function site_of(level)
  local info = debug.getinfo(level + 1, "Sl")
  if info == nil or info.what == "C" then return nil end
  return info.short_src .. ":" .. tostring(info.currentline)
end
if soft then
  assert = function(v, ...)
    -- only the code of the suite's files is soft: a call from C
    -- (pcall(assert, false)) or from a chunk the file loads from a string
    -- (errors.lua checks what assert raises there) keeps the real assert
    local caller = debug.getinfo(2, "S")
    if caller == nil or string.sub(caller.source, 1, 1) ~= "@" then
      return real_assert(v, ...)
    end
    local where = site_of(2)
    local s = sites[where]
    if s == nil then
      s = {0, 0}
      sites[where] = s
      order[#order + 1] = where
    end
    if v then
      s[1] = s[1] + 1
    else
      s[2] = s[2] + 1
      if s[2] == 1 then
        local msg = select("#", ...) > 0 and (...) or "assertion failed!"
        put("fail", where, oneline(msg))
      end
    end
    return v, ...
  end
end

local function run()
  local f = real_assert(loadfile(file))
  if how == "dump" or how == "strip" then
    -- soft asserts need the line numbers that stripping would drop
    f = real_assert(load(dump(f, how == "strip" and not soft)))
  end
  if how == "coroutine" then
    local co = coroutine.wrap(f)
    real_assert(co() == "b", file .. " did not yield 'b'")
    real_assert(co() == "a", file .. " did not return 'a'")
    return
  end
  local r = f()
  if ret ~= "-" then
    local want = tonumber(ret)
    if want ~= nil then
      real_assert(r == want, file .. " returned " .. tostring(r) .. ", all.lua expects " .. ret)
    else
      real_assert(r == rawget(_G, ret) and r,
                  file .. " returned " .. tostring(r) .. ", all.lua expects the global " .. ret)
    end
  end
end

local function finish()
  for i = 1, #order do
    local s = sites[order[i]]
    put("site", order[i], s[1], s[2])
  end
end

if soft then
  -- the file runs under xpcall so that the sites are written even when it
  -- ends in an error; the error then goes on to the interpreter
  local trace
  local ok, msg = xpcall(run, function(m)
    trace = debug.traceback(tostring(m), 2)
    return m
  end)
  finish()
  if not ok then
    put("error", oneline(msg))
    out:close()
    io.stderr:write(trace, "\n")
    error(msg, 0)
  end
else
  run()
end
put("done", "ok")
out:close()
