import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { listRecords } from '../../src/history/list-records.js';
import { formatRecord } from '../../src/history/show-record.js';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject } from '../helpers.js';
import { record } from '../pages/page-fixtures.js';

const row = (
  slug: string,
  publishedAt: string,
  withdrawnAt: string | null = null,
): RecordEntry => ({
  id: `tag:news.example.org,2026-11-01:${slug}`,
  slug,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn: withdrawnAt !== null,
  withdrawnAt,
  fingerprint: slug,
  input: `${slug}.txt`,
  meta: { title: slug, section: null, tags: [], language: 'ro' },
});
const NOW = '2026-11-30T12:00:00Z';
const rows: [string, RecordEntry][] = [
  ['2026/11/out.json', row('out', '2026-11-20T08:00:00Z')],
  ['2027/06/later.json', row('later', '2027-06-01T00:00:00Z')],
  ['2026/11/gone.json', row('gone', '2026-11-21T08:00:00Z', '2026-11-22T08:00:00Z')],
];
const slugs = (status: 'published' | 'scheduled' | 'withdrawn' | 'all'): string[] =>
  listRecords(rows, (_, r) => r.meta!, { status, now: NOW }).map((r) => `${r.slug} ${r.status}`);

/** A record under embargo is archived, not published: the inspection commands say so. */
describe('a record under embargo is "scheduled", not "published"', () => {
  it('in archive list and its --status filter', () => {
    expect(slugs('published')).toEqual(['out published']);
    expect(slugs('scheduled')).toEqual(['later scheduled']);
    expect(slugs('all')).toEqual(['later scheduled', 'gone withdrawn', 'out published']);
  });

  // By the last publication, not the clock (pipeline/release.ts): found by an outside try.
  it('due (its time passed, no build released it yet): scheduled with due, in list and show', () => {
    const released = '2026-11-20T09:00:00Z'; // after "out", before "due"
    const withDue: [string, RecordEntry][] = [
      ...rows,
      ['2026/11/due.json', row('due', '2026-11-29T08:00:00Z')],
    ];
    const listed = listRecords(withDue, (_, r) => r.meta!, { status: 'all', now: NOW, released });
    expect(listed.map((r) => `${r.slug} ${r.status} ${r.due ?? ''}`)).toEqual([
      'later scheduled ',
      'due scheduled true',
      'gone withdrawn ',
      'out published ',
    ]);
    expect(
      listRecords(withDue, (_, r) => r.meta!, { status: 'published', now: NOW, released }).map(
        (r) => r.slug,
      ),
    ).toEqual(['out']);
    const due = { ...record, publishedAt: '2026-11-29T08:00:00Z', withdrawnAt: null };
    expect(formatRecord(due, 'x.json', NOW, released)).toContain(
      'status    scheduled: due since 2026-11-29T08:00:00Z, not released yet',
    );
    // Released by a publication whose clock is ahead of this one: published, not "under embargo".
    expect(formatRecord(due, 'x.json', '2026-11-28T00:00:00Z', NOW)).toContain(
      'status    published',
    );
  });

  it('in archive show', () => {
    const later = { ...record, publishedAt: '2027-06-01T00:00:00Z', withdrawnAt: null };
    expect(formatRecord(later, 'x.json', NOW)).toContain(
      'status    scheduled: under embargo until 2027-06-01T00:00:00Z',
    );
    expect(formatRecord({ ...record, withdrawnAt: null }, 'x.json', NOW)).toContain(
      'status    published',
    );
  });

  // Found by an outside try: it said "published" at a date after the withdrawal.
  it('in archive show, withdrawn before its embargo ended: never published', () => {
    const shown = formatRecord(
      { ...record, publishedAt: '2026-12-01T00:00:00Z', withdrawnAt: '2026-11-29T00:00:00Z' },
      'x.json',
      NOW,
    );
    expect(shown).toContain(
      'status    withdrawn 2026-11-29T00:00:00Z, under embargo: never published',
    );
    expect(shown).toContain('dated     2026-12-01T00:00:00Z');
    expect(shown).not.toContain('published 2026-12-01');
  });
});

// Found by an outside try: between an embargo's time and the next build, `status` said "not
// published until then" after then and counted the record as the newest published, and
// `archive verify` exited 1 with NOT_IN_CHAIN and NOT_IN_PAGES; only `check` was right. All
// now judge by the last publication's clock (pipeline/publish-state.ts, releasedUpTo).
describe('an embargo due but not released by a build yet', () => {
  it('is "due, waiting for the next build" in status and a note, not an error, in archive verify', async () => {
    const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const hour = 3600_000;
    const t = Date.now();
    const p = makeProject(BASE_CONFIG);
    p.write('a.txt', 'Alfa\n\nPrimul paragraf al știrii Alfa.\n');
    p.write('due.txt', `---\ndate: ${iso(t - hour)}\n---\nDue story\n\nO știre pentru prânz.\n`);
    // Built two hours ago (the real clock of status and verify is now past the embargo).
    const built = await runOnce(p.context(new Date(iso(t - 2 * hour))), { dryRun: false });
    expect(built.feeds?.scheduled).toHaveLength(1);
    const check = p.cli('check');
    expect(check.stdout + check.stderr).toContain('came due after it was published');

    const verify = p.cli('archive', 'verify');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout + verify.stderr).not.toMatch(/NOT_IN_CHAIN|NOT_IN_PAGES/);
    expect(verify.stdout + verify.stderr).toMatch(
      /due-story\.json: its embargo is due since .*, not released yet/,
    );

    // archive list and show judge it as status does: due, not published (pipeline/release.ts).
    const list = p.cli('archive', 'list', '--status', 'all');
    expect(list.stdout).toMatch(
      /scheduled \(due\) .*Due story {2}\(2\d{3}\/\d{2}\/due-story\.json\)/,
    );
    expect(p.cli('archive', 'list').stdout).not.toContain('Due story');
    expect(
      JSON.parse(p.cli('archive', 'list', '--status', 'scheduled', '--json').stdout),
    ).toMatchObject({
      slug: 'due-story',
      status: 'scheduled',
      due: true,
    });
    expect(p.cli('archive', 'show', 'due-story').stdout).toContain(
      `status    scheduled: due since ${iso(t - hour)}, not released yet (the last publication was at ${iso(t - 2 * hour)}): the next build`,
    );

    const status = p.cli('status');
    expect(status.status).toBe(0);
    expect(status.stdout).not.toContain('not published until then');
    expect(status.stdout).toContain(
      `scheduled: 1 embargo due since ${iso(t - hour)}, not released yet: the next build`,
    );
    expect(status.stdout).toMatch(/due-story\.json \(due since then, not released yet/);
    expect(status.stdout).toContain('feeds: behind the archive only by an embargo due since');
    // The newest published is what a build released (Alfa, dated by the build), not the clock's.
    expect(status.stdout).toContain(`newest published ${iso(t - 2 * hour)}`);

    // Released by the next build: published, and verify finds it everywhere.
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('status').stdout).toContain(`newest published ${iso(t - hour)}`);
    expect(p.cli('archive', 'list').stdout).toContain('Due story');
    expect(p.cli('archive', 'show', 'due-story').stdout).toContain('status    published\n');
    const after = p.cli('archive', 'verify');
    expect(after.status, after.stdout + after.stderr).toBe(0);
    expect(after.stdout + after.stderr).not.toContain('not released yet');
  }, 120_000);
});
