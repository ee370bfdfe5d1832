import { describe, expect, it } from 'vitest';
import { htmlToText, plainText } from '../../../src/feeds/parse/html-text.js';

describe('htmlToText', () => {
  it('drops tags, decodes entities (named HTML ones too) and collapses whitespace', () => {
    expect(htmlToText('<p>Kim&nbsp;Jong&hellip; <b>un</b>usual &amp; &eacute;t&eacute; &#8217;x&#x2019;</p>\n\n<p>next</p>')).toBe(
      'Kim Jong\u2026 unusual & \u00e9t\u00e9 \u2019x\u2019 next',
    );
  });

  it('drops script, style and comments but keeps the text around them', () => {
    expect(htmlToText('a<script type="text/javascript">alert("<b>x</b>")</script>b<style>p{}</style> c<!-- hidden --> d')).toBe('ab c d');
  });

  it('separates block elements but not inline ones', () => {
    expect(htmlToText('<div>one</div><div>two</div>un<i>usual</i><br/>three')).toBe('one two unusual three');
  });

  it('keeps a "<" that opens no tag and handles ">" inside attribute values', () => {
    expect(htmlToText('a < b and <a title="x > y" href="/">link</a>')).toBe('a < b and link');
  });

  it('survives broken markup without hiding the rest of the text', () => {
    expect(htmlToText('safe<object classid="x"> description')).toBe('safe description');
    expect(htmlToText('sa<!-- -- x >fe')).toBe('safe');
    expect(htmlToText('text <a href="unterminated')).toBe('text');
  });

  // Each input is 200,000 constructs that a scan-to-the-end per construct would make quadratic (hours);
  // linear, they take milliseconds. The test timeout is the guard, not an assertion on elapsed time.
  it('is linear on hostile input', () => {
    const n = 200_000;
    expect(htmlToText('<'.repeat(n))).toBe('<'.repeat(n));
    expect(htmlToText(`x${'<a '.repeat(n)}`)).toBe('x');
    expect(htmlToText(`x${'<!--'.repeat(n)}`)).toBe('x');
    expect(htmlToText('<object>t'.repeat(n))).toBe('t'.repeat(n));
    expect(htmlToText(`${'<script>t'.repeat(n)}</script>u`)).toBe('u');
  });
});

describe('plainText', () => {
  it('removes zero-width characters and maps stray C1 controls to windows-1252', () => {
    expect(plainText('Ky\u200biv don\u0092t \u0093q\u0094  x\u0001')).toBe('Kyiv don\u2019t \u201cq\u201d x');
  });
});
