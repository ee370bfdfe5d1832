import { describe, expect, it } from 'vitest';
import { freshFor } from '../../../src/feeds/fetch/feed-fetcher.js';
import { hostKey } from '../../../src/net/host-key.js';

describe('hostKey', () => {
  it('keys feeds by host and port, case-insensitively; local files are not limited', () => {
    expect(hostKey('https://Feeds.Example.org/a.xml')).toBe('feeds.example.org');
    expect(hostKey('http://127.0.0.1:8080/x')).toBe('127.0.0.1:8080');
    expect(hostKey('/var/feeds/a.xml')).toBeUndefined();
  });
});

describe('freshFor', () => {
  it('takes max-age over Expires, and Expires relative to the server Date', () => {
    expect(freshFor('public, max-age=600', 'Thu, 01 Jan 2099 00:00:00 GMT', undefined)).toBe(600_000);
    expect(freshFor(undefined, 'Thu, 01 Jan 2026 01:00:00 GMT', 'Thu, 01 Jan 2026 00:00:00 GMT')).toBe(3_600_000);
    expect(freshFor('no-cache', undefined, undefined)).toBe(0);
    expect(freshFor(undefined, 'garbage', undefined)).toBeUndefined();
  });
});
