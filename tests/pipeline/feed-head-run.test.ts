import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { catalogueFiles } from '../../src/archive/catalogue-file.js';
import type { RecordChunks } from '../../src/archive/record-view.js';
import type * as ViewFile from '../../src/archive/record-view-file.js';
import type { RunReport } from '../../src/pipeline/report.js';
import { runOnce } from '../../src/pipeline/run.js';
import { gateProject, type GateProject } from '../gate/project.js';

/**
 * The render stage takes the feeds' head and dates from the newest chunks of the records table
 * as saved (pipeline/feed-head.ts, archive/record-view-file.ts). The same runs, one project
 * made with the chunks and one with every row (the view switched off here), publish the same
 * bytes and report the same: new articles, a withdrawal, an embargo and its release, a clock
 * that went back. And a chunk not as the root names it makes the run rebuild, and publish.
 */
const mode = vi.hoisted(() => ({ now: 'chunks' as 'chunks' | 'whole' | 'broken' }));
const views = vi.hoisted(() => [] as RecordChunks[]);

vi.mock('../../src/archive/record-view-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof ViewFile>();
  return {
    ...real,
    savedRecordChunks: (...args: Parameters<typeof real.savedRecordChunks>) => {
      const view = real.savedRecordChunks(...args);
      if (view === null || mode.now === 'whole') return null;
      views.push(view);
      if (mode.now === 'chunks') return view;
      return {
        ...view,
        rows: (chunk: { name: string }) => {
          throw new real.RecordChunkError(chunk.name);
        },
      };
    },
  };
});

const EMBARGOED =
  '---\ndate: 2026-11-25T20:30:00Z\n---\nEmbargoed story | World\n\nThe embargoed lede.\n\nIts second paragraph.\n';

const at = (g: GateProject, iso: string): Promise<RunReport> =>
  runOnce(g.p.context(new Date(iso)), { dryRun: false });

/** What a report says, but the paths of its temporary project. */
const said = (r: RunReport): unknown => JSON.parse(JSON.stringify(r.feeds ?? null));

describe('the feeds head from the chunks, in runs', () => {
  it('publishes what every row publishes, run after run', async () => {
    mode.now = 'whole';
    const whole = await gateProject();
    mode.now = 'chunks';
    views.length = 0;
    const chunks = await gateProject();
    // Every run of the chunked project after its first had a saved catalogue to read from.
    expect(views.length).toBeGreaterThan(2);
    expect(whole.published()).toEqual(chunks.published());
    const steps: [string, (g: GateProject) => Promise<RunReport>][] = [
      ['a new article', (g) => g.attempt()],
      [
        'an article under embargo',
        (g) => {
          g.p.write('e.txt', EMBARGOED);
          return at(g, '2026-11-25T19:00:00Z');
        },
      ],
      [
        'a dry run of a new article (its rows are not saved)',
        (g) => {
          g.p.write('g.txt', 'Golf story | Tech\n\nThe golf lede.\n\nMore golf.\n');
          return runOnce(g.p.context(new Date('2026-11-25T20:10:00Z')), { dryRun: true });
        },
      ],
      ['its release', (g) => at(g, '2026-11-25T21:00:00Z')],
      [
        'the clock gone back, with a new article',
        (g) => {
          g.p.write('f.txt', 'Foxtrot story | Tech\n\nThe foxtrot lede.\n\nMore foxtrot.\n');
          return at(g, '2026-11-25T20:00:00Z');
        },
      ],
      ['the clock right again', (g) => at(g, '2026-11-25T22:00:00Z')],
    ];
    const reports: RunReport[] = [];
    for (const [what, step] of steps) {
      mode.now = 'whole';
      const a = await step(whole);
      mode.now = 'chunks';
      views.length = 0;
      const b = await step(chunks);
      expect(said(b), what).toEqual(said(a));
      expect(
        b.issues.map((i) => [i.code, i.message]),
        what,
      ).toEqual(a.issues.map((i) => [i.code, i.message]));
      expect(chunks.published(), what).toEqual(whole.published());
      if (!what.startsWith('a dry run')) expect(views.length, what).toBeGreaterThan(0);
      reports.push(b);
    }
    // The runs did what they are named for (on both paths, compared above).
    expect(reports[1]?.feeds?.scheduled).toHaveLength(1);
    expect(reports[2]?.feeds?.entries).toBe(5);
    expect(reports[3]?.feeds?.released).toHaveLength(1);
    expect(reports[4]?.issues.map((i) => i.code)).toContain('CLOCK_BEHIND');
    expect(reports[5]?.feeds?.published).toBe(true);
  });

  it('rebuilds the catalogue when a chunk is not as the root names it, and publishes', async () => {
    mode.now = 'whole';
    const whole = await gateProject();
    const broken = await gateProject();
    const a = await whole.attempt();
    mode.now = 'broken';
    views.length = 0;
    const b = await broken.attempt();
    mode.now = 'chunks';
    expect(views.length).toBe(1);
    expect(said(b)).toEqual(said(a));
    expect(b.issues).toEqual([]);
    expect(broken.published()).toEqual(whole.published());
    // The catalogue's files are not trusted: the next run rebuilds them.
    const { state, records } = broken.p.context().config.paths;
    const dirty = catalogueFiles(state, records).dirty;
    expect(existsSync(dirty)).toBe(true);
    // And the next run does, and reads the chunks again.
    views.length = 0;
    const next = await broken.run();
    expect(next.issues).toEqual([]);
    expect(existsSync(dirty)).toBe(false);
    expect(broken.published()).toEqual(whole.published());
    expect(views.length).toBeLessThanOrEqual(1);
  });
});
