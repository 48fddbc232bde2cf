import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../src/archive/catalogue.js';
import {
  catalogueFiles,
  loadRecordIndex,
  openCatalogue,
  markDirty,
} from '../../src/archive/catalogue-file.js';
import { newRunMemory, type RunMemory } from '../../src/pipeline/run-memory.js';
import { loadPageState, type PageState } from '../../src/pipeline/page-state.js';
import type { LockedRun } from '../../src/schedule/locked-run.js';
import type { Service } from '../../src/schedule/service.js';
import type { Project } from '../helpers.js';
import {
  articleName,
  inProcessService,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from './process-helpers.js';

afterAll(removeProjects);

/**
 * `feedkeeper schedule` keeps the catalogue in memory between its runs (issue 15), so a tick
 * with work reads none of it (archive/kept-catalogue.ts). Kept only while it is exactly what
 * the files hold: after each tick here the kept catalogue is compared, row by row, with the
 * catalogue read from the files, and a run of `build` between two ticks, a state folder put
 * back as it was, or a dirty marker make the next tick read the files instead.
 */
const started: Service[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

function serve(p: Project): { service: Service; memory: RunMemory } {
  const memory: RunMemory = newRunMemory();
  // Every tick builds (no watch): what is tested is the run, not the watch.
  const service = inProcessService(p, '0 0 1 1 *', memory);
  started.push(service);
  return { service, memory };
}

const rowsOf = (c: Catalogue): unknown => ({
  inputs: [...c.inputs].sort(([a], [b]) => (a < b ? -1 : 1)),
  records: [...c.records].sort(([a], [b]) => (a < b ? -1 : 1)),
  corrupt: [...c.corrupt],
  generation: c.generation,
  scannedAt: c.scannedAt,
});

/** The catalogue as the files hold it (what a run of `build` would read). */
function onDisk(p: Project): Catalogue {
  const files = catalogueFiles(join(p.dir, '.feedkeeper'), join(p.dir, 'archive/records'));
  const c = openCatalogue(files).catalogue;
  expect(c).not.toBeNull();
  expect(loadRecordIndex(files, c!)).toBe(true);
  return c!;
}

async function tick(s: { service: Service }): Promise<LockedRun & { kind: 'ran' }> {
  const t = await s.service.tickNow();
  expect(t?.kind).toBe('ran');
  const ran = t as LockedRun & { kind: 'ran' };
  expect(ran.log.outcome, JSON.stringify(ran.log.problems)).toBe('ok');
  return ran;
}

describe('feedkeeper schedule keeps the catalogue between runs', () => {
  it('a tick with work uses the kept catalogue, which stays what the files hold', async () => {
    const p = syntheticProject(6);
    const s = serve(p);
    await s.service.firstRun;
    const kept = s.memory.keptCatalogue?.catalogue;
    expect(kept).toBeDefined();
    expect(rowsOf(kept!)).toEqual(rowsOf(onDisk(p)));

    const changes: [string, () => void, Partial<Record<string, number>>][] = [
      ['a new article', () => p.write(articleName(6), syntheticArticle(6), 30), { added: 1 }],
      ['an edit', () => p.write(articleName(1), syntheticArticle(1, 1), 30), { revised: 1 }],
      ['a deletion', () => rmSync(join(p.articles, articleName(2))), { withdrawn: 1 }],
      [
        'a rename',
        () => renameSync(join(p.articles, articleName(3)), join(p.articles, 'moved.txt')),
        { added: 0, withdrawn: 0 },
      ],
      [
        'the deleted one back',
        () => p.write(articleName(2), syntheticArticle(2), 30),
        {
          restored: 1,
        },
      ],
    ];
    for (const [what, change, counts] of changes) {
      change();
      const ran = await tick(s);
      expect(ran.log.counts, what).toMatchObject(counts);
      // The same object: the run read no catalogue file, and what it kept is what it saved.
      expect(s.memory.keptCatalogue?.catalogue, what).toBe(kept);
      expect(rowsOf(kept!), what).toEqual(rowsOf(onDisk(p)));
      // The page state it kept is what pages.json and its journal hold.
      expect(pageStateOf(s.memory.keptPages?.state), what).toEqual(
        pageStateOf(loadPageState(join(p.dir, '.feedkeeper'))),
      );
    }
  });

  it('not used once the files changed behind it, or were left dirty', async () => {
    const p = syntheticProject(4);
    const s = serve(p);
    await s.service.firstRun;
    const first = s.memory.keptCatalogue?.catalogue;
    expect(first).toBeDefined();

    // A run of `feedkeeper build` between two ticks saves the catalogue: the next tick reads it.
    p.write(articleName(4), syntheticArticle(4), 30);
    expect(p.cli('build').status).toBe(0);
    p.write(articleName(5), syntheticArticle(5), 30);
    await tick(s);
    const second = s.memory.keptCatalogue?.catalogue;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(rowsOf(second!)).toEqual(rowsOf(onDisk(p)));
    expect(second!.records.size).toBe(6);

    // The state folder put back as it was before the last tick (a restored backup).
    const state = join(p.dir, '.feedkeeper');
    const files = catalogueFiles(state, join(p.dir, 'archive/records'));
    const saved = p.read('.feedkeeper/inputs.json');
    p.write(articleName(6), syntheticArticle(6), 30);
    await tick(s);
    const third = s.memory.keptCatalogue?.catalogue;
    expect(third).toBe(second);
    writeFileSync(files.inputs, saved);
    p.write(articleName(7), syntheticArticle(7), 30);
    const ran = await tick(s);
    expect(s.memory.keptCatalogue?.catalogue).not.toBe(third);
    expect(ran.log.counts).toMatchObject({ added: 1 });
    expect(rowsOf(s.memory.keptCatalogue!.catalogue)).toEqual(rowsOf(onDisk(p)));

    // A dirty marker (a run killed while writing records): the files are rebuilt from the
    // records, never the kept catalogue trusted.
    const before = s.memory.keptCatalogue!.catalogue;
    markDirty(files);
    p.write(articleName(8), syntheticArticle(8), 30);
    await tick(s);
    expect(s.memory.keptCatalogue?.catalogue).not.toBe(before);
    expect(rowsOf(s.memory.keptCatalogue!.catalogue)).toEqual(rowsOf(onDisk(p)));
    expect(s.memory.keptCatalogue!.catalogue.records.size).toBe(9);
  });
});

/** What a page state says, its rows read whole (the groups it read are its own business). */
const pageStateOf = (s: PageState | null | undefined): unknown =>
  s && {
    ...s,
    records: new Map(s.records.all()),
    held: new Map(s.records.held),
  };
