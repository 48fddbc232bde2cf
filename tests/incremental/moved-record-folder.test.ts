import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject } from '../helpers.js';

/**
 * A month folder of the records that moved since the last publication (record-folders.ts) costs
 * what changed in it: the records whose file changed are rendered again, not every record of the
 * month. A folder the archive stage wrote to in a run that was not published rendered all its
 * records' pages again in the next run (a month of 100,000 undated records, all of them); so did
 * one record replaced by hand, or an editor's swap file come and gone.
 */
const at = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));

describe('a moved month folder of the records', () => {
  it('renders again the records changed in it, not the whole month', async () => {
    // Page validation on every page would make the cold build of 150 the whole test's time.
    const validate = process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'];
    process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';
    try {
      const p = makeProject();
      for (let i = 0; i < 150; i++)
        p.write(`s${i}.txt`, `Story ${i} | Tech\n\nThe body of story ${i}, a few words long.\n`);
      const cold = await runOnce(p.context(at(8)), { dryRun: false });
      expect(cold.feeds?.pagesRendered).toBeGreaterThan(150);
      const folder = join(p.dir, 'archive', 'records', '2026', '11');
      const run = async (h: number) => (await runOnce(p.context(at(h)), { dryRun: false })).feeds;

      // One record outside the feeds replaced by hand, as editors and `sed -i` write it.
      const listed = (JSON.parse(p.read('.feedkeeper/published.json')) as { entries: string[] })
        .entries;
      const n = [...Array(150).keys()].find((i) => !listed.includes(`2026/11/story-${i}.json`));
      const record = join(folder, `story-${n}.json`);
      writeFileSync(
        `${record}.tmp`,
        readFileSync(record, 'utf8').replace(
          `"title": "Story ${n}"`,
          `"title": "Story ${n}, fixed"`,
        ),
      );
      renameSync(`${record}.tmp`, record);
      const edited = await run(9);
      expect(edited?.reason).toBe(
        'records in archive/records/2026/11/ were changed outside feedkeeper since the last publication',
      );
      expect(p.read(`out/articles/story-${n}.html`)).toContain(`Story ${n}, fixed`);
      // Its page, its month part, the front page.
      expect(edited?.pagesRendered).toBeLessThanOrEqual(3);
      expect((await run(9))?.rendered).toBe(false);

      // A run that archived a new article and did not publish (the clock behind the last
      // publication): the next one publishes it, rendering its pages, not the month's.
      p.write('new.txt', 'A new story | Tech\n\nWritten while the clock was behind.\n');
      const behind = await run(7);
      expect(behind?.published).toBe(false);
      const next = await run(10);
      expect(next?.published).toBe(true);
      expect(p.read('out/articles/a-new-story.html')).toContain('Written while the clock');
      expect(next?.pagesRendered).toBeLessThanOrEqual(4);

      // A file not ours come and gone (an editor's swap file): the front page alone.
      writeFileSync(join(folder, '.story-3.json.swp'), 'x');
      rmSync(join(folder, '.story-3.json.swp'));
      const swap = await run(11);
      expect(swap?.reason).toContain('archive/records/2026/11/ was added, removed or renamed');
      expect(swap?.pagesRendered).toBeLessThanOrEqual(1);
      expect((await run(11))?.rendered).toBe(false);
    } finally {
      if (validate === undefined) delete process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'];
      else process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = validate;
    }
  });
});
