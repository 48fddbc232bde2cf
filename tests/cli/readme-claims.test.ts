import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claim } from '../docs.js';
import { BASE_CONFIG, CLI, jsonOf, makeProject, type Project, RUN_LIMIT_MS } from '../helpers.js';

/**
 * Documented claims (README.md "Stored articles" and "Configuration", docs/reference.md
 * "Stored articles that are rejected" and "Exit codes and problems") that no other test held
 * the CLI to. Each first finds its claim where it is written (tests/docs.ts, `claim`), then
 * runs the compiled CLI and looks at the exit code, the `build --json` report and the files
 * written.
 */
const README = 'README.md';
const REFERENCE = 'docs/reference.md';
const STORED = 'Stored articles';
const REJECTED = 'Stored articles that are rejected';
const CONFIGURATION = 'Configuration: `feedkeeper.config.json`';

interface Issue {
  code: string;
  severity: 'error' | 'warning';
  file: string;
  message: string;
}
interface Report {
  archive: {
    added: string[];
    revised: string[];
    withdrawn: string[];
    unchanged: number;
    rejected: number;
    duplicates: number;
  };
  feeds: { entries: number; published: boolean; written: string[] } | null;
  written: string[];
  issues: Issue[];
}
interface StoredRecord {
  id: string;
  title: string;
  body: { type: 'paragraph' | 'heading'; text: string }[];
  input: { path: string; sha256: string; bytes: number };
}

/** What a publication leaves in out/: the feeds and their gzip and brotli copies. */
// The feeds and the front page (README "Pages"), each with its copies.
// With out/'s marker (pipeline/out-folder.ts): the folder is feedkeeper's.
const PUBLISHED = [
  '.feedkeeper-out',
  ...['atom.xml', 'feed.json', 'index.html', 'rss.xml'].flatMap((f) => [f, `${f}.br`, `${f}.gz`]),
].sort();

const build = (p: Project): { status: number | null; report: Report; stderr: string } => {
  const r = p.cli('build', '--json');
  return { status: r.status, report: jsonOf<Report>(r), stderr: r.stderr };
};

/** Every file below `dir`, `/`-separated and relative to it, sorted; [] if there is none. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.push(relative(dir, abs).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The records (not the hidden generation marker beside them). */
const readRecords = (dir: string): StoredRecord[] =>
  filesUnder(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StoredRecord);

const codes = (issues: readonly Issue[]): string[] => issues.map((i) => `${i.code} ${i.file}`);

/** A file anywhere (not only under archive/articles), with an mtime the scan trusts. */
function writeOld(abs: string, content: string | Uint8Array): void {
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  const t = Date.now() / 1000 - 60;
  utimesSync(abs, t, t);
}

const article = (title: string, text: string): string =>
  `${title}\n\n${text} Un paragraf cu destule cuvinte ca să fie un articol adevărat.\n`;

const RECORD_PATH = /^\d{4}\/\d{2}\/[a-z0-9-]+\.json$/;

const HEADINGS =
  'A line of `#` marks and text (`## Ce urmează`) becomes a sub-heading, in `.txt` and `.md` files alike; other Markdown is kept as text.';

