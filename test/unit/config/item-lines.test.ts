import { describe, expect, it } from 'vitest';
import { isSeq, LineCounter, parseDocument } from 'yaml';
import { blockSequenceItemLines } from '../../../src/config/item-lines.js';

/** The lines the positioned YAML document gives for the items of `key`: what the scan must agree with. */
function documentLines(text: string, key: string): number[] {
  const lines = new LineCounter();
  const seq = parseDocument(text, { lineCounter: lines }).get(key, true);
  return isSeq(seq) ? seq.items.map((item) => lines.linePos((item as { range: [number] }).range[0]).line) : [];
}

const FILES = [
  'rules:\n  - id: a\n    query: x\n  - id: b\n    query: y\n',
  'rules:\n- id: a\n  query: x\n\n# a comment\n- id: b\n  query: |\n    - not an item\n    text\n',
  '# header\nrules:   # the rules\n  # - id: commented out\n  - id: a\n    tags:\n      - one\n      - two\n  - id: b\n',
  'rules:\r\n  - id: a\r\n  - id: b\r\n',
];

describe('blockSequenceItemLines', () => {
  it.each(FILES)('agrees with the YAML document: %j', (text) => {
    expect(blockSequenceItemLines(text, 'rules')).toEqual(documentLines(text, 'rules'));
  });

  it.each([
    'rules: [{ id: a }, { id: b }]\n',
    'rules:\n\t- id: a\n',
    'other: 1\nrules:\n  - id: a\nmore: 2\n',
    'rules:\n  id: a\n',
    'rules:\n  -\n    id: a\n',
  ])('declines shapes it does not read: %j', (text) => {
    expect(blockSequenceItemLines(text, 'rules')).toBeUndefined();
  });
});
