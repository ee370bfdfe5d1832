-- Per matched rule of one article: has this (rule, article) alerted before, and if not, which alert
-- of its story does the article claim. A newly taken claim writes its alert's history line in the
-- same step, so a retried match job (one that died after queueing its alerts) never writes it twice.
-- KEYS[1]: the alert history stream; then per rule: its ledger key, its story's first-alert claim,
-- its story's follow-up claim.
-- ARGV[1]: article id; ARGV[2]: claim ttl ms; ARGV[3]: history max length; then per rule: '1' when
-- the story has reached the rule's follow_up sources, the history line of the first alert, of the
-- follow-up.
-- Returns per rule: 0 alerted before, 1 the story's first alert, 2 its follow-up, 3 no alert (the
-- story already alerted for the rule).
local function claim(key, entry)
  local holder = redis.call('GET', key)
  if holder then return holder == ARGV[1] end
  -- The history line first: should the claim then fail, a retry writes the line again (a duplicate
  -- line is folded into one alert when read) rather than never.
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'e', entry)
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  return true
end

local outcomes = {}
for r = 0, (#KEYS - 1) / 3 - 1 do
  local ledger, first, follow = KEYS[2 + 3 * r], KEYS[3 + 3 * r], KEYS[4 + 3 * r]
  local followDue, firstEntry, followEntry = ARGV[4 + 3 * r], ARGV[5 + 3 * r], ARGV[6 + 3 * r]
  local outcome = 3
  if redis.call('EXISTS', ledger) == 1 then
    outcome = 0
  elseif claim(first, firstEntry) then
    outcome = 1
  elseif followDue == '1' and claim(follow, followEntry) then
    outcome = 2
  end
  outcomes[r + 1] = outcome
end
return outcomes
