import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from '../../src/config/duplicate-keys.js';
import { makeProject } from '../helpers.js';

/**
 * A key given twice in the configuration: JSON.parse keeps the last without a word, so the
 * newsroom edited one `"title"` while the other was published. Refused (exit 2), naming the
 * key and both lines.
 */
describe('a configuration key given twice', () => {
  it('is found with its path and both lines', () => {
    const text = '{\n "site": {\n  "title": "A",\n  "baseUrl": "x",\n  "title": "B"\n }\n}\n';
    expect(firstDuplicateKey(text)).toEqual({ path: 'site.title', firstLine: 3, secondLine: 5 });
    expect(firstDuplicateKey('{"a": 1, "\\u0061": 2}')).toMatchObject({ path: 'a' });
    expect(firstDuplicateKey('{"a": {"b": 1}, "a": {"c": 2}}')).toMatchObject({ path: 'a' });
    expect(firstDuplicateKey('{"l": [{"x": 1}, {"y": 1, "y": 2}]}')).toMatchObject({
      path: 'l[1].y',
    });
  });

  it('is not found when the same name is in two objects, in a value, or is a note', () => {
    expect(firstDuplicateKey('{"a": {"t": 1}, "b": {"t": 1}}')).toBeNull();
    expect(firstDuplicateKey('{"a": "a", "b": ["a", "a"], "c": "\\"a\\": 1, \\"a\\""}')).toBeNull();
    expect(firstDuplicateKey('{"l": [{"x": 1}, {"x": 2}]}')).toBeNull();
    expect(
      firstDuplicateKey('{"$comment": "a", "$comment": "b"}', new Set(['$comment'])),
    ).toBeNull();
  });

  it('stops the command with exit 2, naming the file, the key and both lines', () => {
    const p = makeProject();
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-config-'));
    const file = join(dir, 'feedkeeper.config.json');
    writeFileSync(
      file,
      [
        '{',
        '  "site": {',
        '    "title": "Old name",',
        '    "baseUrl": "https://news.example.org",',
        '    "author": { "name": "N" },',
        '    "title": "New name"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const r = p.cli('build', '--config', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `config: ${file} gives the key "site.title" twice (lines 3 and 6); JSON keeps only the last`,
    );
    expect(r.stderr).toContain('remove the other "title" line');
  });
});
