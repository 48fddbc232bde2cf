import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, recordsOf, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: a records folder that is an empty mount point (a share not mounted)
 * was filled again: every article minted anew, its revisions gone, an undated one under a new
 * date, exit 0. The articles folder had such a guard; the records, the archive's truth, had not.
 */
describe('an empty records folder while the last publication listed records', () => {
  it('is refused (exit 2), nothing written; the records back, the next build goes on', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    const [before] = recordsOf(p);
    const records = join(p.dir, 'archive', 'records');
    const away = join(p.dir, 'records-away');
    renameSync(records, away);
    mkdirSync(records);

    for (const args of [['build'], ['build', '--dry-run'], ['build', '--full']]) {
      const r = p.cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(
        'the records folder archive/records (paths.records) holds no record, while the last publication listed 1',
      );
      expect(readdirSync(records)).toEqual([]);
    }
    rmSync(records, { recursive: true });
    expect(p.cli('build').status).toBe(2); // no folder at all: the same
    // Year and month folders without a record (a mount point holding an empty `2026/`, an
    // rsync that makes folders first): no archive either (found by an outside try).
    for (const empty of ['2026', '2026/11', '2026/11/.partial']) {
      mkdirSync(join(records, empty), { recursive: true });
      const r = p.cli('build');
      expect(r.status, empty).toBe(2);
      expect(r.stderr).toContain('holds no record');
    }
    rmSync(records, { recursive: true });

    renameSync(away, records);
    expect(p.cli('build').status).toBe(0);
    expect(recordsOf(p)).toEqual([before]);
  });

  it('starts a new archive once the publish state is removed on purpose', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    rmSync(join(p.dir, 'archive', 'records'), { recursive: true });
    rmSync(join(p.dir, '.feedkeeper', 'published.json'));
    expect(p.cli('build').status).toBe(0);
    expect(recordsOf(p)).toHaveLength(1);
  });
});
