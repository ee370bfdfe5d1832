-- A delivery to a channel succeeded: clear its failure record. Returns whether the channel had been
-- reported unhealthy (so a recovery notice is due). KEYS[1]: the channel's health hash.
local unhealthy = redis.call('HGET', KEYS[1], 'unhealthy')
redis.call('HDEL', KEYS[1], 'failingSince', 'lastError', 'unhealthy')
return unhealthy == '1' and 1 or 0
