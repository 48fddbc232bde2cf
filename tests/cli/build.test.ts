import { describe, expect, it } from 'vitest';
import { makeProject, sampleBytes } from '../helpers.js';

describe('feedkeeper build on the sample', () => {
  it('archives the sample, publishes three feeds, and a second run changes no byte and no mtime', () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const first = p.cli('build');
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain('1 added');
    const before = p.snapshot();
    const files = Object.keys(before);
    for (const f of ['out/rss.xml', 'out/atom.xml', 'out/feed.json']) expect(files).toContain(f);
    expect(
      files.some((f) =>
        /^archive\/records\/\d{4}\/\d{2}\/putin-face-o-vizita-rara-la-minsk-pentru-discutii-cu-liderul-belarus\.json$/.test(
          f,
        ),
      ),
    ).toBe(true);

    const second = p.cli('build');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('no file written');
    const after = p.snapshot();
    // The run log gains its one line per run; nothing else may change.
    expect(after['.feedkeeper/runs.jsonl']?.text.trimEnd().split('\n').length).toBe(2);
    delete before['.feedkeeper/runs.jsonl'];
    delete after['.feedkeeper/runs.jsonl'];
    expect(after).toEqual(before);
  });
});
