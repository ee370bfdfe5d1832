-- Claims a feed's fetch slot. KEYS[1]: the feed's claim key. ARGV[1]: the slot (epoch ms), ARGV[2]: ttl ms.
-- The stored slot decides, not whether the key still lives: a claim's TTL counts from when the worker
-- read its clock, so under load the claim of one slot outlives it by a round trip or more, and a SET NX
-- would then turn the next slot's job away (the slot goes unfetched). Returns 1 when claimed, 0 when this
-- slot or a later one was claimed already.
local held = tonumber(redis.call('GET', KEYS[1]))
if held and held >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
