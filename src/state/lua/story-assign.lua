-- One atomic step per article: pick its story, index it, and update the story's aggregates, so no crash
-- or concurrent copy can leave a member without its aggregates (or count it twice on a retry).
--
-- The choice is `StoryClusters`': among earlier members within the window that share a band with the
-- article, the most similar (overlap of shingle hashes over the smaller set) at or above the threshold,
-- the older one on a tie; else the article starts a story of its own.
--
-- Bands live in hashes per generation and bucket (`<p>bands:<gen>:<bucket>`, field: the band, value:
-- member ids separated by spaces), so a band costs a hash field instead of a key of its own. A generation
-- spans ARGV[9] ms and expires a window after it ends; lookups read every generation the window overlaps.
-- A band hash of the current generation whose expiry is set carries the field `ttl` (bands start with
-- `h` or `b`), read with the lookup, so the expiry is set once per hash rather than once per article.
--
-- KEYS[1]: the article's member key.
-- ARGV: [1] story key prefix (`<prefix>:story:`), [2] article id, [3] feed id, [4] link, [5] title,
-- [6] shingle hashes (4 bytes each, distinct), [7] min overlap, [8] window ms, [9] generation ms,
-- [10] now ms, [11] max sources counted, [12] max links kept, [13] max members per band,
-- [14..] band buckets and bands, in pairs.
local p, articleId = ARGV[1], ARGV[2]
local window, genMs, now = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local maxSources, maxLinks, maxBandMembers = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])

local function result(storyId, isNew)
  local hash = p .. storyId
  local out = { storyId, isNew, redis.call('SCARD', hash .. ':sources'), tonumber(redis.call('HGET', hash, 'articles') or '0') }
  for _, link in ipairs(redis.call('LRANGE', hash .. ':links', 0, -1)) do out[#out + 1] = link end
  return out
end

local existing = redis.call('GET', KEYS[1])
if existing then
  local storyId = cmsgpack.unpack(existing)
  return result(storyId, storyId == articleId and 1 or 0)
end

local mine = ARGV[6]
local function hashSet(packed)
  local set = {}
  for i = 1, #packed, 4 do set[string.sub(packed, i, i + 3)] = true end
  return set
end

local gen = math.floor(now / genMs)
local oldestGen = math.floor((now - window) / genMs)
local bestId, bestSim, bestAt = nil, -1, 0
local considered = {}
-- What the lookup found in the current generation, for the write below: members per band, and
-- which hashes have their expiry set.
local current, timed = {}, {}
for i = 14, #ARGV, 2 do
  local bucket, band = ARGV[i], ARGV[i + 1]
  for g = oldestGen, gen do
    local key = p .. 'bands:' .. g .. ':' .. bucket
    local members
    if g == gen then
      local found = redis.call('HMGET', key, band, 'ttl')
      members = found[1] or nil
      current[band] = members
      if found[2] then timed[key] = true end
    else
      members = redis.call('HGET', key, band)
    end
    if members then
      for candidate in string.gmatch(members, '%S+') do
        if not considered[candidate] then
          considered[candidate] = true
          -- A member whose key expired is outside the window.
          local raw = redis.call('GET', p .. 'member:' .. candidate)
          if raw then
            local storyId, at, theirs = cmsgpack.unpack(raw)
            local small, large = mine, theirs
            if #large < #small then small, large = large, small end
            local sim = 0
            if #small > 0 then
              local inLarge = hashSet(large)
              local shared = 0
              for j = 1, #small, 4 do if inLarge[string.sub(small, j, j + 3)] then shared = shared + 1 end end
              sim = shared / (#small / 4)
            end
            if sim >= tonumber(ARGV[7]) and (sim > bestSim or (sim == bestSim and at < bestAt)) then
              bestId, bestSim, bestAt = storyId, sim, at
            end
          end
        end
      end
    end
  end
end

local storyId = bestId or articleId
local hash = p .. storyId
local sources, links = hash .. ':sources', hash .. ':links'
-- Refuse before writing anything: a failed step must leave nothing half-done for its retry.
for _, key in ipairs({ hash, sources, links }) do
  local t = redis.call('TYPE', key).ok
  if t ~= 'none' and t ~= ({ [hash] = 'hash', [sources] = 'set', [links] = 'list' })[key] then
    return redis.error_reply('WRONGTYPE story key ' .. key .. ' holds a ' .. t)
  end
end

if storyId == articleId then redis.call('HSET', hash, 'first', articleId, 'firstSeen', now, 'title', ARGV[5]) end
redis.call('HINCRBY', hash, 'articles', 1)
redis.call('PEXPIRE', hash, window)
if redis.call('SCARD', sources) < maxSources then redis.call('SADD', sources, ARGV[3]) end
redis.call('PEXPIRE', sources, window)
if ARGV[4] ~= '' and redis.call('LLEN', links) < maxLinks then redis.call('RPUSH', links, ARGV[4]) end
redis.call('PEXPIRE', links, window)

local expiresAt = (gen + 1) * genMs + window
for i = 14, #ARGV, 2 do
  local key, band = p .. 'bands:' .. gen .. ':' .. ARGV[i], ARGV[i + 1]
  local members = current[band]
  if members then
    -- Keep the newest members of a band that recurs (a standing headline), so its lookups stay cheap.
    local kept = {}
    for m in string.gmatch(members, '%S+') do kept[#kept + 1] = m end
    while #kept >= maxBandMembers do table.remove(kept, 1) end
    kept[#kept + 1] = articleId
    members = table.concat(kept, ' ')
  else
    members = articleId
  end
  current[band] = members
  if timed[key] then
    redis.call('HSET', key, band, members)
  else
    redis.call('HSET', key, band, members, 'ttl', expiresAt)
    redis.call('PEXPIREAT', key, expiresAt)
    timed[key] = true
  end
end
redis.call('SET', KEYS[1], cmsgpack.pack(storyId, now, mine), 'PX', window)
return result(storyId, storyId == articleId and 1 or 0)
