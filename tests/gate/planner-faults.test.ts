import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as RenderArchive from '../../src/history/render-archive.js';
import type * as MonthParts from '../../src/model/month-parts.js';
import type * as PageState from '../../src/pipeline/page-state.js';
import type * as PageRows from '../../src/pipeline/page-rows.js';
import type * as PartsPlan from '../../src/pipeline/parts-plan.js';
import type * as RenderPages from '../../src/pipeline/render-pages.js';
import { runOnce } from '../../src/pipeline/run.js';
import { expectRefused, gateProject } from './project.js';

/**
 * Faults in the incremental planners (which pages and archive documents a run renders), each of
 * the kind an outside fault-injection try found published with exit 0: the gate proves only what
 * a run renders, so an output the planner skipped stayed as it was (a withdrawn article's whole
 * page answered 200, a revised article's old page, a stale archive document). The run that
 * withdraws, revises and adds an article must be refused with OUTPUT_NOT_RENDERED, out/ as it
 * was (validate/outputs-due.ts).
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/pipeline/render-pages.js', async (importOriginal) => {
  const real = await importOriginal<typeof RenderPages>();
  const { stampOf } = await vi.importActual<typeof PageState>('../../src/pipeline/page-state.js');
  const { WholeRows } = await vi.importActual<typeof PageRows>('../../src/pipeline/page-rows.js');
  return {
    ...real,
    planPages: (
      cat: Parameters<typeof real.planPages>[0],
      opts: Parameters<typeof real.planPages>[1],
    ): RenderPages.PagePlanning => {
      const before = opts.before;
      if (fault.name === '' || before === null) return real.planPages(cat, opts);
      // The page state's stamps made to match the rows, for the records the fault misses: their
      // pages look unchanged to the planner (P02: a withdrawal; P01: any revision; new: none).
      const records = new Map(before.records.all());
      for (const [path, row] of cat.records) {
        const old = records.get(path);
        const missed =
          fault.name === 'revised page not planned' ||
          (fault.name === 'withdrawn page not planned' && row.withdrawn);
        if (old !== undefined && missed) records.set(path, [stampOf(row), old[1]]);
        const missedNew =
          fault.name === 'new page not planned' ||
          (fault.name === 'released page not planned' && row.slug.startsWith('embargoed'));
        if (missedNew && old === undefined)
          records.set(path, [stampOf(row), `articles/${row.slug}.html`]);
      }
      const planned = real.planPages(cat, {
        ...opts,
        before: { ...before, records: new WholeRows(records) },
      });
      if (fault.name !== 'month page not planned') return planned;
      // No month part due: the changed records' month pages keep their old lists.
      return { ...planned, toRender: new Set(), wanted: [...planned.changedSet].sort() };
    },
  };
});

vi.mock('../../src/history/render-archive.js', async (importOriginal) => {
  const real = await importOriginal<typeof RenderArchive>();
  const { monthParts } = await vi.importActual<typeof MonthParts>('../../src/model/month-parts.js');
  return {
    ...real,
    docsDue: (...args: Parameters<typeof real.docsDue>): RenderArchive.DocsDue => {
      const planned = real.docsDue(...args);
      // An emptied part's documents left in out/, a feed of no entries that readers refuse.
      if (fault.name === 'emptied documents not removed') return { ...planned, gone: [] };
      if (fault.name === 'emptied part kept in the chain') {
        // The chain as it was: every part a document, those of withdrawn records alone too.
        const docs = monthParts([...args[1].records], ([, r]) => r).map(
          (p) =>
            planned.chain.docs.find((d) => d.name === p.name) ?? {
              name: p.name,
              live: [],
              changedAt: p.rows[0]?.[1].updatedAt ?? '',
              key: 'kept',
            },
        );
        const due = docs.map((d, i) => ({ d, i })).filter(({ d }) => d.key === 'kept');
        return { chain: { ...planned.chain, docs }, due, gone: [] };
      }
      // H17b: a document's key blind to its records' updates (here: no document due at all).
      return fault.name === 'archive documents not planned' ? { ...planned, due: [] } : planned;
    },
  };
});

// The plan from the changes (pipeline/parts-plan.ts) with the same faults: the gate refuses
// them whichever planner made the plan.
const fastPlans = vi.hoisted(() => ({ made: 0 }));
vi.mock('../../src/pipeline/parts-plan.js', async (importOriginal) => {
  const real = await importOriginal<typeof PartsPlan>();
  return {
    ...real,
    partsPlan: (...args: Parameters<typeof real.partsPlan>): ReturnType<typeof real.partsPlan> => {
      const planned = real.partsPlan(...args);
      if (planned === null) return planned;
      fastPlans.made++;
      if (fault.name === 'month page not planned from the changes')
        return {
          ...planned,
          pages: {
            ...planned.pages,
            toRender: new Set(),
            wanted: [...planned.pages.changedSet].sort(),
          },
        };
      if (fault.name === 'archive documents not planned from the changes')
        return { ...planned, docs: { ...planned.docs, due: [] } };
      return planned;
    },
  };
});

// The faults above are the whole plans' (docsDue, planPages): those plans, here.
process.env['FEEDKEEPER_PARTS_PLAN'] = 'whole';

afterEach(() => {
  fault.name = '';
  process.env['FEEDKEEPER_PARTS_PLAN'] = 'whole';
});

describe('faults in the planners are refused', () => {
  it('released page not planned', async () => {
    const g = await gateProject();
    // Under embargo at a publication (12:30), due at 12:45: released by the run under test (13:00).
    g.p.write(
      'embargoed.md',
      '---\ntitle: Embargoed story\ndate: 2026-11-25T12:45:00Z\n---\nThe embargoed lede, to be read at a quarter to one.\n',
    );
    const held = await runOnce(g.p.context(new Date('2026-11-25T12:30:00Z')), { dryRun: false });
    expect(held.feeds?.scheduled).toHaveLength(1);
    fault.name = 'released page not planned';
    await expectRefused(g, ['OUTPUT_NOT_RENDERED']);
  });

  it.each([
    ['withdrawn page not planned'],
    ['revised page not planned'],
    ['new page not planned'],
    ['month page not planned'],
    ['archive documents not planned'],
  ])('%s', async (name) => {
    const g = await gateProject();
    // The run under test withdraws c, revises a, and adds d (attempt()).
    rmSync(join(g.p.articles, 'c.txt'));
    g.p.write(
      'a.txt',
      'Alpha news | Politics\n\nThe alpha lede.\n\nA paragraph with <script>alert(1)</script> and &amp; in it.\n\nA short heading\n\nMore alpha text follows here, and a correction.\n\nSursa: www.aljazeera.com\n',
    );
    fault.name = name;
    await expectRefused(g, ['OUTPUT_NOT_RENDERED']);
  });

  it.each([
    ['month page not planned from the changes'],
    ['archive documents not planned from the changes'],
  ])('%s', async (name) => {
    const g = await gateProject();
    rmSync(join(g.p.articles, 'c.txt'));
    process.env['FEEDKEEPER_PARTS_PLAN'] = '';
    fault.name = name;
    const made = fastPlans.made;
    await expectRefused(g, ['OUTPUT_NOT_RENDERED']);
    expect(fastPlans.made).toBeGreaterThan(made);
  });

  it.each([
    ['emptied part kept in the chain', 'HISTORY_LINK'],
    ['emptied documents not removed', 'OUTPUT_NOT_REMOVED'],
  ])('%s', async (name, code) => {
    const g = await gateProject();
    // A month of one article, which the run under test withdraws: its part leaves the chain.
    g.p.write(
      'old.txt',
      '---\ndate: 2026-10-02T08:00:00Z\n---\nOld story | World\n\nThe old lede.\n',
    );
    const added = await runOnce(g.p.context(new Date('2026-11-25T12:30:00Z')), { dryRun: false });
    expect(added.feeds?.published).toBe(true);
    expect(g.published()).toHaveProperty(['archive/2026/10/atom.xml']);
    rmSync(join(g.p.articles, 'old.txt'));
    fault.name = name;
    await expectRefused(g, [code]);
  });
});
