import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { claimFolders, STATE_FILES } from '../../src/pipeline/claim-folders.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * Issue 10, item 7, for the state and records folders (out/: out-folder.test.ts): one that holds
 * files feedkeeper did not create is refused at start, with the key and what to write, and
 * nothing in it is touched.
 */
const story = 'Ploi | Lume\n\nPrimul paragraf al știrii.\n\nAl doilea paragraf.\n';
const claim = (p: Project): void => claimFolders(p.context().config, { mark: true });
const refusal = (p: Project): string[] => {
  try {
    claim(p);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).lines];
  }
  return [];
};

describe('paths.state and paths.records', () => {
  it('a state folder holding only files feedkeeper did not create: refused, nothing written', () => {
    const p = makeProject();
    const state = join(p.dir, '.feedkeeper');
    mkdirSync(join(state, 'photos'), { recursive: true });
    writeFileSync(join(state, 'notes.txt'), 'mine\n');
    writeFileSync(join(state, '.hidden'), '');
    expect(refusal(p)).toEqual([
      `config: "paths.state": ".feedkeeper" (${state}) holds files feedkeeper did not create (notes.txt, photos): it keeps its catalogue and publish state there (inputs.json, published.json, …) and would write among them.`,
      'hint: write paths.state in the configuration as a folder of its own, e.g. ".feedkeeper"; nothing was read or written.',
    ]);
    expect(readdirSync(state).sort()).toEqual(['.hidden', 'notes.txt', 'photos']);
    expect(readdirSync(join(p.dir))).not.toContain('out');
  });

  it("a state folder with one of feedkeeper's files (an older version's) is feedkeeper's", () => {
    const p = makeProject();
    const state = join(p.dir, '.feedkeeper');
    mkdirSync(state);
    writeFileSync(join(state, 'runs.jsonl'), '');
    writeFileSync(join(state, 'something-older.json'), '{}');
    expect(refusal(p)).toEqual([]);
  });

  it('a records folder with anything but year folders and hidden files at its top: refused', () => {
    const p = makeProject();
    const records = join(p.dir, 'archive', 'records');
    mkdirSync(join(records, '2026', '11'), { recursive: true });
    writeFileSync(join(records, '.gitkeep'), '');
    expect(refusal(p)).toEqual([]);
    writeFileSync(join(records, 'notes.txt'), 'mine\n');
    const [what, hint] = refusal(p);
    expect(what).toBe(
      `config: "paths.records": "archive/records" (${records}) holds files that are not feedkeeper records (notes.txt): it keeps one folder per year there (2026/11/<slug>.json).`,
    );
    expect(hint).toContain('or move those files out of it');
    expect(readFileSync(join(records, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('the CLI: exit 2, the message, and no file written anywhere', () => {
    const p = makeProject();
    p.write('a.txt', story);
    mkdirSync(join(p.dir, '.feedkeeper'));
    writeFileSync(join(p.dir, '.feedkeeper', 'diary.txt'), 'mine\n');
    const r = p.cli('build');
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('config: "paths.state": ".feedkeeper"');
    expect(readdirSync(join(p.dir, '.feedkeeper'))).toEqual(['diary.txt']);
    expect(readdirSync(join(p.dir, 'archive'))).toEqual(['articles']);
  });

  it('knows every file a run keeps in the state folder (else a later run could refuse its own)', async () => {
    const p = makeProject();
    p.write('a.txt', story);
    claim(p);
    await runOnce(p.context(), { dryRun: false });
    p.write('b.txt', story.replace('Ploi', 'Vânt'));
    await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    const kept = readdirSync(join(p.dir, '.feedkeeper')).filter((n) => !n.startsWith('.'));
    expect(kept.length).toBeGreaterThan(3);
    for (const name of kept) expect(STATE_FILES.has(name), name).toBe(true);
    expect(refusal(p)).toEqual([]);
  });
});
