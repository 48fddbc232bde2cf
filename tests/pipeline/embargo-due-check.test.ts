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
});
