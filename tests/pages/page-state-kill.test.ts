import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonOf, makeProject } from '../helpers.js';

/**
 * A run killed between a group of page rows saved and the page state's root (pipeline/
 * page-state.ts): the groups are at a stamp the root does not name. The next run trusts none
 * of it and renders every page again, and what it publishes is proven as always.
 */
interface Report {
  archive: { added: string[] };
  feeds: { pagesRendered?: number } | null;
  issues: { code: string }[];
}

describe('the page state left by a kill between a group and the root', () => {
  it('is not trusted: every page is rendered again, and the outputs are right', () => {
    const p = makeProject();
    p.write('a.txt', 'First story | Tech\n\nThe first body.\n');
    p.write('b.txt', 'Second story | Tech\n\nThe second body.\n');
    expect(p.cli('build').status).toBe(0);
    const state = join(p.dir, '.feedkeeper');
    const root = ['pages.json', 'pages.journal'].map((f) => {
      try {
        return [f, readFileSync(join(state, f))] as const;
      } catch {
        return [f, null] as const;
      }
    });
    p.write('c.txt', 'Third story | Tech\n\nThe third body.\n');
    const second = jsonOf<Report>(p.cli('build', '--json'));
    expect(second.feeds?.pagesRendered).toBeLessThan(6);
    // The root as it was before that run's save; its group of rows as the save left it.
    for (const [f, bytes] of root)
      if (bytes !== null) writeFileSync(join(state, f), bytes);
      else rmSync(join(state, f), { force: true });
    p.write('d.txt', 'Fourth story | Tech\n\nThe fourth body.\n');
    const r = jsonOf<Report>(p.cli('build', '--json'));
    expect(r.issues).toEqual([]);
    // Four article pages, the month page, the front page.
    expect(r.feeds?.pagesRendered).toBe(6);
    const month = p.read(`out/archive/${r.archive.added[0]?.slice(0, 7) ?? ''}/index.html`);
    for (const title of ['First', 'Second', 'Third', 'Fourth'])
      expect(month).toContain(`>${title} story</a>`);
    // And the state it saved is trusted again.
    p.write('e.txt', 'Fifth story | Tech\n\nThe fifth body.\n');
    expect(jsonOf<Report>(p.cli('build', '--json')).feeds?.pagesRendered).toBeLessThan(7);
    expect(p.cli('check').status).toBe(0);
  });
});
