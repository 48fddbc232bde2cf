import { describe, expect, it } from 'vitest';
import { printJson } from '../../src/cli/print-json.js';

const printed = (value: unknown): string => {
  const chunks: string[] = [];
  printJson(value, (c) => chunks.push(c));
  return chunks.join('');
};

describe('printJson', () => {
  it.each([
    [
      'a report',
      {
        archive: { added: ['2026/11/a.json', 'știre „x”'], unchanged: 3, revised: [] },
        feeds: null,
        dryRun: false,
        issues: [{ code: 'X', hint: 'a\nb' }],
        empty: {},
      },
    ],
    ['undefined and functions', { a: undefined, b: () => 1, c: [undefined, () => 1, 2] }],
    ['a date and scalars', { d: new Date(0), n: -0.5, t: true, s: '\u2028' }],
    ['a bare array', [1, [2, [3, []]], { x: [] }]],
    ['a scalar', 'text'],
  ])('%s: the same text as JSON.stringify(value, null, 2)', (_, value) => {
    expect(printed(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('a list of 200,000 paths comes out in pieces of about 64 KB, the same text', () => {
    const paths = Array.from(
      { length: 200_000 },
      (_, i) => `archive/records/2026/11/stire-${i}.json`,
    );
    const chunks: string[] = [];
    printJson({ written: paths }, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(100);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70_000);
    expect(chunks.join('')).toBe(`${JSON.stringify({ written: paths }, null, 2)}\n`);
  });
});
