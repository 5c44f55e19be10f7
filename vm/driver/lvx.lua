-- lvx.lua -- the LVX v1 driver (vm/PROTOCOL.md) for any Lua command line:
--
--   lua lvx.lua          (lua5.1 ... lua5.4, luajit, gopher-lua's glua:
--                         this file runs unchanged)
--
-- Loads sandbox.lua from its own directory, says hello on stdout, then
-- reads run frames on stdin and answers each with a result frame, until
-- EOF. Files may be written in $LVT_SCRATCH (the proc backend sets it to
-- the child's private scratch directory, also its working directory).
-- Anything that is not a run frame is a fatal protocol error: the driver
-- says why on stderr and exits with status 2 (lvtest restarts it).
--
-- Embedded (the Node shims, vm/driver/lvx-node.js): a host that reads
-- and writes the frames itself loads this chunk into its Lua engine and
-- calls it with the loaded sandbox.lua chunk and a table of host
-- primitives for the sandbox (see its top); it then returns, without
-- touching stdin or stdout:
--   { version = <the sandbox's M.version>,
--     serve = function(name, src, instr_limit, max_output, deterministic,
--                      allow_binary, prelude, pure)
--             -> outcome, out, truncated, errtype, errval, exitcode,
--                detail, dirty }
-- where the arguments are the raw values of the run frame's fields (nil
-- when absent) and the results those of the result frame, in its order
-- (strings, nil when absent; 'truncated' and 'dirty' booleans,
-- 'exitcode' an integer or nil): the host splits and builds the frames
-- (building one in Lua is a good part of a run on a slow engine).

-- Everything used while programs run is a local: a program can reach the
-- real globals and libraries (through the debug library), and the
-- sandbox only puts back what it watches.
local embedded, host = ...
if type(embedded) ~= "function" then embedded = nil end
local stdin, stdout, stderr = io.stdin, io.stdout, io.stderr
local tostring, tonumber, type, pcall = tostring, tonumber, type, pcall
local sfmt, ssub, smatch = string.format, string.sub, string.match
local unpack = table.unpack or unpack
local exit = os.exit

local M
if embedded then
  M = embedded(host)
else
  -- (gopher-lua's glua gives no arg[0]: the proc backend says where the
  -- driver files are in LVT_DRIVER_DIR as well.)
  local dir = string.match(arg and arg[0] or "", "^(.*)/[^/]*$") or
              os.getenv("LVT_DRIVER_DIR") or "."
  local chunk, msg = loadfile(dir .. "/sandbox.lua")
  if not chunk then
    stderr:write("lvx.lua: cannot load the sandbox: ", tostring(msg), "\n")
    exit(2)
  end
  M = chunk()
end
local run = M.run
local scratch = os.getenv("LVT_SCRATCH")
if scratch == "" then scratch = nil end

-- Writes a frame of kind 'kind' and flushes it; 'fields' is a list of
-- key, value, key, value... In one write call: the pieces go into
-- stdout's buffer as they are, no copy joins them.
local function send(kind, fields)
  local parts, n = { false }, 1
  for i = 1, #fields, 2 do
    local v = fields[i + 1]
    parts[n + 1], parts[n + 2], parts[n + 3] = fields[i] .. " " .. #v .. "\n", v, "\n"
    n = n + 3
  end
  parts[1] = "LVX 1 " .. kind .. " " .. sfmt("%d", #fields / 2) .. "\n"
  stdout:write(unpack(parts, 1, n))
  stdout:flush()
end

-- Sends the result frame of the sandbox's result 'res'.
local function send_result(res)
  local out = { "outcome", res.outcome, "out", res.out or "" }
  local function add(k, v) out[#out + 1] = k; out[#out + 1] = v end
  if res.truncated then add("truncated", "1") end
  if res.errtype then add("errtype", res.errtype) end
  if res.errval then add("errval", res.errval) end
  if res.exitcode then add("exit", sfmt("%d", res.exitcode)) end
  if res.detail then add("detail", res.detail) end
  if res.dirty then add("dirty", "1") end
  send("result", out)
end

-- A VM without debug.sethook (gopher-lua): the sandbox cannot make
-- os.exit unstoppable by pcall, so the driver ends the process there, as
-- the VM's own os.exit does, once the result is sent (lvtest starts a
-- fresh one). Not in embedded mode: the Node engines have hooks.
local host_stop
if not embedded and not (debug and debug.sethook) then
  host_stop = function(kind, code, res)
    send_result(res)
    exit(0)
  end
end

-- Runs one program from the raw values of a run frame's fields; returns
-- the sandbox's result.
local function run_fields(name, src, instr_limit, max_output, deterministic, allow_binary,
                          prelude, pure)
  local opts = {
    prelude = prelude,
    pure = pure == "1",
    instr_limit = tonumber(instr_limit) or 0,
    max_output = tonumber(max_output) or 1048576,
    deterministic = deterministic == "1",
    allow_binary = allow_binary ~= "0",
    scratch = scratch,
    host_stop = host_stop,
  }
  local ok, res = pcall(run, src, name or "?", opts)
  if not ok then
    -- The sandbox itself failed (a program broke something it relies on):
    -- report it and ask for a fresh VM.
    res = { outcome = "error", out = "", errtype = "string",
            errval = tostring(res), detail = "driver failure", dirty = true }
  end
  return res
end

if embedded then
  return {
    version = M.version,
    serve = function(...)
      local res = run_fields(...)
      return res.outcome, res.out or "", res.truncated, res.errtype, res.errval,
             res.exitcode, res.detail, res.dirty
    end,
  }
end

-- ---------------------------------------------------------------------
-- Stand-alone: the frames on stdin and stdout
-- ---------------------------------------------------------------------
stdout:setvbuf("full")


local function fail(why)
  stderr:write("lvx.lua: protocol: ", why, "\n")
  exit(2)
end

-- Reads one run frame; nil at a clean EOF (between frames).
local function read_request()
  local line = stdin:read("*l")
  if line == nil then return nil end
  local ver, kind, count = smatch(line, "^LVX (%d+) ([%l%d_]+) (%d+)$")
  if ver ~= "1" then fail("expected an LVX 1 header, got " .. sfmt("%q", ssub(line, 1, 40))) end
  if kind ~= "run" then fail("expected a run frame, got " .. kind) end
  local f = {}
  for _ = 1, tonumber(count) do
    local fl = stdin:read("*l")
    local key, len = smatch(fl or "", "^([%l%d_]+) (%d+)$")
    if not key then fail("bad field line " .. sfmt("%q", ssub(fl or "EOF", 1, 40))) end
    len = tonumber(len)
    local v, lf = stdin:read(len, 1)
    if v == nil or #v ~= len or lf ~= "\n" then
      fail("value of " .. key .. " cut short")
    end
    f[key] = v
  end
  if f.src == nil then fail("run frame without src") end
  return f
end

send("hello", { "impl", "lvx.lua " .. M.version })
while true do
  local f = read_request()
  if f == nil then break end
  send_result(run_fields(f.name, f.src, f.instr_limit, f.max_output, f.deterministic,
                         f.allow_binary, f.prelude, f.pure))
end
