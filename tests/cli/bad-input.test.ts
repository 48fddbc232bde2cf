import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import {
  BASE_CONFIG,
  REPO,
  jsonOf,
  makeProject,
  sampleBytes,
  type Project,
  RUN_LIMIT_MS,
} from '../helpers.js';

const SAMPLE_NAME = '000_4b52bae062771df2.txt';
const SAMPLE_SLUG = 'putin-face-o-vizita-rara-la-minsk-pentru-discutii-cu-liderul-belarus';
const FEEDS = ['out/rss.xml', 'out/atom.xml', 'out/feed.json'];
const RO =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici, iar ministrul a declarat că banii vor ajunge în conturi până la sfârșitul lunii.';

interface BadInput {
  readonly code: string;
  readonly name: string;
  readonly content: Buffer;
  readonly config?: unknown;
}

const SAMPLE_SIZE = sampleBytes().length;
const LIMIT = SAMPLE_SIZE + 100;

const BAD: readonly BadInput[] = [
  { code: 'ARTICLE_EMPTY', name: 'empty.txt', content: Buffer.alloc(0) },
  { code: 'ARTICLE_BLANK', name: 'blank.txt', content: Buffer.from('  \n\t\n\r\n   \n') },
  {
    code: 'ARTICLE_NO_BODY',
    name: 'headline-only.txt',
    content: Buffer.from('Doar un titlu, fără text | Politică\n'),
  },
  {
    code: 'ARTICLE_BINARY',
    name: 'x.txt',
    content: Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
      0x52, 0x00, 0x00, 0x01, 0x00,
    ]),
  },
  {
    code: 'ARTICLE_UTF16',
    name: 'utf16.txt',
    content: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`Titlu în UTF-16\n\n${RO}\n`, 'utf16le'),
    ]),
  },
  {
    code: 'ARTICLE_NOT_UTF8',
    name: 'windows-1250.txt',
    content: Buffer.concat([
      Buffer.from(`Titlu românesc\n\n${RO} `, 'utf8'),
      Buffer.from([0x53, 0x74, 0xba, 0x69]),
      Buffer.from(' a spus ministrul.\n', 'utf8'),
    ]),
  },
  {
    // The YAML parser ran V8 out of memory on this (a fatal error: the whole run died).
    code: 'FRONT_MATTER_INVALID',
    name: 'deep-yaml.txt',
    content: Buffer.from(`---\ntags: ${'['.repeat(10_000)}\n---\nTitlu\n\n${RO}\n`),
  },
  {
    // Year 10000 in UTC: archived at records/+010/00/, then called corrupt, blocking the site.
    code: 'FRONT_MATTER_INVALID',
    name: 'year-10000.txt',
    content: Buffer.from(`---\ndate: 9999-12-31T23:59:59-23:59\n---\nTitlu\n\n${RO}\n`),
  },
  {
    code: 'ARTICLE_TOO_LARGE',
    name: 'large.txt',
    content: Buffer.from(`Un articol prea lung\n\n${`${RO}\n\n`.repeat(Math.ceil(LIMIT / 100))}`),
    config: { ...BASE_CONFIG, limits: { maxArticleBytes: LIMIT } },
  },
];

function recordFiles(p: Project): string[] {
  const dir = join(p.dir, 'archive', 'records');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));
}

function expectSamplePublished(p: Project): void {
  const records = recordFiles(p).map((f) => JSON.parse(readFileSync(f, 'utf8')) as { id: string });
  expect(records).toHaveLength(1);
  expect(records[0]?.id).toMatch(
    new RegExp(`^tag:news\\.example\\.org,\\d{4}-\\d{2}-\\d{2}:${SAMPLE_SLUG}$`),
  );
  for (const f of FEEDS) expect(readFileSync(join(p.dir, f), 'utf8')).toContain(records[0]!.id);
  const feed = JSON.parse(p.read('out/feed.json')) as { items: { id: string }[] };
  expect(feed.items.map((i) => i.id)).toEqual([records[0]!.id]);
}

describe('feedkeeper build with a bad stored article next to the good sample', () => {
  it.each(BAD)('reports $code for $name, archives the rest, and again next run', (bad) => {
    const p = makeProject(bad.config ?? BASE_CONFIG);
    p.write(SAMPLE_NAME, sampleBytes());
    const abs = p.write(bad.name, bad.content);
    const rel = `archive/articles/${bad.name}`;
    if (bad.code === 'ARTICLE_TOO_LARGE') expect(bad.content.length).toBeGreaterThan(LIMIT);

    const first = p.cli('build');
    expect(first.status, first.stderr + first.stdout).toBe(1);
    // Problems go to stderr; the report (counts, what was written) to stdout.
    const lines = first.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('error '))).toEqual([
      expect.stringMatching(new RegExp(`^error ${bad.code} ${rel}: \\S`)),
    ]);
    const at = lines.findIndex((l) => l.startsWith(`error ${bad.code} ${rel}: `));
    expect(lines[at + 1]).toMatch(/^ {2}hint: \S/);
    expect(first.stdout).toContain('1 added');
    expect(first.stdout).toContain('1 rejected');
    expect(first.stdout).not.toContain(bad.code);
    expectSamplePublished(p);
    expect(Buffer.compare(readFileSync(abs), bad.content)).toBe(0);

    const before = p.snapshot();
    const second = p.cli('build', '--json');
    expect(second.status, second.stderr + second.stdout).toBe(1);
    const report = jsonOf<RunReport>(second);
    const errors = report.issues.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: bad.code, file: rel, severity: 'error' });
    expect(errors[0]?.message).not.toBe('');
    expect(errors[0]?.hint).not.toBe('');
    expect(report.archive.rejected).toBe(1);
    expect(report.archive.added).toEqual([]);
    expect(report.written).toEqual([]);
    expect(report.feeds?.published).toBe(true);

    const after = p.snapshot();
    const runs = (s: typeof before): number =>
      s['.feedkeeper/runs.jsonl']?.text.trimEnd().split('\n').length ?? 0;
    expect(runs(after)).toBe(runs(before) + 1);
    delete before['.feedkeeper/runs.jsonl'];
    delete after['.feedkeeper/runs.jsonl'];
    expect(after).toEqual(before);
    expect(Buffer.compare(readFileSync(abs), bad.content)).toBe(0);
  });
});

