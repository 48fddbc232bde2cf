import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject } from '../helpers.js';

const at = (iso: string): Date => new Date(iso);

// Found by an outside try: renaming an article outside the feeds' window was reported as "an
// earlier run changed the archive but did not publish"; this run had (pipeline/render-reason.ts).
describe('why a run renders the outputs', () => {
  it('a record outside the feeds updated by this run is said to be this run', async () => {
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 1 } });
    p.write('2026-11-01-old.txt', 'Old story\n\nSnow closes roads in the north.\n');
    p.write('2026-11-20-new.txt', 'New story\n\nThe harbour opens again.\n');
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    renameSync(
      join(p.articles, '2026-11-01-old.txt'),
      join(p.articles, '2026-11-01-old-again.txt'),
    );
    const r = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(r.archive).toMatchObject({ added: [], revised: [], withdrawn: [] });
    expect(r.feeds?.reason).toBe(
      'the record 2026/11/old-story.json was updated by this run (its stored article changed, not what readers see)',
    );
    expect(r.feeds?.reason).not.toContain('earlier run');
  });
});
