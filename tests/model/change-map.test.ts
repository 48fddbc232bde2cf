import { describe, expect, it } from 'vitest';
import { ChangeMap } from '../../src/model/change-map.js';

describe('ChangeMap', () => {
  it('keeps the value each changed key had before its first change, until settled', () => {
    const m = new ChangeMap<string, number>([['a', 1]]);
    m.settle();
    m.put('b', 2); // read from the files: not a change
    m.set('a', 10);
    m.set('a', 11);
    m.delete('b');
    m.set('c', 3);
    m.delete('c');
    expect([...m.changed]).toEqual(['a', 'b', 'c']);
    // What a save needs to take each row out of the file that held it (archive/record-chunks.ts).
    expect(m.before).toEqual(
      new Map<string, number | undefined>([
        ['a', 1],
        ['b', 2],
        ['c', undefined],
      ]),
    );
    m.clear();
    expect(m.before.get('a')).toBe(1);
    m.settle();
    expect(m.before.size).toBe(0);
    expect(m.changed.size).toBe(0);
  });
});
