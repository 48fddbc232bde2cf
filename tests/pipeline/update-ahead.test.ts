import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHistory, formatRecord } from '../../src/history/show-record.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * A front-matter `updated:` after the clock is passed over with DATE_UPDATED_AHEAD (a typo must
 * not pin the feed date in the future), and taken by the first run at or after its time, as an
 * embargo is released: found by an outside try, it was warned about until then and silently
 * never taken after.
 */
const at = (iso: string): Date => new Date(iso);
const story = (updated: string, extra = ''): string =>
  `---\ndate: 2026-11-20T08:00:00Z\nupdated: ${updated}\n---\nPlanned | Lume\n\nPrimul paragraf al știrii.\n\nAl doilea paragraf${extra}.\n`;
const recordOf = (p: Project): ArchiveRecord => {
  const dir = join(p.dir, 'archive', 'records', '2026', '11');
  return JSON.parse(p.read(`archive/records/2026/11/${readdirSync(dir)[0]!}`)) as ArchiveRecord;
};
const itemUpdated = (p: Project): string =>
  (JSON.parse(p.read('out/feed.json')) as { items: { date_modified: string }[] }).items[0]!
    .date_modified;
const path = '2026/11/planned.json';

describe('an update declared ahead of the clock', () => {
  it('is warned about until its time, then taken by the first run after it, once', async () => {
    const p = makeProject();
    p.write('planned.md', story('2026-11-25T12:00:00Z'));
    const first = await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(first.issues.map((i) => i.code)).toEqual(['DATE_UPDATED_AHEAD']);
    expect(recordOf(p).updatedAt).toBe('2026-11-20T08:00:00Z');
    expect(itemUpdated(p)).toBe('2026-11-20T08:00:00Z');

    // Before its time: still warned, nothing taken, nothing written.
    const before = await runOnce(p.context(at('2026-11-25T11:00:00Z')), { dryRun: false });
    expect(before.issues.map((i) => i.code)).toEqual(['DATE_UPDATED_AHEAD']);
    expect(before.archive).toMatchObject({ revised: [], unchanged: 1 });

    // The first run after it: taken, without any change of the file.
    const due = await runOnce(p.context(at('2026-11-25T12:00:05Z')), { dryRun: false });
    expect(due.issues).toEqual([]);
    expect(due.archive).toMatchObject({ revised: [path] });
    expect(due.feeds?.published).toBe(true);
    const r = recordOf(p);
    expect(r).toMatchObject({
      publishedAt: '2026-11-20T08:00:00Z', // minted once
      updatedAt: '2026-11-25T12:00:00Z',
    });
    expect(r.revisions).toHaveLength(1);
    expect(itemUpdated(p)).toBe('2026-11-25T12:00:00Z');
    // show, history and the build's report say the same.
    expect(formatRecord(r, path)).toContain('  revisions 1');
    expect(formatHistory(r)).toMatch(/current: 2026-11-25T12:00:00Z\n {2}\(no visible change\)/);

    // Taken once: the next runs find nothing to do.
    const after = await runOnce(p.context(at('2026-11-25T13:00:00Z')), { dryRun: false });
    expect(after.issues).toEqual([]);
    expect(after.archive).toMatchObject({ revised: [], unchanged: 1 });
    expect(after.written).toEqual([]);
  });

  it('still taken at its time after the catalogue is rebuilt from the records before it', async () => {
    const p = makeProject();
    p.write('planned.md', story('2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    // The rows rebuilt from the records: the file is read again, and its row warns again.
    for (const f of ['inputs.json', 'inputs.journal', 'inputs'])
      rmSync(join(p.dir, '.feedkeeper', f), { recursive: true, force: true });
    const rebuilt = await runOnce(p.context(at('2026-11-25T11:00:00Z')), { dryRun: false });
    expect(rebuilt.issues.map((i) => i.code)).toEqual(['DATE_UPDATED_AHEAD']);
    const due = await runOnce(p.context(at('2026-11-25T12:00:05Z')), { dryRun: false });
    expect(due.archive).toMatchObject({ revised: [path] });
    expect(recordOf(p).updatedAt).toBe('2026-11-25T12:00:00Z');
  });

  it('edited before its time: the edit is dated when made, the update date follows at its time', async () => {
    const p = makeProject();
    p.write('planned.md', story('2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    p.write('planned.md', story('2026-11-25T12:00:00Z', ', corectat'));
    const edited = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(edited.archive).toMatchObject({ revised: [path] });
    expect(recordOf(p).updatedAt).toBe('2026-11-25T09:00:00Z');
    const due = await runOnce(p.context(at('2026-11-25T12:30:00Z')), { dryRun: false });
    expect(due.archive).toMatchObject({ revised: [path] });
    expect(recordOf(p)).toMatchObject({ updatedAt: '2026-11-25T12:00:00Z' });
    expect(recordOf(p).revisions).toHaveLength(2);
  });

  it('a declared update that was never ahead changes nothing without an edit (as before)', async () => {
    const p = makeProject();
    p.write('planned.md', story('2026-11-21T08:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(recordOf(p).updatedAt).toBe('2026-11-21T08:00:00Z');
    p.write('planned.md', story('2026-11-24T08:00:00Z'));
    const moved = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(moved.archive).toMatchObject({ revised: [], unchanged: 1 });
    expect(recordOf(p).updatedAt).toBe('2026-11-21T08:00:00Z');
  });
});
