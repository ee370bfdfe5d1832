-- Takes a channel's digest buffer for one flush. KEYS[1]: the buffer hash, KEYS[2]: the taking hash.
-- ARGV[1]: the flush id, ARGV[2]: the field that records it. A taking hash left by a flush that never
-- finished is taken again as it is (under that flush's id); otherwise the buffer is renamed to it, so
-- alerts arriving meanwhile wait in a fresh buffer. Returns the taking hash, flush id field included.
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
