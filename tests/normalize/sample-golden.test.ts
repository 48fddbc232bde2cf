import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSchema } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { REPO, makeProject, sampleBytes } from '../helpers.js';
import { sha256 } from './normalize-helpers.js';

const NAME = '000_4b52bae062771df2.txt';
const GOLDEN = join(REPO, 'tests', 'fixtures', 'normalize', '000_4b52bae062771df2.record.json');
const SLUG = 'putin-face-o-vizita-rara-la-minsk-pentru-discutii-cu-liderul-belarus';
const RECORD = `archive/records/2026/11/${SLUG}.json`;

/** The sample's paragraphs as a person reads them off the file, corrected by hand-written rules. */
function expectedBodyTexts(raw: string): string[] {
  const blocks = raw.split('\n\n');
  expect(blocks[0]).toContain(' | ');
  expect(blocks.slice(-2)).toEqual(['Sursa: www.aljazeera.com', 'Citește și']);
  return blocks
    .slice(1, -2)
    .map((t) =>
      t
        .replaceAll('ş', 'ș')
        .replaceAll('ţ', 'ț')
        .replaceAll('Ş', 'Ș')
        .replaceAll('Ţ', 'Ț')
        .replace('[these talks]problemele', '[these talks] problemele'),
    );
}

describe('the shipped sample, archived', () => {
  it('gives the golden record, byte for byte, and the record the issue asks for', async () => {
    const p = makeProject();
    const original = sampleBytes();
    const stored = p.write(NAME, original);
    const result = await archiveArticles(p.context(new Date('2026-11-25T08:00:00Z')), {
      dryRun: false,
    });
    expect(result.issues).toEqual([]);
    expect(result.summary.added).toEqual([`2026/11/${SLUG}.json`]);
    expect(result.written).toContain(RECORD);

    const bytes = readFileSync(join(p.dir, RECORD));
    const golden = readFileSync(GOLDEN);
    expect(bytes.toString('utf8')).toBe(golden.toString('utf8'));
    expect(Buffer.compare(bytes, golden)).toBe(0);

    // The stored article is never modified.
    expect(Buffer.compare(readFileSync(stored), original)).toBe(0);

    const text = bytes.toString('utf8');
    const r = recordSchema.parse(JSON.parse(text));
    expect(r.title).toBe('Putin face o vizită rară la Minsk pentru discuții cu liderul belarus');
    expect(r.section).toBe('Știri despre războiul Rusia-Ucraina');
    expect(r.language).toBe('ro');
    expect(r.summary).toMatch(/^Președintele rus Vladimir Putin a vizitat Minsk /);
    expect(r.summary).toBe(r.body[0]?.text);

    expect(r.body.filter((b) => b.type === 'paragraph')).toHaveLength(25);
    expect(r.body.filter((b) => b.type === 'heading')).toEqual([
      { type: 'heading', text: 'Rol mai activ?' },
    ]);
    expect(r.body[9]).toEqual({ type: 'heading', text: 'Rol mai activ?' });
    expect(r.body.map((b) => b.text)).toEqual(expectedBodyTexts(original.toString('utf8')));

    expect(r.source).toEqual({ name: 'www.aljazeera.com', url: 'https://www.aljazeera.com/' });
    for (const b of r.body) {
      expect(b.text).not.toMatch(/Sursa:|Cite[sș]te [sș]i/);
    }
    expect(text).not.toMatch(/[şţŞŢ]/);
    expect(text).toContain('Serghei Șoigu, și');
    expect(text).toContain('așteptați');
    expect(text).toContain('[these talks] problemele');

    expect(r.slug).toBe(SLUG);
    expect(r.id).toBe(`tag:news.example.org,2026-11-25:${SLUG}`);
    expect(r.url).toBe(`https://news.example.org/articles/${SLUG}.html`);
    expect(r.publishedAt).toBe('2026-11-25T08:00:00Z');
    expect(r.updatedAt).toBe('2026-11-25T08:00:00Z');
    expect(r.withdrawnAt).toBeNull();
    expect(r.input).toEqual({
      path: `archive/articles/${NAME}`,
      sha256: sha256(original),
      bytes: original.length,
    });
    expect(r.revisions).toEqual([]);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
