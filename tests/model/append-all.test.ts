import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { appendAll } from '../../src/model/append-all.js';
import { REPO } from '../helpers.js';

describe('appendAll', () => {
  it('appends 300,000 items in order, where push(...items) overflows the stack', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => i);
    const target = [-1];
    appendAll(target, items);
    expect(target).toHaveLength(300_001);
    expect(target[1]).toBe(0);
    expect(target.at(-1)).toBe(299_999);
    // The failure it exists for: the spread throws on this machine's Node.
    expect(() => [-1].push(...items)).toThrow(RangeError);
  });

  it('eslint refuses push(...items) and Math.max(...items) in src/', async () => {
    const eslint = new ESLint({ cwd: REPO });
    const [result] = await eslint.lintText(
      'export const f = (a: number[], b: number[]): number => { a.push(...b); return Math.max(...a); };\n',
      { filePath: `${REPO}/src/model/example.ts` },
    );
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules).toEqual(['no-restricted-syntax', 'no-restricted-syntax']);
  });
});
