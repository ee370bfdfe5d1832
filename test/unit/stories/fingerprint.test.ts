import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance, storyFingerprint } from '../../../bench/simhash/fingerprint.js';

const report = {
  title: "North Korean troops reach Russia's Kursk region, Ukraine says",
  summary: '',
  content: [
    "The first North Korean troops sent to Russia have arrived in the Kursk region, where Ukrainian forces hold a strip of Russian territory, Ukraine's military intelligence agency said on Monday.",
    "About 8,000 soldiers trained in Russia's far east were moved west by train and aircraft over the past week, the agency said in a statement on Telegram.",
    'The Kremlin did not immediately respond to a request for comment, and Pyongyang has denied sending combat troops.',
  ].join(' '),
};
const hex16 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString(16).padStart(16, '0'));

describe('storyFingerprint', () => {
  it('is 16 lowercase hex digits and stable across releases', () => {
    // Fingerprints live in Redis for the story window: a change here splits stories across a deploy.
    expect(storyFingerprint(report)).toBe('84d984b493e94519');
  });

  it('ignores case, accents, full-width forms and punctuation', () => {
    const shouted = { ...report, title: report.title.toUpperCase().replace(/,/g, ' —'), content: report.content.toUpperCase() };
    expect(storyFingerprint(shouted)).toBe(storyFingerprint(report));
  });

  it('takes the lead from the summary when there is no content', () => {
    expect(storyFingerprint({ title: report.title, summary: report.content, content: '  ' })).toBe(storyFingerprint(report));
  });

  it('gives an article without words the zero fingerprint', () => {
    expect(storyFingerprint({ title: '', summary: '', content: '' })).toBe('0000000000000000');
  });

  it('puts an unrelated report about 32 bits away', () => {
    const other = {
      title: 'ECB cuts interest rates again as euro zone growth slows',
      summary: '',
      content: 'The European Central Bank cut interest rates on Thursday for the fourth time this year.',
    };
    expect(hammingDistance(storyFingerprint(other), storyFingerprint(report))).toBeGreaterThan(20);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('00000000000000f0', '000000000000000f')).toBe(8);
  });

  it('matches a BigInt popcount and is a metric', () => {
    const popcount = (n: bigint) => n.toString(2).replace(/0/g, '').length;
    fc.assert(
      fc.property(hex16, hex16, hex16, (a, b, c) => {
        const d = hammingDistance(a, b);
        expect(d).toBe(popcount(BigInt(`0x${a}`) ^ BigInt(`0x${b}`)));
        expect(hammingDistance(b, a)).toBe(d);
        expect(hammingDistance(a, c)).toBeLessThanOrEqual(d + hammingDistance(b, c));
      }),
    );
  });

  it('rejects anything but 16 lowercase hex digits', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(/story fingerprint/);
    expect(() => hammingDistance('000000000000000G', '0000000000000000')).toThrow(/story fingerprint/);
  });
});
