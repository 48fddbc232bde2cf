import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as LastChange from '../../src/archive/last-change.js';
import type { Catalogue } from '../../src/archive/catalogue.js';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import type * as Embargo from '../../src/pipeline/embargo.js';
import type * as ViewFile from '../../src/archive/record-view-file.js';
import type * as SelectEntries from '../../src/pipeline/select-entries.js';
import { runOnce } from '../../src/pipeline/run.js';
import { expectRefused, gateProject } from './project.js';

/**
 * Embargo faults in the render path (pipeline/embargo.ts): a selection that lists a record
 * still under embargo, and a feed date taken from one. The gate's expectation leaves embargoed
 * records out on its own path (validate/expected-feed.ts), so both are refused. And a fault in
 * the visibility the renderer and the chain oracle share (`visibleRows`): found by an outside
 * fault-injection try, it published an embargoed story's page, its month page and archive
 * documents with exit 0; validate/embargo-leak.ts finds the embargo on its own. Since the
 * gate's chain oracle reads the saved chunks (validate/expected-history-chunks.ts), it no longer
 * goes through `visibleRows` and finds the wrong chain first (HISTORY_LINK); with no saved
 * chunks (a catalogue rebuilt in memory) it shares the fault again, and the leak check finds it.
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/pipeline/select-entries.js', async (importOriginal) => {
  const real = await importOriginal<typeof SelectEntries>();
  return {
    ...real,
    selectEntries: (cat: Catalogue, size: number, now?: string): string[] =>
      real.selectEntries(cat, size, fault.name === 'embargoed listed' ? undefined : now),
  };
});

vi.mock('../../src/archive/last-change.js', async (importOriginal) => {
  const real = await importOriginal<typeof LastChange>();
  return {
    ...real,
    lastChange: (records: Iterable<RecordEntry>, now?: string): string | null =>
      real.lastChange(records, fault.name === 'feed date from an embargo' ? undefined : now),
  };
});

vi.mock('../../src/pipeline/embargo.js', async (importOriginal) => {
  const real = await importOriginal<typeof Embargo>();
  return {
    ...real,
    visibleRows: ((rows, now, leftOut) =>
      fault.name.startsWith('every row visible')
        ? rows
        : real.visibleRows(rows, now, leftOut)) as typeof real.visibleRows,
  };
});

vi.mock('../../src/archive/record-view-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof ViewFile>();
  return {
    ...real,
    savedRecordChunks: (...args: Parameters<typeof real.savedRecordChunks>) =>
      fault.name.endsWith('no chunks') ? null : real.savedRecordChunks(...args),
  };
});

// `visibleRows` is what the whole plans make the chain and the pages from; the plan from the
// changes (pipeline/parts-plan.ts) asks each row's visibility of history/visible-parts.ts.
process.env['FEEDKEEPER_PARTS_PLAN'] = 'whole';

afterEach(() => {
  fault.name = '';
});

describe('embargo faults in the render path are refused', () => {
  it.each([
    ['embargoed listed', ['FEED_SELECTION']],
    ['feed date from an embargo', ['ROUNDTRIP_MISMATCH']],
    ['every row visible', ['HISTORY_LINK']],
    ['every row visible, no chunks', ['EMBARGO_LEAK']],
  ])('%s', async (name, codes) => {
    const g = await gateProject();
    // An article under embargo until after every run of the test (their clock is 2026-11-25).
    g.p.write(
      'e.txt',
      '---\ndate: 2026-12-24T10:00:00Z\n---\nEmbargoed story | World\n\nThe embargoed lede.\n\nIts second paragraph.\n',
    );
    const scheduled = await runOnce(g.p.context(new Date('2026-11-25T20:00:00Z')), {
      dryRun: false,
    });
    expect(scheduled.issues).toEqual([]);
    expect(scheduled.feeds?.scheduled).toHaveLength(1);
    fault.name = name;
    await expectRefused(g, codes);
  });
});