describe('README.md, "Stored articles"; docs/reference.md, "Stored articles that are rejected"', () => {
  it('.md files are archived and their # headings become sub-headings; other Markdown stays text', () => {
    claim(README, STORED, HEADINGS);
    const p = makeProject();
    p.write(
      'story.md',
      [
        '# Titlul articolului',
        '',
        'Primul paragraf, cu **text îngroșat** și un [link](https://x.example).',
        '',
        // Ends with a full stop, and the last block: only the `#` makes these headings (the
        // short-line rule of .txt articles would call both paragraphs).
        '## Ce urmează.',
        '',
        'Al doilea paragraf al articolului.',
        '',
        '### Final.',
        '',
      ].join('\n'),
    );
    const { status, report } = build(p);
    expect(status).toBe(0);
    expect(report.issues).toEqual([]);
    expect(report.archive.added).toHaveLength(1);
    expect(report.archive.added[0]).toMatch(RECORD_PATH);
    const [record, ...others] = readRecords(join(p.dir, 'archive/records'));
    expect(others).toEqual([]);
    expect(record?.input.path).toBe('archive/articles/story.md');
    expect(record?.title).toBe('Titlul articolului');
    expect(record?.body).toEqual([
      {
        type: 'paragraph',
        text: 'Primul paragraf, cu **text îngroșat** și un [link](https://x.example).',
      },
      { type: 'heading', text: 'Ce urmează.' },
      { type: 'paragraph', text: 'Al doilea paragraf al articolului.' },
      { type: 'heading', text: 'Final.' },
    ]);
    const feed = JSON.parse(p.read('out/feed.json')) as { items: { content_html: string }[] };
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]?.content_html).toContain('<h2>Ce urmează.</h2>');
    expect(feed.items[0]?.content_html).toContain('<h2>Final.</h2>');
    expect(p.read('out/atom.xml')).toContain('<h2>Ce urmează.</h2>'); // in CDATA
  });

  // The newsroom's .txt files use them too; the line's `#`s are dropped.
  it('in a .txt file a # line is a sub-heading too', () => {
    claim(README, STORED, HEADINGS);
    const p = makeProject();
    p.write(
      'story.txt',
      'Titlul articolului\n\nPrimul paragraf al articolului.\n\n## Ce urmează.\n\nAl doilea paragraf.\n',
    );
    expect(build(p).status).toBe(0);
    const [record] = readRecords(join(p.dir, 'archive/records'));
    expect(record?.body).toContainEqual({ type: 'heading', text: 'Ce urmează.' });
  });

  it('C1 control characters are removed and reported as TEXT_CONTROL_CHARACTERS; the article is archived', () => {
    claim(README, STORED, 'characters XML forbids (and C1 controls) removed and reported');
    claim(REFERENCE, REJECTED, 'Warnings (the article is archived): `TEXT_CONTROL_CHARACTERS`');
    const p = makeProject();
    p.write('c1.txt', 'Titlu cu control\n\nUn paragraf\u0085cu caractere\u009Bde control.\n');
    const { status, report } = build(p);
    expect(status).toBe(0); // a warning is not a problem
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: 'TEXT_CONTROL_CHARACTERS',
        severity: 'warning',
        file: 'archive/articles/c1.txt',
        message: expect.stringContaining('2 control characters') as unknown,
      }),
    ]);
    expect(report.archive.added).toHaveLength(1);
    expect(report.archive.rejected).toBe(0);
    const [record] = readRecords(join(p.dir, 'archive/records'));
    expect(record?.body).toEqual([
      { type: 'paragraph', text: 'Un paragrafcu caracterede control.' },
    ]);
    for (const file of filesUnder(join(p.dir, 'archive/records')).map((f) =>
      join('archive/records', f),
    )) {
      expect(p.read(file)).not.toMatch(/[\u0080-\u009F]/);
    }
    for (const file of ['out/rss.xml', 'out/atom.xml', 'out/feed.json']) {
      expect(p.read(file)).not.toMatch(/[\u0080-\u009F]|\\u0085|\\u009b|&#x85;|&#x9B;/i);
    }
  });

  it('ARTICLE_NO_TITLE: front matter without a title and nothing after it; the others are archived, and it is reported on every run', () => {
    claim(REFERENCE, REJECTED, 'Rejected (with these codes):', '`ARTICLE_NO_TITLE`');
    claim(
      REFERENCE,
      'Exit codes and problems',
      'A problem with one article never stops the others. A rejected article is reported again on every run until its file is fixed.',
    );
    const p = makeProject();
    p.write('no-title.txt', '---\nsection: World\ntags: [europe]\n---\n');
    p.write('good.txt', article('Un titlu bun', 'Primul paragraf.'));
    const first = build(p);
    expect(first.status).toBe(1);
    expect(first.report.issues).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_NO_TITLE',
        severity: 'error',
        file: 'archive/articles/no-title.txt',
      }),
    ]);
    expect(first.report.archive.rejected).toBe(1);
    expect(first.report.archive.added).toHaveLength(1);
    expect(first.report.feeds?.published).toBe(true);
    expect(readRecords(join(p.dir, 'archive/records')).map((r) => r.input.path)).toEqual([
      'archive/articles/good.txt',
    ]);

    const recordsBefore = p.snapshot();
    const again = build(p);
    expect(again.status).toBe(1);
    expect(codes(again.report.issues)).toEqual(['ARTICLE_NO_TITLE archive/articles/no-title.txt']);
    expect(again.report.archive.added).toEqual([]);
    expect(again.report.written.filter((w) => !w.startsWith('.feedkeeper/'))).toEqual([]);
    const after = p.snapshot();
    for (const [file, v] of Object.entries(recordsBefore)) {
      if (file.startsWith('archive/') || file.startsWith('out/')) expect(after[file]).toEqual(v);
    }
  });

  it('ARTICLE_ID_TAKEN: a second article declaring the same front-matter id is rejected; the first keeps it', () => {
    claim(
      REFERENCE,
      REJECTED,
      '`ARTICLE_ID_TAKEN` (an id another record holds, declared or minted)',
    );
    const p = makeProject();
    const id = 'tag:news.example.org,2026-11-25:acelasi-id';
    p.write('a.txt', `---\nid: ${id}\n---\n${article('Primul titlu', 'Despre ceva.')}`);
    p.write('b.txt', `---\nid: ${id}\n---\n${article('Alt titlu', 'Despre altceva.')}`);
    const { status, report } = build(p);
    expect(status).toBe(1);
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_ID_TAKEN',
        severity: 'error',
        file: 'archive/articles/b.txt',
        message: expect.stringContaining('archive/articles/a.txt') as unknown,
      }),
    ]);
    expect(report.archive.rejected).toBe(1);
    expect(report.archive.added).toHaveLength(1);
    const records = readRecords(join(p.dir, 'archive/records'));
    expect(records.map((r) => [r.id, r.title, r.input.path])).toEqual([
      [id, 'Primul titlu', 'archive/articles/a.txt'],
    ]);
    const feed = JSON.parse(p.read('out/feed.json')) as { items: { id: string }[] };
    expect(feed.items.map((i) => i.id)).toEqual([id]);

    const again = build(p);
    expect(again.status).toBe(1);
    expect(codes(again.report.issues)).toEqual(['ARTICLE_ID_TAKEN archive/articles/b.txt']);
    expect(readRecords(join(p.dir, 'archive/records'))).toEqual(records);
  });

  it('hidden files and folders under archive/articles are skipped, and only .txt, .md and .markdown are articles, any other file named', () => {
    claim(
      README,
      STORED,
      "Every `archive/articles/**/*.txt`, `*.md` and `*.markdown` (Jekyll's default extension; hidden files and folders are skipped). Any other file there is named in an `ARTICLE_EXTENSION_IGNORED` warning on every run and by `check` (editors' leftovers such as `a.md~`, `a.md.swp` and `#a.md#` are not, nor pictures, media, documents, styles and data kept beside the stories, as in a Hugo page bundle).",
    );
    const p = makeProject();
    p.write('visible.txt', article('Un articol vizibil', 'Se vede.'));
    p.write('sub/also.md', article('Alt articol vizibil', 'Se vede și el.'));
    // Each of these would be reported or archived if it were read: binary, a valid article,
    // an article with no title.
    p.write('.hidden.txt', Buffer.from([0x54, 0x00, 0x00, 0xba]));
    p.write('.drafts/draft.txt', article('O ciornă ascunsă', 'Nu trebuie publicată.'));
    p.write('sub/.cache/x.md', '---\nsection: World\n---\n');
    p.write('notes.html', article('O pagină HTML', 'Nu este articol.'));
    p.write('jekyll.markdown', article('Un fișier markdown', 'Este articol.'));
    p.write('visible.txt~', article('O copie a editorului', 'Nu este articol.'));
    p.write('sub/photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    const { status, report } = build(p);
    expect(status).toBe(0);
    expect(codes(report.issues)).toEqual(['ARTICLE_EXTENSION_IGNORED archive/articles/notes.html']);
    expect(report.archive.added).toHaveLength(3);
    expect(report.archive.rejected).toBe(0);
    expect(
      readRecords(join(p.dir, 'archive/records'))
        .map((r) => r.input.path)
        .sort(),
    ).toEqual([
      'archive/articles/jekyll.markdown',
      'archive/articles/sub/also.md',
      'archive/articles/visible.txt',
    ]);
    expect(p.read('.feedkeeper/inputs.json')).not.toMatch(/\.hidden|\.drafts|\.cache|notes|txt~/);
    const feed = JSON.parse(p.read('out/feed.json')) as { items: unknown[] };
    expect(feed.items).toHaveLength(3);
  });
});