/** Text content of each `item` (RSS) or `entry` (Atom) child, decoded by a strict XML parser. */
function entriesOf(xml: string, entryTag: string): Record<string, string>[] {
  const parser = new SaxesParser({ xmlns: true });
  const out: Record<string, string>[] = [];
  const stack: string[] = [];
  let current: Record<string, string> | null = null;
  const onText = (t: string): void => {
    const name = stack[stack.length - 1];
    if (current !== null && name !== undefined && name !== entryTag)
      current[name] = (current[name] ?? '') + t;
  };
  parser.on('opentag', (t) => {
    stack.push(t.name);
    if (t.name === entryTag) current = {};
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (t) => {
    stack.pop();
    if (t.name === entryTag && current !== null) {
      out.push(current);
      current = null;
    }
  });
  parser.write(xml).close();
  return out;
}

describe('feedkeeper build on markup in a stored article', () => {
  it('archives markup and script as literal text and publishes them escaped', () => {
    const TITLE = '<b>Bold</b> & "quotes"';
    const SCRIPT = '<script>alert(1)</script>';
    const ESCAPED = '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>';
    const p = makeProject();
    p.write(SAMPLE_NAME, sampleBytes());
    p.write('markup.txt', `${TITLE} | Section\n\n${RO}\n\n${SCRIPT}\n\nUltimul paragraf, scurt.\n`);
    const r = p.cli('build');
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('2 added');

    const records = recordFiles(p).map(
      (f) =>
        JSON.parse(readFileSync(f, 'utf8')) as {
          id: string;
          title: string;
          input: { path: string };
          body: { type: string; text: string }[];
        },
    );
    const rec = records.find((x) => x.input.path === 'archive/articles/markup.txt');
    expect(rec?.title).toBe(TITLE);
    expect(rec?.body).toEqual([
      { type: 'paragraph', text: RO },
      { type: 'paragraph', text: SCRIPT },
      { type: 'paragraph', text: 'Ultimul paragraf, scurt.' },
    ]);

    const rss = p.read('out/rss.xml');
    const atom = p.read('out/atom.xml');
    for (const xml of [rss, atom]) {
      expect(xml).not.toMatch(/<script/i);
      expect(xml).not.toContain('<b>');
    }
    const item = entriesOf(rss, 'item').find((i) => i.guid === rec?.id);
    expect(item?.title).toBe(TITLE);
    expect(item?.['content:encoded']).toContain(ESCAPED);
    expect(item?.['content:encoded']).not.toMatch(/<script/i);

    const entry = entriesOf(atom, 'entry').find((e) => e.id === rec?.id);
    expect(entry?.title).toBe(TITLE);
    expect(entry?.content).toContain(ESCAPED);
    expect(entry?.content).not.toMatch(/<script/i);

    const feed = JSON.parse(p.read('out/feed.json')) as {
      items: { id: string; title: string; content_html: string }[];
    };
    const jsonItem = feed.items.find((i) => i.id === rec?.id);
    expect(jsonItem?.title).toBe(TITLE);
    expect(jsonItem?.content_html).toContain(ESCAPED);
    expect(jsonItem?.content_html).not.toMatch(/<script/i);
  });
});

describe('deeply nested front matter', () => {
  it('is refused before the YAML parser sees it (which ran V8 out of memory: a fatal error)', () => {
    // This sequence of blocks, parsed one after the other as a run does, ended the process
    // with "FATAL ERROR: RegExpCompiler Allocation failed - process out of memory" (exit 134).
    const script = `
      const { splitFrontMatter } = await import(${JSON.stringify(join(REPO, 'dist/src/normalize/front-matter.js'))});
      for (const n of [100, 1000, 3000, 10000])
        for (const closed of [false, true]) {
          const yaml = 'x: ' + '['.repeat(n) + (closed ? ']'.repeat(n) : '');
          const r = splitFrontMatter('a.txt', '---\\n' + yaml + '\\n---\\nTitlu\\n');
          console.log(r.issues.map((i) => i.code).join(','));
        }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    expect(r.status, r.stderr.slice(0, 300)).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(Array<string>(8).fill('FRONT_MATTER_INVALID'));
  });
});
