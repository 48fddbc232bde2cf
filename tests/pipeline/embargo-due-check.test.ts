import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWith } from '../../src/api/check.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: from the moment an embargo's time passed until the next build, `check`
 * reported ten round-trip errors calling it a feedkeeper bug (a monitoring check went red after
 * every scheduled story). out/ is the last publication, proven then; the embargo is over when a
 * publication releases it, so check says that, once.
 */
describe('check after an embargo came due, before the build that releases it', () => {
  it('says FEEDS_NOT_UP_TO_DATE once, naming the record and its time; ok again after a build', async () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    p.write(
      'e.txt',
      '---\ndate: 2026-12-20T10:00:00Z\n---\nEmbargoed story | World\n\nThe embargoed lede.\n\nIts second paragraph.\n',
    );
    const before = p.context(new Date('2026-12-20T09:00:00Z'));
    expect((await runOnce(before, { dryRun: false })).issues).toEqual([]);
    expect((await checkWith(before)).ok).toBe(true);

    const after = p.context(new Date('2026-12-20T10:00:05Z'));
    const checked = await checkWith(after);
    expect(checked.ok).toBe(false);
    expect(checked.problems).toHaveLength(1);
    expect(checked.problems[0]).toMatchObject({ code: 'FEEDS_NOT_UP_TO_DATE' });
    expect(checked.problems[0]?.message).toContain('an embargo came due after it was published');
    expect(checked.problems[0]?.message).toContain('at 2026-12-20T10:00:00Z');
    expect(checked.problems[0]?.hint).toContain('Run feedkeeper build');

    expect((await runOnce(after, { dryRun: false })).issues).toEqual([]);
    expect((await checkWith(after)).ok).toBe(true);
  });

  // Found by an outside try: the early answer proved no archive document, and a forged one
  // was answered "Nothing is wrong with out/".
  it('still finds an archive document changed after publishing', async () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    p.write('e.txt', '---\ndate: 2026-12-20T10:00:00Z\n---\nEmbargoed story | World\n\nLede.\n');
    const before = p.context(new Date('2026-12-20T09:00:00Z'));
    expect((await runOnce(before, { dryRun: false })).issues).toEqual([]);
    const month = readdirSync(join(p.dir, 'out/archive/2026'))[0]!;
    const doc = join(p.dir, 'out/archive/2026', month, 'rss.xml');
    writeFileSync(doc, readFileSync(doc, 'utf8').replace('<title>', '<title>FORGED '));

    const checked = await checkWith(p.context(new Date('2026-12-20T10:00:05Z')));
    expect(checked.problems.map((i) => [i.code, i.file])).toEqual([
      ['FEED_NOT_AS_PUBLISHED', `out/archive/2026/${month}/rss.xml`],
      ['FEEDS_NOT_UP_TO_DATE', 'out/rss.xml'],
    ]);
    expect(checked.problems[0]?.message).toContain('it was changed after publishing');
    expect(checked.problems[1]?.hint).not.toContain('Nothing is wrong');
  });
});
