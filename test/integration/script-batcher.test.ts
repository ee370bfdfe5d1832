import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stateKeys } from '../../src/state/keys.js';
import { ScriptBatcher } from '../../src/state/script-batcher.js';
import { setBatcher } from '../../src/state/set-batcher.js';
import { StoryStore } from '../../src/state/story-store.js';
import { StoryClusters } from '../../src/stories/story-clusters.js';
import { storyKey } from '../../src/stories/story-key.js';
import { syndicatedCorpus } from '../fixtures/stories/syndicated-copies.js';
import { asArticle } from '../support/story-article.js';

const connections: Redis[] = [];
afterAll(() => connections.forEach((r) => r.disconnect()));

/** A real connection whose commands are counted by name as they go to Redis. */
function countedRedis() {
  const redis = new Redis(inject('redisUrl'));
  connections.push(redis);
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, ...rest) => (sent.push(command.name), send(command, ...rest));
  return { redis, sent };
}

/** routeAlert's arguments for an alert sent now on `channelId` (no throttle, nothing buffered). */
const routeArgs = (keys: ReturnType<typeof stateKeys>, alertId: string, channelId: string, route: object, alert = '') => [
  2,
  keys.routes(alertId),
  keys.digestBuffer(channelId),
  channelId,
  60_000,
  JSON.stringify(route),
  JSON.stringify(route),
  `${alertId}:${channelId}`,
  alert,
];

describe('ScriptBatcher', () => {
  it('runs the story steps of one turn as one command, in order, as the reference procedure assigns them', async () => {
    const { redis, sent } = countedRedis();
    const stories = new StoryStore(redis, stateKeys(`test-${randomUUID()}`), 3_600_000);
    const corpus = syndicatedCorpus(2).slice(0, 60);
    const reference = new StoryClusters();
    const expected = corpus.map((a) => reference.add(a.id, storyKey(a)));
    await redis.ping();
    sent.length = 0;
    const got = await Promise.all(corpus.map((a, i) => stories.assign(asArticle(a, `feed-${i % 5}`))));
    expect(sent).toEqual(['evalsha']);
    expect(got.map((g) => [g.id, g.isNew])).toEqual(expected.map((e) => [e.storyId, e.isNew]));
    expect(new Set(expected.map((e) => e.storyId)).size).toBeLessThan(corpus.length);
    // A lone call goes as itself: the article is already in its story (which has grown since).
    sent.length = 0;
    const again = await stories.assign(asArticle(corpus[7]!, 'feed-2'));
    expect(sent).toEqual(['evalsha']);
    expect(again).toMatchObject({ id: got[7]!.id, isNew: got[7]!.isNew });
  });

  it('gives each call its own reply, nil and error replies included, and an error reply fails that call alone', async () => {
    const { redis } = countedRedis();
    const keys = stateKeys(`test-${randomUUID()}`);
    const batcher = new ScriptBatcher(redis);
    const send = { action: 'send' };
    const buffer = { action: 'buffer', reason: 'digest' };
    const results = await Promise.allSettled([
      batcher.call('routeAlert', routeArgs(keys, 'a1', 'c1', send)),
      // A buffer route without the alert is the script's error reply.
      batcher.call('routeAlert', routeArgs(keys, 'a2', 'c1', buffer)),
      batcher.call('routeAlert', routeArgs(keys, 'a3', 'c1', buffer, '{"alertId":"a3"}')),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: JSON.stringify(send) });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/needs the alert/) } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: JSON.stringify(buffer) });
    expect(await redis.hgetall(keys.digestBuffer('c1'))).toEqual({ 'a3:c1': '{"alertId":"a3"}' });
    expect(await redis.exists(keys.routes('a2'))).toBe(0);
  });

  it('fails every call of a turn whose batch failed; the calls before the failing one have run, and run again safely', async () => {
    const { redis } = countedRedis();
    const keys = stateKeys(`test-${randomUUID()}`);
    const batcher = new ScriptBatcher(redis);
    const send = { action: 'send' };
    // The second call's routes key holds the wrong type: its HGET raises, which ends the whole script.
    await redis.set(keys.routes('a2'), 'not a hash');
    const results = await Promise.allSettled(['a1', 'a2', 'a3'].map((id) => batcher.call('routeAlert', routeArgs(keys, id, 'c1', send))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect([await redis.exists(keys.routes('a1')), await redis.exists(keys.routes('a3'))]).toEqual([1, 0]);
    await redis.del(keys.routes('a2'));
    const again = await Promise.all(['a1', 'a2', 'a3'].map((id) => batcher.call('routeAlert', routeArgs(keys, id, 'c1', send))));
    expect(again).toEqual(Array(3).fill(JSON.stringify(send)));
  });
});

describe('setBatcher', () => {
  it('writes the SETs of one turn in one command, each with its own ttl, and a lone SET as itself', async () => {
    const { redis, sent } = countedRedis();
    const p = `test-${randomUUID()}`;
    const batcher = setBatcher(redis);
    await redis.ping();
    sent.length = 0;
    await Promise.all([
      batcher.add({ key: `${p}:a`, value: 'one', ttlMs: 60_000 }),
      batcher.add({ key: `${p}:b`, value: 'two', ttlMs: 120_000 }),
      batcher.add({ key: `${p}:c`, value: '', ttlMs: 60_000 }),
    ]);
    expect(sent).toEqual(['evalsha']);
    expect(await redis.mget(`${p}:a`, `${p}:b`, `${p}:c`)).toEqual(['one', 'two', '']);
    const ttls = await Promise.all([redis.pttl(`${p}:a`), redis.pttl(`${p}:b`)]);
    expect(ttls[0]).toBeGreaterThan(50_000);
    expect(ttls[0]).toBeLessThanOrEqual(60_000);
    expect(ttls[1]).toBeGreaterThan(110_000);
    sent.length = 0;
    await batcher.add({ key: `${p}:d`, value: 'four', ttlMs: 60_000 });
    expect(sent).toEqual(['set']);
  });

  it('fails every SET of a turn whose write failed, and the next turn writes again', async () => {
    const { redis } = countedRedis();
    const p = `test-${randomUUID()}`;
    const batcher = setBatcher(redis);
    redis.disconnect();
    const results = await Promise.allSettled([
      batcher.add({ key: `${p}:a`, value: '1', ttlMs: 60_000 }),
      batcher.add({ key: `${p}:b`, value: '2', ttlMs: 60_000 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await redis.connect();
    await Promise.all([
      batcher.add({ key: `${p}:a`, value: '1', ttlMs: 60_000 }),
      batcher.add({ key: `${p}:b`, value: '2', ttlMs: 60_000 }),
    ]);
    expect(await redis.mget(`${p}:a`, `${p}:b`)).toEqual(['1', '2']);
  });
});
