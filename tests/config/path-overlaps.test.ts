import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import { BASE_CONFIG, CLI, makeProject, sampleBytes, type Project } from '../helpers.js';

/**
 * paths.articles, paths.records, paths.out and paths.state must be four separate folders, none
 * inside another, and state, out and records must not be the configuration folder (or hold it):
 * feedkeeper writes into three of them and cleans two (removeTempFiles on out and state,
 * rm -rf of <state>/staging), so an overlap deleted or overwrote the newsroom's own files.
 */

/** Every file, folder and symlink below the project, with its bytes and mtime. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs);
      const s = lstatSync(abs);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(abs);
      } else if (e.isSymbolicLink()) out[rel] = 'symlink';
      else out[rel] = `${s.mtimeMs} ${readFileSync(abs, 'latin1')}`;
    }
  };
  walk(dir);
  return out;
}

/** A project whose folders hold the newsroom's own files where a bad config would clean. */
function seeded(paths: Record<string, string>, setup?: (p: Project) => void): Project {
  const p = makeProject({ ...BASE_CONFIG, paths });
  p.write('a.txt', sampleBytes());
  p.write('staging/kept.txt', sampleBytes()); // what state == articles staged over
  p.write('.notes.txt.tmp-1234', 'the newsroom’s own file');
  p.write('.rss.xml.tmp-77', 'looks like ours, but this is the newsroom’s folder');
  writeFileSync(join(p.dir, 'rss.xml'), '<rss>the site’s own feed</rss>');
  writeFileSync(join(p.dir, '.draft.md.tmp-99'), 'newsroom');
  mkdirSync(join(p.dir, 'staging'));
  writeFileSync(join(p.dir, 'staging', 'keep.md'), 'newsroom');
  setup?.(p);
  return p;
}

interface Case {
  readonly name: string;
  readonly paths: Record<string, string>;
  /** Key names (and words) the message must contain. */
  readonly says: readonly (string | RegExp)[];
  readonly setup?: (p: Project) => void;
  /** The configuration file's folder, below the project (so that ".." stays inside it). */
  readonly configIn?: string;
}

const CASES: readonly Case[] = [
  {
    name: 'paths.state is paths.articles',
    paths: { state: 'archive/articles' },
    says: ['"paths.state"', '"paths.articles"', /same folder/],
  },
  {
    name: 'paths.state inside paths.articles',
    paths: { state: 'archive/articles/.feedkeeper' },
    says: ['"paths.state"', '"paths.articles"', /inside/],
  },
  {
    name: 'paths.articles inside paths.state (its staging folder)',
    paths: { articles: 'work/staging', state: 'work' },
    says: ['"paths.articles"', '"paths.state"', /inside/],
    setup: (p) => {
      mkdirSync(join(p.dir, 'work', 'staging'), { recursive: true });
      writeFileSync(join(p.dir, 'work', 'staging', 'story.txt'), sampleBytes());
    },
  },
  {
    name: 'paths.state is the configuration folder',
    paths: { state: '.', articles: '../elsewhere-articles' },
    says: ['"paths.state"', /configuration folder/, '".feedkeeper"'],
  },
  {
    name: 'paths.state is "." (with the default articles below it)',
    paths: { state: '.' },
    says: ['"paths.state"', /configuration folder/],
  },
  {
    name: 'paths.out is the configuration folder',
    paths: { out: '.', articles: '../elsewhere-articles' },
    says: ['"paths.out"', /configuration folder/, '"out"'],
  },
  {
    name: 'paths.records is the configuration folder',
    paths: { records: '.', articles: '../elsewhere-articles' },
    says: ['"paths.records"', /configuration folder/, '"archive/records"'],
  },
  {
    name: 'paths.out holds the configuration folder',
    paths: { out: '..', articles: 'articles', records: 'records', state: 'state' },
    says: ['"paths.out"', /configuration folder/],
    configIn: 'site',
  },
  {
    name: 'paths.out is paths.records',
    paths: { out: 'archive/records' },
    says: ['"paths.out"', '"paths.records"', /same folder/],
  },
  {
    name: 'paths.out is paths.articles',
    paths: { out: 'archive/articles' },
    says: ['"paths.out"', '"paths.articles"'],
  },
  {
    name: 'paths.articles inside paths.out',
    paths: { out: 'archive' },
    says: ['"paths.articles"', '"paths.out"', '"paths.records"'],
  },
  {
    name: 'paths.state inside paths.out',
    paths: { state: 'out/.feedkeeper' },
    says: ['"paths.state"', '"paths.out"'],
  },
  {
    name: 'paths.out inside paths.state',
    paths: { out: '.feedkeeper/staging' },
    says: ['"paths.out"', '"paths.state"'],
  },
  {
    name: 'paths.records inside paths.articles',
    paths: { records: 'archive/articles/records' },
    says: ['"paths.records"', '"paths.articles"'],
  },
  {
    name: 'paths.state inside paths.records',
    paths: { state: 'archive/records/state' },
    says: ['"paths.state"', '"paths.records"'],
  },
  {
    name: 'paths.out is a symlink to paths.articles',
    paths: { out: 'public' },
    says: ['"paths.out"', '"paths.articles"', /symlink|real path/],
    setup: (p) => symlinkSync(join(p.dir, 'archive', 'articles'), join(p.dir, 'public')),
  },
  {
    name: 'paths.state below a symlink into paths.articles',
    paths: { state: 'linked/.feedkeeper' },
    says: ['"paths.state"', '"paths.articles"'],
    setup: (p) => symlinkSync(join(p.dir, 'archive', 'articles'), join(p.dir, 'linked')),
  },
];

