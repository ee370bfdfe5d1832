import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startDaemon } from '../../src/daemon/daemon.js';
import { HttpListenError } from '../../src/http/server.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer, type FeedItem } from '../support/feed-server.js';
import { freePort } from '../support/free-port.js';
import { findPromtool, PROMTOOL_MISSING, runPromtool } from '../support/promtool.js';
import { spawnRedisServer } from '../support/redis-server.js';
import { runCli } from '../support/run-cli.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const RULES = 'rules:\n  - id: nk\n    name: NK troops\n    query: troops\n    channels: [hook]\n';
const CONSOLE = 'channels:\n  - id: hook\n    type: console\n';

/** One sample of a text exposition; undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const get = (daemon: { httpAddress?: string }, path: string, init?: RequestInit) => fetch(`http://${daemon.httpAddress}${path}`, init);

describe('the operator HTTP endpoints of a running daemon', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function daemonWithFeedAndHook(items: FeedItem[] = []): Promise<{ d: TestDaemon; feed: FeedServer; hook: WebhookReceiver }> {
    const feed = new FeedServer();
    feed.setItems(items);
    const hook = new WebhookReceiver();
    const [feedUrl, hookUrl] = await Promise.all([feed.start(), hook.start()]);
    cleanup.push(
      () => feed.stop(),
      () => hook.stop(),
    );
    const d = await startTestDaemon({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n    interval: 10s\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'rules/nk.yaml': RULES,
    });
    cleanup.push(() => d.stop());
    return { d, feed, hook };
  }

  it('answers /healthz and /readyz, logs where it listens, and /metrics counts a fetch, a match and a delivery', async () => {
    const { d, hook } = await daemonWithFeedAndHook([{ guid: 'm-1', title: 'Troops cross the border', description: 'troops seen' }]);
    expect(d.daemon.httpAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(d.logs.some((l) => l.includes(`"msg":"http listening on ${d.daemon.httpAddress}"`))).toBe(true);

    const health = await get(d.daemon, '/healthz');
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const ready = await get(d.daemon, '/readyz');
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);

    await waitFor('the alert delivery', () => hook.accepted.length === 1, 20_000);
    const metrics = await get(d.daemon, '/metrics');
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(sample(text, 'newswatch_feed_fetches_total{feed="wire",outcome="fetched"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newswatch_feed_consecutive_failures{feed="wire"}')).toBe(0);
    expect(sample(text, 'newswatch_feed_last_success_timestamp_seconds{feed="wire"}')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sample(text, 'newswatch_articles_total{feed="wire"}')).toBe(1);
    expect(sample(text, 'newswatch_rule_matches_total{rule="nk"}')).toBe(1);
    expect(sample(text, 'newswatch_alerts_total{rule="nk",event="alert.matched"}')).toBe(1);
    await waitFor(
      'the delivery to be counted',
      async () =>
        sample(await (await get(d.daemon, '/metrics')).text(), 'newswatch_deliveries_total{channel="hook",outcome="delivered"}') === 1,
    );
    const after = await (await get(d.daemon, '/metrics')).text();
    expect(sample(after, 'newswatch_alert_latency_seconds_count')).toBe(1);
    expect(sample(after, 'newswatch_delivery_duration_seconds_count{channel="hook"}')).toBe(1);
    expect(sample(after, 'newswatch_match_duration_seconds_count')).toBe(1);
    expect(sample(after, 'newswatch_queue_jobs{queue="deliveries",state="failed"}')).toBe(0);
    expect(sample(after, 'newswatch_config_last_reload_successful')).toBe(1);
    expect(after).toMatch(/^newswatch_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
    expect(after).toContain('process_resident_memory_bytes');

    const promtool = findPromtool();
    if (promtool) {
      const check = runPromtool(promtool, ['check', 'metrics'], after);
      expect(check.output).toBe('');
      expect(check.status).toBe(0);
    } else {
      console.log(`promtool check of /metrics skipped: ${PROMTOOL_MISSING}`);
    }
  });

  it('POST /-/reload applies a valid config (200) and rejects an invalid one with every problem (400)', async () => {
    const { d } = await daemonWithFeedAndHook();
    writeFileSync(join(d.dir, 'rules/more.yaml'), 'rules:\n  - id: kursk\n    name: Kursk\n    query: kursk\n    channels: [hook]\n');
    const applied = await get(d.daemon, '/-/reload', { method: 'POST' });
    expect(applied.status).toBe(200);
    const body = (await applied.json()) as { ok: boolean; generation: number };
    expect(body.ok).toBe(true);
    expect(body.generation).toBeGreaterThanOrEqual(2);
    expect(d.daemon.config().ruleById.has('kursk')).toBe(true);

    writeFileSync(
      join(d.dir, 'rules/bad.yaml'),
      'rules:\n  - id: bad\n    name: Bad\n    query: "troops AND ("\n    channels: [nowhere]\n',
    );
    const rejected = await get(d.daemon, '/-/reload', { method: 'POST' });
    expect(rejected.status).toBe(400);
    const problems = ((await rejected.json()) as { ok: boolean; problems: string[] }).problems;
    expect(problems.some((p) => p.startsWith('rules/bad.yaml:4'))).toBe(true);
    expect(problems.some((p) => p.startsWith('rules/bad.yaml:5') && p.includes('nowhere'))).toBe(true);
    expect(d.daemon.config().ruleById.has('kursk')).toBe(true); // the last good config keeps running
    const text = await (await get(d.daemon, '/metrics')).text();
    expect(sample(text, 'newswatch_config_last_reload_successful')).toBe(0);
    expect(sample(text, 'newswatch_config_reloads_total{result="failure"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newswatch_config_reloads_total{result="success"}')).toBeGreaterThanOrEqual(1);

    expect((await get(d.daemon, '/-/reload')).status).toBe(405);
  });

  it('/readyz turns 503 with the reason while its Redis is down, and 200 again when it is back', async () => {
    const port = await freePort();
    const redisArgs = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    let redis: ChildProcess | undefined = await spawnRedisServer(redisArgs, port);
    cleanup.push(() => redis?.kill('SIGKILL'));
    const dir = writeConfigDir({ 'feeds.yaml': 'feeds: []\n', 'channels.yaml': CONSOLE, 'rules/nk.yaml': RULES });
    const daemon = await startDaemon({
      configDir: dir,
      log: pino({ level: 'silent' }),
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      watchConfig: false,
      http: '127.0.0.1:0',
    });
    cleanup.push(() => daemon.stop());
    expect((await get(daemon, '/readyz')).status).toBe(200);

    redis.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));
    redis = undefined;
    let answer: { status: number; body: { ready: boolean; reasons: string[] } } | undefined;
    await waitFor('/readyz to report Redis down', async () => {
      const res = await get(daemon, '/readyz');
      answer = { status: res.status, body: (await res.json()) as { ready: boolean; reasons: string[] } };
      return answer.status === 503;
    });
    expect(answer!.body.ready).toBe(false);
    expect(answer!.body.reasons.some((r) => r.startsWith('redis: '))).toBe(true);
    expect((await get(daemon, '/healthz')).status).toBe(200); // alive, only not ready

    redis = await spawnRedisServer(redisArgs, port);
    await waitFor('/readyz to be 200 again', async () => (await get(daemon, '/readyz')).status === 200);
  });

  it('refuses to listen beyond loopback without http.auth, and checks a bearer token or a basic-auth password when set', async () => {
    const files = { 'feeds.yaml': 'feeds: []\n', 'channels.yaml': CONSOLE, 'rules/nk.yaml': RULES };
    const start = (settings: string, env: NodeJS.ProcessEnv = {}) =>
      startDaemon({
        configDir: writeConfigDir({ ...files, 'settings.yaml': settings }),
        log: pino({ level: 'silent' }),
        env: { REDIS_URL: inject('redisUrl'), ...env },
        watchConfig: false,
      });

    const open = start('http: { listen: "0.0.0.0:0" }\n');
    await expect(open).rejects.toThrow(HttpListenError);
    await expect(open).rejects.toThrow(/refusing to serve HTTP on 0\.0\.0\.0:0 without authentication: set http\.auth/);

    const token = 'a-long-enough-test-token-1234';
    const bearer = await start('http:\n  listen: "0.0.0.0:0"\n  auth: { bearer_token: "${NW_TOKEN}" }\n', { NW_TOKEN: token });
    cleanup.push(() => bearer.stop());
    const at = { httpAddress: bearer.httpAddress!.replace('0.0.0.0', '127.0.0.1') };
    expect((await get(at, '/healthz')).status).toBe(200);
    expect((await get(at, '/readyz')).status).toBe(200);
    const denied = await get(at, '/metrics');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toContain('Bearer');
    expect((await get(at, '/metrics', { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    expect((await get(at, '/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await get(at, '/-/reload', { method: 'POST' })).status).toBe(401);

    const hash = bcrypt.hashSync('s3cret pass', 4);
    const basic = await start('http:\n  listen: "127.0.0.1:0"\n  auth: { basic: { user: ops, password_hash: "${NW_HASH}" } }\n', {
      NW_HASH: hash,
    });
    cleanup.push(() => basic.stop());
    const as = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    expect((await get(basic, '/metrics', { headers: as('ops', 'wrong') })).status).toBe(401);
    expect((await get(basic, '/metrics', { headers: as('root', 's3cret pass') })).status).toBe(401);
    expect((await get(basic, '/metrics', { headers: as('ops', 's3cret pass') })).status).toBe(200);
  });

  it('serves the bull-board queue UI at /queues only when asked: read-only by default, actions with write', async () => {
    const files = { 'feeds.yaml': 'feeds: []\n', 'channels.yaml': CONSOLE, 'rules/nk.yaml': RULES };
    const start = async (ui: string) => {
      const daemon = await startDaemon({
        configDir: writeConfigDir({
          ...files,
          'settings.yaml': `redis: { prefix: test-ui-${randomUUID()} }\nhttp: { queues_ui: ${ui} }\n`,
        }),
        log: pino({ level: 'silent' }),
        env: { REDIS_URL: inject('redisUrl') },
        watchConfig: false,
        http: '127.0.0.1:0',
      });
      cleanup.push(() => daemon.stop());
      return daemon;
    };
    expect((await get(await start('off'), '/queues')).status).toBe(404);

    const read = await start('read');
    const page = await get(read, '/queues');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('newswatch queues');
    const listed = (await (await get(read, '/queues/api/queues')).json()) as { queues: Array<{ name: string; readOnlyMode: boolean }> };
    expect(listed.queues.map((q) => q.name).sort()).toEqual(['alerts', 'articles', 'deliveries', 'digests', 'fetch']);
    expect(listed.queues.every((q) => q.readOnlyMode)).toBe(true);
    expect((await get(read, '/queues/api/queues/deliveries/retry/failed', { method: 'PUT' })).status).toBe(405);

    const write = await start('write');
    expect((await get(write, '/queues/api/queues/deliveries/retry/failed', { method: 'PUT' })).status).toBe(200);
  });

  it('says clearly when the port is taken: in-process an HttpListenError, as a process exit 2 without a stack trace', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => busy.close(r)));
    const taken = `127.0.0.1:${(busy.address() as { port: number }).port}`;
    const dir = writeConfigDir({ 'feeds.yaml': 'feeds: []\n', 'channels.yaml': CONSOLE, 'rules/nk.yaml': RULES });

    await expect(
      startDaemon({
        configDir: dir,
        log: pino({ level: 'silent' }),
        env: { REDIS_URL: inject('redisUrl') },
        watchConfig: false,
        http: taken,
      }),
    ).rejects.toThrow(`cannot listen on ${taken}: the address is already in use`);

    const run = runCli(['start', '--config', dir, '--http', taken], { REDIS_URL: inject('redisUrl') });
    cleanup.push(() => run.child.kill('SIGKILL'));
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain(`cannot listen on ${taken}: the address is already in use (another newswatch process?)`);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });
});
