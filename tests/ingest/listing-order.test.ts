import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { listArticles, walkArticles } from '../../src/ingest/list-articles.js';
import { listingDigest } from '../../src/ingest/listing-digest.js';

/**
 * The walk sorts each folder's names as the paths they lead to (a folder `d` as `d/`) instead
 * of sorting the whole listing, and keeps numbers instead of objects (ingest/listing.ts): the
 * listing must still come out in plain path order, and its digest be that of its objects.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261130);
const base = mkdtempSync(join(tmpdir(), 'feedkeeper-order-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Names that sort around `/` (0x2F): `-` and `.` below it, `0` and `a` above. */
const part = fc.constantFrom('a', 'a-b', 'a.b', 'a0', 'a b', 'b', 'ä', 'a!', 'Z');
const arbTree = fc.uniqueArray(
  fc
    .tuple(fc.array(part, { minLength: 0, maxLength: 3 }), part, fc.constantFrom('.txt', '.md'))
    .map(([folders, name, ext]) => [...folders, name + ext].join('/')),
  { minLength: 1, maxLength: 25 },
);

const sortedPaths = (paths: string[]): string[] =>
  [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
let n = 0;

describe(`the listing's order (fast-check seed ${SEED})`, () => {
  it("is plain path order whatever the names, and its digest is its objects'", () => {
    fc.assert(
      fc.property(arbTree, (files) => {
        const root = join(base, String(n++));
        const made: string[] = [];
        for (const f of files) {
          try {
            mkdirSync(join(root, 'articles', f, '..'), { recursive: true });
            writeFileSync(join(root, 'articles', f), f);
            made.push(`articles/${f}`);
          } catch {
            // a file where a folder of another path is wanted (or the reverse): left out
          }
        }
        const walked = walkArticles(join(root, 'articles'), root);
        const objects = walked.articles();
        const paths = objects.map((a) => a.path);
        expect(paths).toEqual(sortedPaths(paths));
        expect(new Set(paths.filter((p) => !objects.find((o) => o.path === p)?.problem))).toEqual(
          new Set(made),
        );
        expect(walked.digest()).toBe(listingDigest(objects));
        expect(objects.map((o) => o.stat.size)).toEqual(
          objects.map((o) => (o.problem ? o.stat.size : Buffer.byteLength(o.path.slice(9)))),
        );
        rmSync(root, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('a folder named like an article comes as itself, then what is in it, in path order', () => {
    const root = join(base, 'named');
    for (const f of ['x.txt/in.txt', 'x.txt-2.txt', 'x.txt0.txt', 'x.tx.txt'])
      mkdirSync(join(root, 'articles', f, '..'), { recursive: true });
    for (const f of ['x.txt/in.txt', 'x.txt-2.txt', 'x.txt0.txt', 'x.tx.txt'])
      writeFileSync(join(root, 'articles', f), 'A\n\nB.\n');
    const listed = listArticles(join(root, 'articles'), root);
    expect(listed.map((l) => [l.path, l.problem?.code ?? null])).toEqual([
      ['articles/x.tx.txt', null],
      ['articles/x.txt', 'ARTICLE_NOT_A_FILE'],
      ['articles/x.txt-2.txt', null],
      ['articles/x.txt/in.txt', null],
      ['articles/x.txt0.txt', null],
    ]);
  });
});
