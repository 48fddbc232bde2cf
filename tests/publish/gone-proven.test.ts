import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Outputs from '../../src/model/outputs.js';
import { runOnce } from '../../src/pipeline/run.js';
import type * as GoneMarkers from '../../src/publish/gone-markers.js';
import { expectRefused, gateProject, type GateProject } from '../gate/project.js';

/**
 * The 410 markers (`<page>.gone`) are proven after they are set, before anything is published:
 * a withdrawn article's notice page has one, a live page none. The faults are those of the
 * outside try of the gate (attackE AP26, AP27, G01b), each published with exit 0 before.
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/publish/gone-markers.js', async (importOriginal) => {
  const real = await importOriginal<typeof GoneMarkers>();
  const fs = await import('node:fs');
  const path = await import('node:path');
  return {
    ...real,
    setGoneMarkers: (outDir: string, rows: readonly GoneMarkers.PublishedStatus[]): void => {
      if (fault.name === 'never removed') {
        // G01b: markers are made, never removed.
        real.setGoneMarkers(
          outDir,
          rows.filter((r) => r.status === 410),
        );
        return;
      }
      real.setGoneMarkers(outDir, rows);
      if (fault.name === 'live page marked')
        // AP27: a live article's page marked too.
        for (const r of rows)
          if (r.status !== 410 && r.file.startsWith('articles/'))
            fs.writeFileSync(path.join(outDir, r.file + real.GONE_MARKER), '');
    },
  };
});

vi.mock('../../src/model/outputs.js', async (importOriginal) => {
  const real = await importOriginal<typeof Outputs>();
  return {
    ...real,
    // AP26: a withdrawn article's page row without its 410 status.
    pageRow: (file: string, gone?: boolean): Outputs.OutputRow =>
      real.pageRow(file, fault.name === 'notice row 200' ? false : gone),
  };
});

afterEach(() => {
  fault.name = '';
});

const markers = (g: GateProject): string[] =>
  Object.keys(g.published()).filter((f) => f.endsWith('.gone'));

describe('the 410 markers are proven before anything is published', () => {
  it('a live page marked 410 (AP27): refused with GONE_MARKER, out/ as it was', async () => {
    const g = await gateProject();
    expect(markers(g)).toEqual(['articles/withdrawn-story.html.gone']);
    fault.name = 'live page marked';
    await expectRefused(g, ['GONE_MARKER']);
    fault.name = '';
    expect((await g.attempt()).issues).toEqual([]);
    expect(markers(g)).toEqual(['articles/withdrawn-story.html.gone']);
  });

  it("a restored article's marker left (G01b): refused with GONE_MARKER, out/ as it was", async () => {
    const g = await gateProject();
    const before = g.published();
    fault.name = 'never removed';
    writeFileSync(
      join(g.p.articles, 'gone.txt'),
      'Withdrawn story | World\n\nThis article is withdrawn later.\n\nIts second paragraph.\n',
    );
    const r = await runOnce(g.p.context(new Date('2026-11-25T20:00:00Z')), { dryRun: false });
    expect(r.archive.restored).toHaveLength(1);
    expect(r.feeds).toMatchObject({ published: false });
    expect(r.issues.map((i) => `${i.code} ${i.file}`)).toContain(
      'GONE_MARKER out/articles/withdrawn-story.html',
    );
    expect(g.published()).toEqual(before);
    fault.name = '';
    const again = await runOnce(g.p.context(new Date('2026-11-25T21:00:00Z')), { dryRun: false });
    expect(again.issues).toEqual([]);
    expect(existsSync(join(g.p.dir, 'out', 'articles', 'withdrawn-story.html.gone'))).toBe(false);
  });

  it('a notice page whose row says 200 (AP26): refused with PAGE_STATUS, out/ as it was', async () => {
    const g = await gateProject();
    const before = g.published();
    fault.name = 'notice row 200';
    const r = await runOnce(g.p.context(new Date('2026-11-25T20:00:00Z')), {
      dryRun: false,
      full: true,
    });
    expect(r.feeds).toMatchObject({ published: false });
    expect(r.issues.map((i) => `${i.code} ${i.file}`)).toContain(
      'PAGE_STATUS out/articles/withdrawn-story.html',
    );
    expect(g.published()).toEqual(before);
  });
});
