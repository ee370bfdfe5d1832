-- Remembers a feed's current listing in front of what the feed showed before, newest listing first,
-- capped: an id stays known while the feed may still show it, then falls off the end.
-- KEYS[1]: the feed's seen list (8-byte ids, concatenated). ARGV[1]: ids of the current listing,
-- ARGV[2]: how many ids to keep at most, ARGV[3]: ttl ms (the list outlives its feed's last fetch by this).
local cap = tonumber(ARGV[2])
local kept, known, n = {}, {}, 0
local function keep(list)
  for i = 1, #list, 8 do
    if n >= cap then return end
    local id = string.sub(list, i, i + 7)
    if not known[id] then
      known[id] = true
      n = n + 1
      kept[n] = id
    end
  end
end
keep(ARGV[1])
keep(redis.call('GET', KEYS[1]) or '')
redis.call('SET', KEYS[1], table.concat(kept), 'PX', ARGV[3])
return n
