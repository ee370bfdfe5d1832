-- Plain SET ... PX of many keys in one call (see `SetBatcher`). KEYS: the keys. ARGV: per key, its
-- value and its ttl in ms.
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[2 * i - 1], 'PX', ARGV[2 * i])
end
return #KEYS