describe('README.md, "Configuration"', () => {
  const run = (cwd: string, args: string[], env: Record<string, string>) =>
    spawnSync(process.execPath, [CLI, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: RUN_LIMIT_MS,
    });

  it('$FEEDKEEPER_CONFIG selects the configuration file (paths from its folder); --config wins over it', () => {
    claim(
      README,
      CONFIGURATION,
      "Read from the working directory (or `--config FILE`, or `$FEEDKEEPER_CONFIG`); relative paths are taken from the file's folder.",
    );
    const p = makeProject();
    writeFileSync(join(p.dir, 'feedkeeper.config.json'), '{ not json'); // must not be read
    p.write('ignored.txt', article('Nu din acest dosar', 'Ignorat.'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'feedkeeper-env-'));
    const file = join(elsewhere, 'site', 'alt.json');
    writeOld(file, JSON.stringify({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, title: 'Alt' } }));
    writeOld(join(elsewhere, 'site/archive/articles/a.txt'), article('Din alt dosar', 'Da.'));

    const r = run(p.dir, ['build', '--json'], { FEEDKEEPER_CONFIG: file });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = jsonOf<Report>(r);
    expect(report.issues).toEqual([]);
    expect(report.archive.added).toHaveLength(1);
    // (and the RFC 5005 archive documents under site/out/archive/)
    expect(
      filesUnder(join(elsewhere, 'site/out')).filter((f) => !/^(?:archive|articles)\//.test(f)),
    ).toEqual(PUBLISHED);
    expect(readFileSync(join(elsewhere, 'site/out/rss.xml'), 'utf8')).toContain(
      '<title>Alt</title>',
    );
    expect(readRecords(join(elsewhere, 'site/archive/records')).map((x) => x.input.path)).toEqual([
      'archive/articles/a.txt',
    ]);
    // Nothing in the working folder.
    expect(filesUnder(p.dir)).toEqual(['archive/articles/ignored.txt', 'feedkeeper.config.json']);

    // The working folder's file is what is read without it (and it is broken: exit 2).
    const plain = run(p.dir, ['build'], { FEEDKEEPER_CONFIG: '' });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain('is not valid JSON');
    // --config over $FEEDKEEPER_CONFIG.
    const flag = run(p.dir, ['status', '--json', '--config', file], {
      FEEDKEEPER_CONFIG: join(p.dir, 'nope.json'),
    });
    expect(flag.status).toBe(0);
    expect(JSON.parse(flag.stdout)).toMatchObject({ archive: { records: 1 } });
    const missing = run(p.dir, ['status'], { FEEDKEEPER_CONFIG: join(p.dir, 'nope.json') });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json/);
  });

  it('custom paths.articles, paths.records, paths.out and paths.state are honoured', () => {
    claim(
      README,
      CONFIGURATION,
      '| `paths.articles` |',
      '| `paths.records` |',
      '| `paths.out` |',
      '| `paths.state` |',
    );
    const outside = mkdtempSync(join(tmpdir(), 'feedkeeper-out-'));
    const p = makeProject({
      ...BASE_CONFIG,
      paths: {
        articles: 'newsroom/stories',
        records: 'data/records',
        out: join(outside, 'public'), // absolute
        state: 'var/state',
      },
    });
    p.write('default-folder.txt', article('În dosarul implicit', 'Nu se citește.'));
    writeOld(join(p.dir, 'newsroom/stories/a.txt'), article('Din redacție', 'Da.'));

    const { status, report } = build(p);
    expect(status).toBe(0);
    expect(report.issues).toEqual([]);
    expect(report.archive.added).toHaveLength(1);
    expect(report.archive.added[0]).toMatch(RECORD_PATH);
    const record = `data/records/${report.archive.added[0] ?? ''}`;
    expect(readRecords(join(p.dir, 'data/records')).map((r) => r.input.path)).toEqual([
      'newsroom/stories/a.txt',
    ]);
    const published = filesUnder(join(outside, 'public'));
    expect(published.filter((f) => !/^(?:archive|articles)\//.test(f))).toEqual(PUBLISHED);
    // And the RFC 5005 archive documents of the month it was published in.
    expect(published.filter((f) => f.startsWith('archive/'))).toEqual([
      ...['atom.xml', 'feed.json', 'index.html', 'rss.xml'].flatMap((f) =>
        ['', '.br', '.gz'].map((c) =>
          expect.stringMatching(
            new RegExp(`^archive/\\d{4}/\\d{2}/${f.replace('.', '\\.')}${c.replace('.', '\\.')}$`),
          ),
        ),
      ),
    ]);
    expect(filesUnder(join(p.dir, 'var/state'))).toEqual(
      expect.arrayContaining(['inputs.json', 'published.json', 'records.json', 'runs.jsonl']),
    );
    expect(report.written).toEqual(
      expect.arrayContaining([
        record,
        'var/state/inputs.json',
        relative(p.dir, join(outside, 'public', 'rss.xml')),
      ]),
    );
    // Nothing at the default places.
    for (const d of ['archive/records', 'out', '.feedkeeper'])
      expect(existsSync(join(p.dir, d))).toBe(false);

    // check and status read the same places.
    const check = p.cli('check', '--json');
    expect(check.status).toBe(0);
    const status2 = p.cli('status', '--json');
    expect(status2.status).toBe(0);
    expect(JSON.parse(status2.stdout)).toMatchObject({ archive: { articles: 1, records: 1 } });
    expect(existsSync(join(p.dir, '.feedkeeper'))).toBe(false);
  });

  it('limits.maxArticleBytes: a larger file is rejected as ARTICLE_TOO_LARGE without being read', () => {
    claim(
      README,
      CONFIGURATION,
      '| `limits.maxArticleBytes` | `1048576` | larger stored articles are rejected unread |',
    );
    claim(
      REFERENCE,
      REJECTED,
      '`ARTICLE_TOO_LARGE` (over `limits.maxArticleBytes`; not even read)',
    );
    const p = makeProject({ ...BASE_CONFIG, limits: { maxArticleBytes: 200 } });
    const fits = article('Exact la limită', 'Scurt.');
    const padded = fits.padEnd(200 - (Buffer.byteLength(fits) - fits.length), '.');
    expect(Buffer.byteLength(padded)).toBe(200);
    p.write('fits.txt', padded);
    // 201 bytes that, if read, would be ARTICLE_BINARY (a NUL) or ARTICLE_NOT_UTF8 (0xBA): the
    // only issue being ARTICLE_TOO_LARGE shows its bytes never reached the decoder.
    const big = Buffer.alloc(201, 0x61);
    big[10] = 0x00;
    big[20] = 0xba;
    p.write('big.txt', big);
    const { status, report } = build(p);
    expect(status).toBe(1);
    expect(report.issues).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_TOO_LARGE',
        severity: 'error',
        file: 'archive/articles/big.txt',
        message: expect.stringMatching(/201 bytes.*200 bytes.*not read/) as unknown,
      }),
    ]);
    expect(report.archive.rejected).toBe(1);
    expect(report.archive.added).toHaveLength(1);
    expect(readRecords(join(p.dir, 'archive/records')).map((r) => r.input)).toEqual([
      expect.objectContaining({ path: 'archive/articles/fits.txt', bytes: 200 }),
    ]);
    // Nor hashed: the catalogue holds no sha256 of its bytes.
    const sha = createHash('sha256').update(big).digest('hex');
    expect(p.read('.feedkeeper/inputs.json')).not.toContain(sha);
  });

  it('limits.maxArticleBytes: a 3 GiB file (which Node cannot even read into memory) is rejected unread', () => {
    const p = makeProject();
    p.write('ok.txt', article('Un articol', 'Normal.'));
    // Sparse: no disk used. readFileSync refuses files over 2 GiB (ERR_FS_FILE_TOO_LARGE), and
    // its bytes are all NUL (ARTICLE_BINARY): a run that read it could not report only this.
    const huge = join(p.articles, 'huge.txt');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    const t = Date.now() / 1000 - 60;
    utimesSync(huge, t, t);
    let result;
    try {
      result = build(p);
    } finally {
      rmSync(huge); // no disk used, but 3 GiB to anyone who copies /tmp
    }
    const { status, report } = result;
    expect(status).toBe(1);
    expect(codes(report.issues)).toEqual(['ARTICLE_TOO_LARGE archive/articles/huge.txt']);
    expect(report.issues[0]?.message).toContain(`${3 * 1024 ** 3} bytes`);
    expect(report.archive.added).toHaveLength(1);
    expect(report.feeds?.published).toBe(true);
  });
});
