import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as RenderArchive from '../../src/history/render-archive.js';
import type * as FeedHistory from '../../src/model/feed-history.js';
import type * as PartsPlan from '../../src/pipeline/parts-plan.js';
import type * as RenderPages from '../../src/pipeline/render-pages.js';
import type { RunReport } from '../../src/pipeline/report.js';
import { expectRefused, gateProject, type GateProject } from './project.js';

/**
 * Faults in the planners that skip an output whose own records did not change, but whose bytes
 * depend on a record that did: the month page beside a month that appeared or vanished (its
 * older/newer links), the archive documents beside a part that joined or left the chain (their
 * prev-archive / next-archive), the parts of a month cut again (a new part opened: the first
 * part's list of parts and the part before it; a back-dated article: every later part holds
 * other records). The gate's own oracle says which those are (validate/outputs-around.ts) and
 * proves the published file of each one the run did not render: stale, the run is refused with
 * OUTPUT_STALE and out/ stays as it was.
 */
const fault = vi.hoisted(() => ({ pages: [] as string[], docs: [] as string[] }));

// Parts of 3 records, not 100: a month is cut into parts after its third article, and each
// scenario stays a few small runs (the renderer, the planners and the gate all read it here).
vi.mock('../../src/model/feed-history.js', async (importOriginal) => ({
  ...(await importOriginal<typeof FeedHistory>()),
  PART_SIZE: 3,
}));

vi.mock('../../src/pipeline/render-pages.js', async (importOriginal) => {
  const real = await importOriginal<typeof RenderPages>();
  return {
    ...real,
    planPages: (...args: Parameters<typeof real.planPages>): RenderPages.PagePlanning => {
      const planned = real.planPages(...args);
      if (fault.pages.length === 0) return planned;
      const toRender = new Set([...planned.toRender].filter((p) => !fault.pages.includes(p)));
      return { ...planned, toRender };
    },
  };
});

vi.mock('../../src/history/render-archive.js', async (importOriginal) => {
  const real = await importOriginal<typeof RenderArchive>();
  return {
    ...real,
    docsDue: (...args: Parameters<typeof real.docsDue>): RenderArchive.DocsDue => {
      const planned = real.docsDue(...args);
      if (fault.docs.length === 0) return planned;
      return { ...planned, due: planned.due.filter(({ d }) => !fault.docs.includes(d.name)) };
    },
  };
});

// And in the plan from the changes (pipeline/parts-plan.ts), whichever the run makes.
vi.mock('../../src/pipeline/parts-plan.js', async (importOriginal) => {
  const real = await importOriginal<typeof PartsPlan>();
  return {
    ...real,
    partsPlan: (...args: Parameters<typeof real.partsPlan>): ReturnType<typeof real.partsPlan> => {
      const planned = real.partsPlan(...args);
      if (planned === null) return planned;
      const toRender = new Set([...planned.pages.toRender].filter((p) => !fault.pages.includes(p)));
      return {
        ...planned,
        pages: { ...planned.pages, toRender },
        docs: {
          ...planned.docs,
          due: planned.docs.due.filter(({ d }) => !fault.docs.includes(d.name)),
        },
      };
    },
  };
});

afterEach(() => {
  fault.pages = [];
  fault.docs = [];
});

const october = (name: string, at: string): string =>
  `---\ndate: ${at}\n---\nOctober story ${name} | World\n\nThe lede of the October story ${name}.\n`;

/** `n` articles of October, a minute apart from the 2nd at 08:00, in one run. */
async function octoberOf(g: GateProject, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.parse('2026-10-02T08:00:00Z') + i * 60_000).toISOString();
    g.p.write(`oct/${String(i).padStart(3, '0')}.txt`, october(String(i), at.slice(0, 19) + 'Z'));
  }
  const r = await g.run();
  expect(r.feeds?.published).toBe(true);
}

/** Each scenario: what is published first, then the run under test (no November article). */
const SCENARIOS: Record<
  string,
  { before: (g: GateProject) => Promise<void>; attempt: (g: GateProject) => Promise<RunReport> }
