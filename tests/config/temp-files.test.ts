import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, makeProject, sampleBytes } from '../helpers.js';

/**
 * A run removes what a killed run left (`.<name>.tmp-<pid>`, see io/atomic-write.ts) only in
 * the folders it writes (out, state, records) and only for names it writes there (records and
 * state files are .json, out holds the feeds): a newsroom's own hidden temp file survives.
 */
describe('temp files', () => {
  it('a newsroom temp file among the stored articles survives a build', () => {
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    const notes = p.write('.notes.txt.tmp-1234', 'the newsroom’s own file');
    const nested = p.write('2026/.draft.md.tmp-5', 'also theirs');
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(notes)).toBe(true);
    expect(existsSync(nested)).toBe(true);
  });

  it('in out, state and records only feedkeeper’s own leftovers are removed', () => {
    const p = makeProject({
      ...BASE_CONFIG,
      paths: { out: 'public', state: 'var/fk', records: 'data/records' },
    });
    p.write('a.txt', sampleBytes());
    const put = (rel: string): string => {
      const abs = join(p.dir, rel);
      mkdirSync(join(abs, '..'), { recursive: true });
      writeFileSync(abs, 'x');
      return abs;
    };
    // out/ is feedkeeper's (its marker), and the newsroom keeps files of its own there too.
    put('public/.feedkeeper-out');
    const ours = [
      'public/.rss.xml.tmp-424242',
      'public/.feed.json.tmp-1',
      // out/'s marker is written atomically too (pipeline/out-folder.ts).
      'public/..feedkeeper-out.tmp-77',
      'var/fk/.inputs.json.tmp-424242',
      'data/records/2026/11/.some-story.json.tmp-123',
    ].map(put);
    const theirs = [
      'public/.notes.txt.tmp-1234',
      'public/.htaccess.tmp-77',
      'public/media/.photo.jpg.tmp-3',
      'var/fk/.notes.md.tmp-2',
      'data/records/.README.md.tmp-9',
    ].map(put);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    for (const f of ours) expect(existsSync(f), f).toBe(false);
    for (const f of theirs) expect(existsSync(f), f).toBe(true);
  });
});
