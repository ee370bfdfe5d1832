import { describe, expect, it } from 'vitest';
import { articleId, normaliseLink } from '../../../src/articles/identity.js';

describe('normaliseLink', () => {
  it('lower-cases scheme and host, drops fragment, default port and tracking parameters, sorts the rest', () => {
    expect(normaliseLink('HTTPS://News.Example.COM:443/World/Story?utm_source=rss&b=2&fbclid=x&a=1&gclid=y&mc_cid=1&mc_eid=2#top')).toBe(
      'https://news.example.com/World/Story?a=1&b=2',
    );
    expect(normaliseLink('http://example.com:80/a?utm_medium=x')).toBe('http://example.com/a');
    expect(normaliseLink('http://example.com:8080/a')).toBe('http://example.com:8080/a');
  });

  it('returns non-URLs trimmed and unchanged', () => {
    expect(normaliseLink('  not a url ')).toBe('not a url');
  });
});

describe('articleId', () => {
  it('is 22 url-safe characters, never with ":" and never all digits', () => {
    for (let i = 0; i < 200; i++) {
      const id = articleId({ feedId: 'f', guid: String(i) });
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(id).not.toMatch(/^\d+$/);
    }
  });

  it('keeps the id of an edited item (same guid, new title and content)', () => {
    expect(articleId({ feedId: 'f', guid: 'g-1', title: 'Old', content: 'a' })).toBe(
      articleId({ feedId: 'f', guid: 'g-1', title: 'New headline', content: 'b' }),
    );
  });

  it('scopes non-URL guids by feed, so "123" in two feeds is two articles', () => {
    expect(articleId({ feedId: 'a', guid: '123' })).not.toBe(articleId({ feedId: 'b', guid: '123' }));
  });

  it('makes the same article reached through two feeds one article (URL guid or link, tracking removed)', () => {
    const fromGuid = articleId({ feedId: 'a', guid: 'https://News.example.com/story?utm_source=a' });
    const fromLink = articleId({ feedId: 'b', link: 'https://news.example.com/story#comments' });
    expect(fromGuid).toBe(fromLink);
  });

  it('falls back to title and content when there is neither guid nor link', () => {
    const a = articleId({ feedId: 'f', title: 'T', content: 'C' });
    expect(a).toBe(articleId({ feedId: 'f', title: 'T', content: 'C' }));
    expect(a).not.toBe(articleId({ feedId: 'f', title: 'T', content: 'D' }));
  });
});