/**
 * Every command refuses through the one check every command's start makes (config/path-overlaps.ts):
 * each case runs `build` (the command that writes) and, in turn, one of the others; the first
 * case runs them all. Each command still meets several kinds of overlap (a process each: five
 * for every case made this one of the suite's slowest files).
 */
const OTHERS = [['check'], ['status'], ['build', '--dry-run'], ['schedule']] as const;
const commandsOf = (i: number): (readonly string[])[] =>
  i === 0 ? [['build'], ...OTHERS] : [['build'], OTHERS[(i - 1) % OTHERS.length]!];

describe('overlapping paths are refused at start', () => {
  for (const [i, c] of CASES.entries()) {
    const commands = commandsOf(i);
    it(`${c.name}: ${commands.map((x) => x.join(' ')).join(', ')} exit 2, name the keys, touch nothing`, () => {
      const p = seeded(c.paths, c.setup);
      const args: string[] = [];
      if (c.configIn !== undefined) {
        const file = join(p.dir, c.configIn, 'feedkeeper.config.json');
        mkdirSync(join(p.dir, c.configIn));
        writeFileSync(file, JSON.stringify({ ...BASE_CONFIG, paths: c.paths }));
        args.push('--config', file);
      }
      const before = tree(p.dir);
      for (const command of commands) {
        // The scheduler would start and never exit by itself if it did not refuse.
        const r = spawnSync(process.execPath, [CLI, ...command, ...args], {
          cwd: p.dir,
          encoding: 'utf8',
          env: { ...process.env, FEEDKEEPER_CONFIG: '' },
          timeout: 30_000,
        });
        const what = command.join(' ');
        expect(r.status, `${what}: ${r.stderr}`).toBe(2);
        expect(r.stdout, what).toBe('');
        for (const s of c.says) expect(r.stderr, what).toMatch(s);
        expect(r.stderr, what).toContain('hint:');
        expect(r.stderr, what).not.toMatch(/\n\s+at /); // a message, not a stack trace
        expect(tree(p.dir), what).toEqual(before);
      }
    });
  }

  it('the pure resolver refuses too, with one line per conflict and the hint', () => {
    let message = '';
    try {
      resolveConfig({ ...BASE_CONFIG, paths: { out: 'archive/records', state: '.' } }, '/srv/news');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/"paths\.out".*"paths\.records"/);
    expect(message).toMatch(/"paths\.state".*configuration folder/);
    expect(message.split('\n').at(-1)).toMatch(/^hint: /);
  });
});

describe('layouts without overlaps still work', () => {
  it('the default layout (records and articles siblings under archive/)', () => {
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(p.cli('check').status).toBe(0);
    expect(p.cli('status').status).toBe(0);
  });

  it('a custom layout, including names that share a prefix and a symlinked folder', () => {
    const p = makeProject({
      ...BASE_CONFIG,
      paths: {
        articles: 'content',
        records: 'content-records', // shares the prefix "content", not inside it
        out: 'public',
        state: 'var/feedkeeper',
      },
    });
    mkdirSync(join(p.dir, 'real-public'));
    symlinkSync(join(p.dir, 'real-public'), join(p.dir, 'public'));
    mkdirSync(join(p.dir, 'content'));
    writeFileSync(join(p.dir, 'content', 'a.txt'), sampleBytes());
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    // The feeds, each with its gzip and brotli copies (publish/precompress.ts).
    expect(readdirSync(join(p.dir, 'real-public')).sort()).toEqual(
      [
        '.feedkeeper-out', // the marker: this folder is feedkeeper's (pipeline/out-folder.ts)
        'archive', // the RFC 5005 archive documents and the month pages
        'articles', // the article pages (README "Pages")
        ...['atom.xml', 'feed.json', 'index.html', 'rss.xml'].flatMap((f) => [
          f,
          `${f}.br`,
          `${f}.gz`,
        ]),
      ].sort(),
    );
    expect(p.cli('check').status).toBe(0);
    expect(p.cli('status').status).toBe(0);
  });

  it('paths.articles may be the configuration folder when the others are elsewhere', () => {
    const p = makeProject();
    const site = join(p.dir, 'site');
    mkdirSync(site);
    writeFileSync(
      join(site, 'feedkeeper.config.json'),
      JSON.stringify({
        ...BASE_CONFIG,
        paths: { articles: '.', records: '../records', out: '../out', state: '../state' },
      }),
    );
    writeFileSync(join(site, 'a.txt'), sampleBytes());
    const r = p.cli('build', '--config', join(site, 'feedkeeper.config.json'));
    expect(r.status, r.stderr).toBe(0);
    // The configuration file is not an article, and not reported as one left unread.
    expect(r.stderr).not.toContain('ARTICLE_EXTENSION_IGNORED');
    // The feeds, each with its gzip and brotli copies (publish/precompress.ts).
    expect(readdirSync(join(p.dir, 'out')).sort()).toEqual(
      [
        '.feedkeeper-out', // the marker: this folder is feedkeeper's (pipeline/out-folder.ts)
        'archive', // the RFC 5005 archive documents and the month pages
        'articles', // the article pages (README "Pages")
        ...['atom.xml', 'feed.json', 'index.html', 'rss.xml'].flatMap((f) => [
          f,
          `${f}.br`,
          `${f}.gz`,
        ]),
      ].sort(),
    );
  });
});
