import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { listArticles } from '../../src/ingest/list-articles.js';

/**
 * A folder that cannot be listed is reported at its own path (`d`), which sorts before a
 * sibling such as `d-2.txt` where the folder's articles (`d/…`) would sort after it: the walk
 * then sorts its listing whole. The tests run as root, whom permissions do not stop, so
 * readdir is made to fail here.
 */
vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>();
  return {
    ...real,
    readdirSync: ((path: fs.PathLike, options?: unknown) => {
      if (String(path).endsWith(`${sep}d`))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), {
          code: 'EACCES',
        });
      return (real.readdirSync as (p: fs.PathLike, o?: unknown) => unknown)(path, options);
    }) as typeof real.readdirSync,
  };
});

const root = fs.mkdtempSync(join(tmpdir(), 'feedkeeper-unlistable-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a folder that cannot be listed', () => {
  it('is reported at its path, and the listing is still in path order', () => {
    for (const f of ['d/a.txt', 'd-2.txt', 'e.txt']) {
      fs.mkdirSync(join(root, 'articles', f, '..'), { recursive: true });
      fs.writeFileSync(join(root, 'articles', f), 'A\n\nB.\n');
    }
    const listed = listArticles(join(root, 'articles'), root);
    expect(listed.map((l) => [l.path, l.problem?.code ?? null])).toEqual([
      ['articles/d', 'ARTICLE_UNREADABLE'],
      ['articles/d-2.txt', null],
      ['articles/e.txt', null],
    ]);
    expect(listed[0]!.problem!.message).toContain('EACCES');
  });
});
