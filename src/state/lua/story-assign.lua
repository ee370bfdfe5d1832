-- One atomic step per article: pick its story, index it, and update the story's aggregates, so no crash
-- or concurrent copy can leave a member without its aggregates (or count it twice on a retry).
--
-- The choice is `StoryClusters`': among earlier members within the window that share a band with the
-- article, the most similar (overlap of shingle hashes over the smaller set) at or above the threshold,
-- the older one on a tie; else the article starts a story of its own.
--
-- Bands live in one hash per generation (`<p>bands:<gen>`, field: the band, value: member ids separated
-- by spaces), so a band costs a hash field instead of a key of its own, and the article's bands are read
-- with one HMGET per generation and written with one HSET. A generation spans ARGV[9] ms and expires a
-- window after it ends; lookups read every generation the window overlaps. A band hash of the current
-- generation whose expiry is set carries the field `ttl` (bands start with `h` or `b`), read with the
-- lookup, so the expiry is set once per hash rather than once per article.
--
-- KEYS[1]: the article's member key.
-- ARGV: [1] story key prefix (`<prefix>:story:`), [2] article id, [3] feed id, [4] link, [5] title,
-- [6] shingle hashes (4 bytes each, distinct), [7] min overlap, [8] window ms, [9] generation ms,
-- [10] now ms, [11] max sources counted, [12] max links kept, [13] max members per band, [14..] bands.
local p, articleId, link = ARGV[1], ARGV[2], ARGV[4]
local window, genMs, now = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local maxSources, maxLinks, maxBandMembers = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local FIRST_BAND = 14
local bands = { unpack(ARGV, FIRST_BAND) }

local existing = redis.call('GET', KEYS[1])
if existing then
  local storyId = cmsgpack.unpack(existing)
  local hash = p .. storyId
  local out = { storyId, storyId == articleId and 1 or 0, redis.call('SCARD', hash .. ':sources'), tonumber(redis.call('HGET', hash, 'articles') or '0') }
  for _, kept in ipairs(redis.call('LRANGE', hash .. ':links', 0, -1)) do out[#out + 1] = kept end
  return out
end

local mine = ARGV[6]
-- The article's own hashes as a set, built once for all its candidates (on the first one): each candidate's
-- hashes are then only looked up in it. Both lists hold distinct hashes, so the count shared is the same
-- from either side, and the overlap is over the smaller list as before.
local mySet
local function sharedWithMine(theirs)
  if not mySet then
    mySet = {}
    for i = 1, #mine, 4 do mySet[string.sub(mine, i, i + 3)] = true end
  end
  local shared = 0
  for j = 1, #theirs, 4 do if mySet[string.sub(theirs, j, j + 3)] then shared = shared + 1 end end
  return shared
end

local gen = math.floor(now / genMs)
local oldestGen = math.floor((now - window) / genMs)
local currentKey = p .. 'bands:' .. gen
-- Members per generation, band by band; the current generation's are kept for the write below, with
-- whether its hash has its expiry set.
local found, timed = {}, false
if #bands > 0 then
  for g = oldestGen, gen do
    if g == gen then
      local reply = redis.call('HMGET', currentKey, 'ttl', unpack(bands))
      timed = reply[1] ~= false
      table.remove(reply, 1)
      found[g] = reply
    else
      found[g] = redis.call('HMGET', p .. 'bands:' .. g, unpack(bands))
    end
  end
end

-- Candidates in the order StoryClusters meets them: band by band, oldest generation first.
local bestId, bestSim, bestAt = nil, -1, 0
local considered = {}
for i = 1, #bands do
  for g = oldestGen, gen do
    local members = found[g][i]
    if members then
      for candidate in string.gmatch(members, '%S+') do
        if not considered[candidate] then
          considered[candidate] = true
          -- A member whose key expired is outside the window.
          local raw = redis.call('GET', p .. 'member:' .. candidate)
          if raw then
            local storyId, at, theirs = cmsgpack.unpack(raw)
            local smaller = math.min(#mine, #theirs)
            local sim = 0
            if smaller > 0 then sim = sharedWithMine(theirs) / (smaller / 4) end
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
-- Refuse before writing anything, so a failed step leaves nothing half-done for its retry: each story
-- key's first command is a read or the step's first write, and fails on a key of the wrong type.
local function failed(reply, key)
  if type(reply) == 'table' and reply.err then
    local kind = redis.call('TYPE', key).ok
    if kind ~= 'none' and kind ~= ({ [hash] = 'hash', [sources] = 'set', [links] = 'list' })[key] then
      return redis.error_reply('WRONGTYPE story key ' .. key .. ' holds a ' .. kind)
    end
    return reply
  end
end
local sourceCount = redis.pcall('SCARD', sources)
local err = failed(sourceCount, sources)
if err then return err end
local linkCount = redis.pcall('LLEN', links)
err = failed(linkCount, links)
if err then return err end
if storyId == articleId then
  err = failed(redis.pcall('HSET', hash, 'first', articleId, 'firstSeen', now, 'title', ARGV[5]), hash)
  if err then return err end
end
local articles = redis.pcall('HINCRBY', hash, 'articles', 1)
err = failed(articles, hash)
if err then return err end

redis.call('PEXPIRE', hash, window)
if sourceCount < maxSources then sourceCount = sourceCount + redis.call('SADD', sources, ARGV[3]) end
redis.call('PEXPIRE', sources, window)
local pushed = link ~= '' and linkCount < maxLinks
if pushed then redis.call('RPUSH', links, link) end
redis.call('PEXPIRE', links, window)

if #bands > 0 then
  local current = found[gen]
  local write = {}
  for i, band in ipairs(bands) do
    local members = current[i]
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
    write[#write + 1] = band
    write[#write + 1] = members
  end
  if timed then
    redis.call('HSET', currentKey, unpack(write))
  else
    local expiresAt = (gen + 1) * genMs + window
    redis.call('HSET', currentKey, 'ttl', expiresAt, unpack(write))
    redis.call('PEXPIREAT', currentKey, expiresAt)
  end
end
redis.call('SET', KEYS[1], cmsgpack.pack(storyId, now, mine), 'PX', window)

local out = { storyId, storyId == articleId and 1 or 0, sourceCount, articles }
-- A list that was empty holds at most the link just pushed: no need to read it back.
local kept = linkCount == 0 and (pushed and { link } or {}) or redis.call('LRANGE', links, 0, -1)
for _, l in ipairs(kept) do out[#out + 1] = l end
return out
