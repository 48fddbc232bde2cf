import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { NORMALIZER_VERSION } from '../../src/normalize/normalizer-version.js';
import { makeProject } from '../helpers.js';

/**
 * A fixed normalization rule reaches the articles already archived: each catalogue row keeps
 * the normalizer version that made its record, and older rows are normalized again.
 */
const ARTICLE =
  'Ploi în sud | Vreme\n\nMeteorologii au emis o avertizare de ploi pentru mai multe județe din sud.\n\nAutoritățile recomandă prudență.\n\nCiteşte şi\n\nNinsori la munte\n\nSursa: www.example.com\n';

type Rows = { rows: unknown[][] };

describe('records made by older normalization rules', () => {
  it('are normalized again once: a visible difference is a revision, same id', async () => {
    const p = makeProject();
    p.write('ploi.txt', ARTICLE);
    const first = await archiveArticles(p.context(new Date('2026-11-25T08:00:00Z')), {
      dryRun: false,
    });
    const rel = join('archive/records', first.summary.added[0]!);
    const clean = JSON.parse(p.read(rel)) as ArchiveRecord;
    expect(clean.body.map((b) => b.text).join(' ')).not.toContain('Citeşte');

    // What version 1 made of it: the cedilla trailer and the related title as body text; and
    // a version-1 catalogue (no normalizer column, nor what a run with nothing to do reports).
    const old = {
      ...clean,
      body: [
        ...clean.body,
        { type: 'heading', text: 'Citește și' },
        { type: 'heading', text: 'Ninsori la munte' },
      ],
    };
    writeFileSync(join(p.dir, rel), `${JSON.stringify(old, null, 2)}\n`);
    // Version 1 kept every row in inputs.json (version 5 keeps them in buckets, inputs/*.json).
    const state = join(p.dir, '.feedkeeper');
    const inputs = join(state, 'inputs.json');
    const header = JSON.parse(`${readFileSync(inputs, 'utf8').split('\n')[0]!}]}`) as {
      quiet?: unknown;
    };
    delete header.quiet;
    const rows = readdirSync(join(state, 'inputs'))
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => (JSON.parse(readFileSync(join(state, 'inputs', f), 'utf8')) as Rows).rows)
      // The normalizer column (whatever the current version is) goes.
      .map((row) => [...row.slice(0, 7), ...row.slice(8)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toContain(NORMALIZER_VERSION);
    writeFileSync(
      inputs,
      `${JSON.stringify({ ...header, version: 1, rows: [] }).slice(0, -2)}\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`,
    );
    rmSync(join(state, 'inputs.journal'), { force: true });
    for (const f of readdirSync(join(p.dir, '.feedkeeper')))
      if (f === 'records.json') {
        const r = join(p.dir, '.feedkeeper', f);
        writeFileSync(r, readFileSync(r, 'utf8').replace('"version":2', '"version":1'));
      }

    const second = await archiveArticles(p.context(new Date('2026-11-26T08:00:00Z')), {
      dryRun: false,
    });
    expect(second.summary.revised).toEqual([first.summary.added[0]]);
    const now = JSON.parse(p.read(rel)) as ArchiveRecord;
    expect(now.id).toBe(clean.id);
    expect(now.body).toEqual(clean.body);
    expect(now.revisions.at(-1)?.body).toEqual(old.body);

    // Then the rows are current: the next run reads nothing.
    const third = await archiveArticles(p.context(new Date('2026-11-27T08:00:00Z')), {
      dryRun: false,
    });
    expect(third.summary).toMatchObject({ revised: [], unchanged: 1 });
    expect(third.written).toEqual([]);
  });
});
