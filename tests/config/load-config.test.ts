import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import { BASE_CONFIG, CLI, makeProject, sampleBytes, RUN_LIMIT_MS } from '../helpers.js';

const messageOf = (raw: unknown): string => {
  try {
    resolveConfig(raw, '/tmp');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('fills every default and freezes the result', () => {
    const c = resolveConfig(BASE_CONFIG, '/srv/news');
    expect(c.config.feed.size).toBe(50);
    expect(c.config.limits.maxArticleBytes).toBe(1_048_576);
    expect(c.config.schedule).toEqual({ cron: '*/5 * * * *', timezone: 'UTC' });
    expect(c.paths).toEqual({
      articles: '/srv/news/archive/articles',
      records: '/srv/news/archive/records',
      out: '/srv/news/out',
      state: '/srv/news/.feedkeeper',
    });
    expect(Object.isFrozen(c.config.site)).toBe(true);
    expect(c.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalizes the base URL (no trailing slash) and changes the fingerprint with any value', () => {
    const a = resolveConfig(
      { ...BASE_CONFIG, site: { ...BASE_CONFIG.site, baseUrl: 'https://news.example.org/' } },
      '/x',
    );
    expect(a.config.site.baseUrl).toBe('https://news.example.org');
    const b = resolveConfig({ ...BASE_CONFIG, feed: { size: 10 } }, '/x');
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });

  it('names the key, what is wrong and what was given', () => {
    expect(
      messageOf({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, baseUrl: 'news.example.org' } }),
    ).toMatch(
      /"site\.baseUrl": expected an absolute http\(s\) URL such as "https:\/\/news\.example\.org"; got "news\.example\.org"/,
    );
    expect(messageOf({ site: { ...BASE_CONFIG.site, title: undefined } })).toMatch(
      /"site\.title".*it is missing/,
    );
    expect(messageOf({ ...BASE_CONFIG, feed: { size: 0 } })).toMatch(/"feed\.size".*got 0/);
    expect(
      messageOf({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, language: 'Romanian' } }),
    ).toMatch(/"site\.language": expected a BCP 47 language tag/);
    expect(messageOf({ ...BASE_CONFIG, feeds: {} })).toMatch(/unknown key "feeds"/);
  });

  // Found by an outside try: a typo got "remove or correct it" and no guess, where the command
  // line answers "biuld" with "did you mean build?".
  it('a mistyped key names the key it was meant for, at any depth', () => {
    expect(messageOf({ ...BASE_CONFIG, feeds: {} })).toContain(
      'unknown key "feeds" (did you mean "feed"?)',
    );
    const { title, ...site } = BASE_CONFIG.site;
    expect(messageOf({ ...BASE_CONFIG, site: { ...site, titel: title } })).toContain(
      'unknown key "site.titel" (did you mean "site.title"?)',
    );
    expect(
      messageOf({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, author: { nmae: 'X' } } }),
    ).toContain('"site.author.nmae" (did you mean "site.author.name"?)');
    // Nothing close: no guess.
    expect(messageOf({ ...BASE_CONFIG, colour: 'red' })).toMatch(
      /unknown key "colour"; remove or correct it/,
    );
  });

  it('the CLI exits 2 with one clear message and touches nothing', () => {
    const p = makeProject({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, baseUrl: 'ftp://x' } });
    p.write('a.txt', sampleBytes());
    const before = p.snapshot();
    const r = p.cli('build');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('site.baseUrl');
    expect(r.stderr).toContain('hint:');
    expect(r.stdout).toBe('');
    expect(p.snapshot()).toEqual(before);
    expect(existsSync(join(p.dir, '.feedkeeper'))).toBe(false);
  });

  it('a missing or malformed file is one message with what to write', () => {
    const p = makeProject();
    const missing = spawnSync(
      process.execPath,
      [CLI, 'build', '--config', join(p.dir, 'nope.json')],
      { encoding: 'utf8', timeout: RUN_LIMIT_MS },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json/);
    expect(missing.stderr).toContain('"baseUrl"');
    writeFileSync(join(p.dir, 'feedkeeper.config.json'), '{ "site": { "title": "x", } }');
    const bad = p.cli('build');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('is not valid JSON');
  });

  it('an unknown command or flag is a usage error (exit 2)', () => {
    const p = makeProject();
    expect(p.cli('frobnicate').status).toBe(2);
    const flag = p.cli('build', '--no-such-flag');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('feedkeeper build: unknown option "--no-such-flag".');
    expect(flag.stderr).toContain('Run feedkeeper build --help for its options and examples.');
  });
});
