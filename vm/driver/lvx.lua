-- lvx.lua -- the LVX v1 driver (vm/PROTOCOL.md) for any Lua command line:
--
--   lua lvx.lua          (lua5.1 ... lua5.4, luajit: this file runs unchanged)
--
-- Loads sandbox.lua from its own directory, says hello on stdout, then
-- reads run frames on stdin and answers each with a result frame, until
-- EOF. Files may be written in $LVT_SCRATCH (the proc backend sets it to
-- the child's private scratch directory, also its working directory).
-- Anything that is not a run frame is a fatal protocol error: the driver
-- says why on stderr and exits with status 2 (lvtest restarts it).

-- Everything used while programs run is a local: a program can reach the
-- real globals and libraries (through the debug library), and the
-- sandbox only puts back what it watches.
local stdin, stdout, stderr = io.stdin, io.stdout, io.stderr
local tostring, tonumber, type, pcall = tostring, tonumber, type, pcall
local sfmt, ssub, smatch = string.format, string.sub, string.match
local tconcat = table.concat
local exit = os.exit

local dir = string.match(arg and arg[0] or "", "^(.*)/[^/]*$") or "."
local chunk, msg = loadfile(dir .. "/sandbox.lua")
if not chunk then
  stderr:write("lvx.lua: cannot load the sandbox: ", tostring(msg), "\n")
  exit(2)
end
local M = chunk()
local run = M.run
local scratch = os.getenv("LVT_SCRATCH")
if scratch == "" then scratch = nil end

stdout:setvbuf("full")

-- Writes one frame: 'fields' is a list of key, value, key, value...
local function send(kind, fields)
  local parts, n = {}, 0
  for i = 1, #fields, 2 do
    local v = fields[i + 1]
    parts[#parts + 1] = fields[i] .. " " .. #v .. "\n"
    parts[#parts + 1] = v
    parts[#parts + 1] = "\n"
    n = n + 1
  end
  stdout:write("LVX 1 ", kind, " ", sfmt("%d", n), "\n", tconcat(parts))
  stdout:flush()
end

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
    local v = stdin:read(len + 1)
    if v == nil or #v ~= len + 1 or ssub(v, -1) ~= "\n" then
      fail("value of " .. key .. " cut short")
    end
    f[key] = ssub(v, 1, -2)
  end
  if f.src == nil then fail("run frame without src") end
  return f
end

local function bool(s) return s == "1" end

send("hello", { "impl", "lvx.lua " .. M.version })
while true do
  local f = read_request()
  if f == nil then break end
  local opts = {
    instr_limit = tonumber(f.instr_limit) or 0,
    max_output = tonumber(f.max_output) or 1048576,
    deterministic = bool(f.deterministic),
    allow_binary = f.allow_binary ~= "0",
    scratch = scratch,
  }
  local ok, res = pcall(run, f.src, f.name or "?", opts)
  if not ok then
    -- The sandbox itself failed (a program broke something it relies on):
    -- report it and ask for a fresh VM.
    res = { outcome = "error", out = "", errtype = "string",
            errval = tostring(res), detail = "driver failure", dirty = true }
  end
  local out = {
    "outcome", res.outcome,
    "out", res.out or "",
  }
  local function add(k, v) out[#out + 1] = k; out[#out + 1] = v end
  if res.truncated then add("truncated", "1") end
  if res.errtype then add("errtype", res.errtype) end
  if res.errval then add("errval", res.errval) end
  if res.exitcode then add("exit", sfmt("%d", res.exitcode)) end
  if res.detail then add("detail", res.detail) end
  if res.dirty then add("dirty", "1") end
  send("result", out)
end
