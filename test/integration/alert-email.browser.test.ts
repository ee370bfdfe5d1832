import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PRESENT, launchChromium } from '../support/chromium.js';
import { renderEmail } from '../../src/alerts/channels/email.js';
import type { Message } from '../../src/alerts/message.js';
import { bigDigest, hostileAlert, normalAlert, seoulReaders } from '../unit/alerts/alert-fixtures.js';

// Screenshots are kept for people to look at (gitignored): artifacts/email/<case>-<width>.png.
const ARTIFACTS = resolve('artifacts/email');

const cases: Record<string, Message> = { normal: normalAlert, hostile: hostileAlert, digest50: bigDigest() };

describe.skipIf(!CHROMIUM_PRESENT)('the alert email in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const [name, message] of Object.entries(cases)) {
    for (const width of [600, 375]) {
      it(`${name} at ${width} px: no horizontal scroll, headline and matched terms visible, nothing fetched`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        // The email must stand alone: any request it makes (images, fonts, CSS) is a failure.
        const requests: string[] = [];
        page.on('request', (req) => void (req.url().startsWith('data:') || requests.push(req.url())));
        await page.setContent(renderEmail(message, undefined, seoulReaders).html, { waitUntil: 'load' });
        expect(await page.evaluate('window.innerWidth')).toBe(width);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        const headline = page.locator('h1').first();
        await expect(headline.isVisible()).resolves.toBe(true);
        const box = (await headline.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        if (message.kind === 'alert') {
          const marks = page.locator('mark');
          expect(await marks.count()).toBeGreaterThan(0);
          for (const mark of await marks.all()) {
            expect(await mark.isVisible()).toBe(true);
            const m = (await mark.boundingBox())!;
            expect(m.x + m.width).toBeLessThanOrEqual(width);
          }
          // The matched terms are the ones the rule matched, highlighted in "why it matched".
          const highlighted = await marks.allTextContents();
          for (const term of message.alert.match.matched) expect(highlighted).toContain(term);
        } else {
          // A digest: every item is a visible link, one line each.
          expect(await page.locator('h2').count()).toBe(2);
          expect(await page.locator('td a[title]').count()).toBe(50);
        }
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
        expect(requests).toEqual([]);
        await page.close();
      });
    }
  }
});
