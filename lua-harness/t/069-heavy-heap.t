-- 069-heavy-heap.t -- Lua 5.4 manual §2.5 (garbage collection) and §6.4
-- string.rep under a big heap: builds more than 2 GiB of live data (33
-- distinct strings of 64 MiB each), checks every string and the memory
-- count, then drops them and checks that a full collection gives the
-- memory back. Heavy: runs only when the global LVT_HEAVY is true
-- (lvtest --heavy); it needs about 2.2 GiB of memory.
local t = require 'tap'
local D = require 'lvt_dialect'

if not rawget(_G, 'LVT_HEAVY') then
  t.skip_all('heavy test: run with lvtest --heavy')
  return
end

local MiB = 1024 * 1024
local SIZE = 64 * MiB
local COUNT = 33                          -- 33 * 64 MiB = 2112 MiB > 2 GiB
local KB_2GIB = 2 * 1024 * 1024           -- collectgarbage('count') is in KB

-- The 8-byte tag that block 'i' repeats, so every block is distinct.
local function tag(i) return string.format('blk%05d', i) end

local function full_gc()
  collectgarbage()
  collectgarbage()
end

-- ---------------------------------------------------------------------
t.section '§6.4 string.rep builds 64 MiB strings'
full_gc()
local base = collectgarbage('count')
local blocks = {}
local ok, err = pcall(function()
  for i = 1, COUNT do
    blocks[i] = string.rep(tag(i), SIZE / 8)
  end
end)
t.ok(ok, 'building ' .. COUNT .. ' strings of 64 MiB succeeds', ok and '' or '  error: ' .. tostring(err))

if ok then
  local lengths_ok, content_ok = true, true
  for i = 1, COUNT do
    local s = blocks[i]
    if #s ~= SIZE then lengths_ok = false end
    local tg = tag(i)
    -- the start, the end, and a few positions in between (all 8-aligned)
    for _, pos in ipairs({ 1, SIZE - 7, 8 * 1234567 + 1, 8 * (i * 100003 % (SIZE / 8)) + 1 }) do
      if s:sub(pos, pos + 7) ~= tg then content_ok = false end
    end
    if s:byte(-1) ~= tg:byte(-1) then content_ok = false end
  end
  t.ok(lengths_ok, 'every string is exactly 64 MiB long')
  t.ok(content_ok, 'every string holds its own repeated tag at the start, the end and inside')
  t.ok(blocks[1] ~= blocks[2], 'the blocks are distinct strings')

  t.section '§2.5 more than 2 GiB of live data'
  full_gc()
  local live = collectgarbage('count')
  t.ok(live - base >= KB_2GIB, 'collectgarbage("count") shows more than 2 GiB in use after a full collection',
       string.format('  base %.0f KB, live %.0f KB', base, live))
  t.ok(live - base >= COUNT * SIZE / 1024, 'at least the size of all the strings',
       string.format('  expected at least %.0f KB more', COUNT * SIZE / 1024))
  -- the data survived the collection intact
  local survived = true
  for i = 1, COUNT do
    if #blocks[i] ~= SIZE or blocks[i]:sub(-8) ~= tag(i) then survived = false end
  end
  t.ok(survived, 'the strings survive full collections intact')
  -- a search through the whole heap of data
  local found = blocks[COUNT]:find(tag(COUNT - 1), 1, true)
  t.is(found, nil, 'a plain find scans 64 MiB without a false match')
  local s, e = blocks[COUNT]:find(tag(COUNT), SIZE - 15, true)
  t.ok(s == SIZE - 15 and e == SIZE - 8, 'and finds a match near the end')

  t.section '§2.5 dropping the data gives the memory back'
  blocks = nil
  full_gc()
  local after = collectgarbage('count')
  t.ok(after < base + 64 * 1024, 'after dropping the strings the count falls back near the start',
       string.format('  base %.0f KB, after %.0f KB', base, after))
else
  t.skip('the strings could not be built', 8)
end

t.done_testing()
