import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PRESENT, launchChromium } from '../support/chromium.js';
import { FeedServer } from '../support/feed-server.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ARTIFACTS = resolve('artifacts');
/** Feed-provided text that would run if the page did not escape it. */
const XSS_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> Troops cross the border';
/** How a feed writes that title: its titles are HTML, so markup meant as text comes entity-encoded. */
const XSS_TITLE_IN_FEED = XSS_TITLE.replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe.skipIf(!CHROMIUM_PRESENT)('the status page in headless Chromium', () => {
  let browser: Browser;
  let d: TestDaemon;
  const servers: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    const wire = new FeedServer();
    wire.setItems([{ guid: 'xss-1', title: XSS_TITLE_IN_FEED, description: 'troops seen', link: 'http://example.test/story?a=1&b=2' }]);
    const down = new FeedServer();
    down.handler = (_req, res) => void res.writeHead(500).end('boom');
    const hook = new WebhookReceiver();
    const broken = new WebhookReceiver();
    broken.respond = () => 500;
    const [wireUrl, downUrl, hookUrl, brokenUrl] = await Promise.all([wire.start(), down.start(), hook.start(), broken.start()]);
    servers.push(wire, down, hook, broken);
    d = await startTestDaemon(
      {
        'feeds.yaml': `feeds:\n  - id: wire\n    url: ${wireUrl}\n  - id: down\n    url: ${downUrl}\n`,
        'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n  - id: broken\n    type: webhook\n    url: ${brokenUrl}\n`,
        'rules/nk.yaml':
          'rules:\n  - id: nk\n    name: NK troops\n    query: troops\n    channels: [hook, broken]\n  - id: quiet\n    name: Never\n    query: zeppelin\n    channels: [hook]\n',
      },
      // One failure makes a feed a problem, so the page has something to report.
      'delivery: { retry_schedule: [1h] }\nhttp: { refresh: 5s }\nhealth: { feed_failures: 1 }\n',
    );
    await waitFor(
      'the alert on hook and a failed attempt on broken',
      () => hook.accepted.length >= 1 && broken.requests.length >= 1,
      20_000,
    );
    await waitFor('the failing feed to be recorded', async () =>
      (await d.daemon.status()).feeds.records.some((f) => f.id === 'down' && f.health === 'failing'),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await d?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('shows feeds, alerts, queues, failing deliveries and rule hits on a phone-sized screen, with feed text escaped', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => void (dialogs.push(dialog.message()), dialog.dismiss()));
    const response = await page.goto(`http://${d.daemon.httpAddress}/`);
    expect(response?.status()).toBe(200);

    expect(await page.getAttribute('meta[http-equiv="refresh"]', 'content')).toBe('5');
    expect(await page.locator('#generation').textContent()).toBe('1');
    expect(await page.locator('#verdict').textContent()).toBe('degraded');
    expect(await page.locator('#reasons li').allTextContents()).toEqual([
      expect.stringMatching(/^feed down failed 1 times in a row: HTTP 500 from http:\/\/127\.0\.0\.1:/),
    ]);

    const feedRows = await page.locator('#feeds tbody tr').allInnerTexts();
    expect(feedRows).toHaveLength(2);
    expect(feedRows[0]).toMatch(/^down\tfailing ×1\t(now|.+ ago)\t1\tHTTP 500/); // the failing feed first
    expect(feedRows[1]).toMatch(/^wire\tok\t/);

    // The title shows as the text it is: no element was made of it and nothing ran.
    const link = page.locator('#alerts tbody a');
    expect(await link.textContent()).toBe(XSS_TITLE);
    expect(await link.getAttribute('href')).toBe('http://example.test/story?a=1&b=2');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    const chips = await page.locator('#alerts tbody .chip').allTextContents();
    expect(chips.sort()).toEqual(['broken: failing', 'hook: delivered']);

    expect(await page.locator('#queues tbody tr').count()).toBe(5);
    expect(await page.locator('#queues tbody tr', { hasText: 'deliveries' }).count()).toBe(1);
    const failing = await page.locator('#failing tbody tr').allInnerTexts();
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatch(/^broken\tnk\t.*Troops cross the border\tretrying after 1\t/);
    const rules = await page.locator('#rules tbody tr').allInnerTexts();
    expect(rules).toEqual(['nk\tNK troops\t1', 'quiet\tNever\t0']);

    // Readable on a phone: nothing but the tables' own scroll boxes is wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    writeFileSync(join(ARTIFACTS, 'status-page-phone.png'), await page.screenshot({ fullPage: true }));
    await page.close();
  });

  it('shows a rejected reload with its problems, and the new generation after a good one', async () => {
    writeFileSync(join(d.dir, 'rules/bad.yaml'), 'rules:\n  - id: bad\n    name: Bad\n    query: troops\n    channels: [nowhere]\n');
    expect((await fetch(`http://${d.daemon.httpAddress}/-/reload`, { method: 'POST' })).status).toBe(400);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`http://${d.daemon.httpAddress}/`);
    expect(await page.locator('#last-reload').textContent()).toContain('last reload rejected');
    expect(await page.locator('#reload-problems li').allTextContents()).toEqual([
      expect.stringMatching(/^rules\/bad\.yaml:5 rules\[0\]\.channels\[0\]: unknown channel "nowhere"/),
    ]);
    writeFileSync(join(ARTIFACTS, 'status-page-desktop.png'), await page.screenshot({ fullPage: true }));

    writeFileSync(join(d.dir, 'rules/bad.yaml'), 'rules: []\n');
    const applied = (await (await fetch(`http://${d.daemon.httpAddress}/-/reload`, { method: 'POST' })).json()) as { generation: number };
    await page.reload();
    // The directory watcher may have applied the same edit once more by now.
    expect(Number(await page.locator('#generation').textContent())).toBeGreaterThanOrEqual(applied.generation);
    expect(applied.generation).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#last-reload').textContent()).toContain('last reload applied');
    await page.close();
  });
});
