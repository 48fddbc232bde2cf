import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastRun } from '../../src/schedule/run-log.js';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: with the run log's last line cut (an append a full disk cut short),
 * status said "last run: none yet", though the lines before it were whole.
 */
describe('the run log with its last line cut', () => {
  it('tells the last whole run', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('build').status).toBe(0);
    const file = join(p.dir, '.feedkeeper', 'runs.jsonl');
    const whole = readFileSync(file, 'utf8');
    const lines = whole.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    writeFileSync(file, `${whole}${lines[1]!.slice(0, 40)}`);
    expect(lastRun(join(p.dir, '.feedkeeper'))).toEqual(JSON.parse(lines[1]!));
    expect(p.cli('status').stdout).toMatch(/^last run: ok, build, /m);
  });
});