> = {
  // A back-dated article opens October: November's first page gets an older link, its
  // documents a prev-archive.
  'a month appears': {
    before: async () => {},
    attempt: (g) => {
      g.p.write('old.txt', october('old', '2026-10-02T08:00:00Z'));
      return g.run();
    },
  },
  // October's only article is withdrawn: November links nothing older any more.
  'a month vanishes': {
    before: (g) => octoberOf(g, 1),
    attempt: (g) => {
      rmSync(join(g.p.articles, 'oct'), { recursive: true });
      return g.run();
    },
  },
  // October's fourth article opens its part 2: part 1's page lists two parts and links the
  // newer one, its documents get a next-archive, November's a new prev-archive.
  'a part opens': {
    before: (g) => octoberOf(g, 3),
    attempt: (g) => {
      g.p.write('new.txt', october('new', '2026-10-30T08:00:00Z'));
      return g.run();
    },
  },
  // An article older than October's four lands in part 1: part 2 now holds another record.
  'a back-dated article shifts the parts after it': {
    before: (g) => octoberOf(g, 4),
    attempt: (g) => {
      g.p.write('first.txt', october('first', '2026-10-01T08:00:00Z'));
      return g.run();
    },
  },
};

describe('outputs beside what changed, skipped by the planners, are refused', () => {
  // Each run skips the pages and the documents at once: each one stale is named.
  it.each([
    ['a month appears', ['2026/11'], ['2026/11'], ['2026/11/index.html', '2026/11/rss.xml']],
    ['a month vanishes', ['2026/11'], ['2026/11'], ['2026/11/index.html', '2026/11/rss.xml']],
    [
      'a part opens',
      ['2026/10'],
      ['2026/10', '2026/11'],
      ['2026/10/index.html', '2026/10/rss.xml', '2026/11/rss.xml'],
    ],
    [
      'a back-dated article shifts the parts after it',
      ['2026/10/2'],
      ['2026/10/2'],
      ['2026/10/2/index.html', '2026/10/2/rss.xml'],
    ],
  ])('%s: pages %j, documents %j not rendered', async (name, pages, docs, stale) => {
    const s = SCENARIOS[name];
    if (s === undefined) throw new Error(name);
    const g = await gateProject();
    await s.before(g);
    fault.pages = pages;
    fault.docs = docs;
    const r = await expectRefused(g, ['OUTPUT_STALE'], () => s.attempt(g));
    const named = r.issues.filter((i) => i.code === 'OUTPUT_STALE').map((i) => i.file);
    expect(named.sort()).toEqual(stale.map((f) => `out/archive/${f}`).sort());
  });

  // The refused run's records are on disk: for the next run they are no change of its own,
  // but their month folder was written since the last publication (record-folders.ts).
  it('the run after a refused one, with the same fault, is refused too', async () => {
    const s = SCENARIOS['a month appears'];
    if (s === undefined) throw new Error('a month appears');
    const g = await gateProject();
    fault.docs = ['2026/11'];
    await expectRefused(g, ['OUTPUT_STALE'], () => s.attempt(g));
    await expectRefused(g, ['OUTPUT_STALE'], g.run);
  });

  it.each(Object.keys(SCENARIOS))(
    '%s: without a fault, published, and the outputs beside it changed',
    async (name) => {
      const s = SCENARIOS[name];
      if (s === undefined) throw new Error(name);
      const g = await gateProject();
      await s.before(g);
      const before = g.published();
      const r = await s.attempt(g);
      expect(r.issues).toEqual([]);
      expect(r.feeds?.published).toBe(true);
      const after = g.published();
      // What the faults above skip did change: they would have been left stale.
      const changed = (file: string): boolean => before[file] !== after[file];
      const beside =
        name === 'a part opens'
          ? ['archive/2026/10/index.html', 'archive/2026/10/atom.xml', 'archive/2026/11/atom.xml']
          : name === 'a back-dated article shifts the parts after it'
            ? ['archive/2026/10/2/index.html', 'archive/2026/10/2/atom.xml']
            : ['archive/2026/11/index.html', 'archive/2026/11/atom.xml'];
      for (const file of beside) expect(changed(file), file).toBe(true);
    },
  );
});
