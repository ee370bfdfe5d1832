-- The route of one alert on one channel, decided once and counted in the same step, so a retried
-- dispatch neither decides again nor counts the alert against a throttle twice. An alert routed to the
-- digest buffer is put there in the same step: a retry finds the route stored and writes nothing, so a
-- digest flushed between the two cannot take the alert a second time.
-- KEYS[1]: the alert's routes hash; KEYS[2]: the channel's digest buffer; KEYS[3..]: the throttle window
-- counters that apply.
-- ARGV[1]: channel id; ARGV[2]: routes ttl ms; ARGV[3]: the route when every window has room;
-- ARGV[4]: the route when one is full; ARGV[5]: the buffer field (delivery id); ARGV[6]: the buffered
-- alert (JSON; empty when neither route buffers); then per counter: its max, its ttl ms.
-- Returns the route (JSON) stored for the channel.
local known = redis.call('HGET', KEYS[1], ARGV[1])
if known then return known end
local route = ARGV[3]
for i = 3, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[2 * i + 1]) then
    route = ARGV[4]
    break
  end
end
local buffers = cjson.decode(route).action == 'buffer'
if buffers and ARGV[6] == '' then return redis.error_reply('route-alert: a buffer route needs the alert') end
-- The route first: if storing it fails, nothing was counted or buffered either.
redis.call('HSET', KEYS[1], ARGV[1], route)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if buffers then redis.call('HSET', KEYS[2], ARGV[5], ARGV[6]) end
-- Only an alert that goes out uses up room in its windows.
if route == ARGV[3] then
  for i = 3, #KEYS do
    redis.call('INCR', KEYS[i])
    redis.call('PEXPIRE', KEYS[i], ARGV[2 * i + 2])
  end
end
return route
