import { describe, expect, it } from 'vitest';
import type { FeedHistory } from '../../src/model/feed-history.js';
import { archiveOutputs, type Format } from '../../src/model/outputs.js';
import { buildFeedDocument } from '../../src/render/feed-document.js';
import { renderOutputs } from '../../src/render/render-outputs.js';
import { extendHead } from '../../src/render/xml-head.js';
import { expectedFeed } from '../../src/validate/expected-feed.js';
import { verifyOutputs } from '../../src/validate/verify-outputs.js';
import { makeRecords, siteConfig } from '../validate/records.js';

/** The gate's RFC 5005 checks on one archive document, and each one failing on a broken file. */
const rc = siteConfig();
const base = rc.config.site.baseUrl;
const urls = (dir: string): Record<Format, string> => ({
  rss: `${base}/${dir}rss.xml`,
  atom: `${base}/${dir}atom.xml`,
  json: `${base}/${dir}feed.json`,
});
const HISTORY: FeedHistory = {
  complete: false,
  archive: true,
  current: urls(''),
  prevArchive: urls('archive/2026/10/'),
  nextArchive: urls('archive/2026/12/'),
};
const rows = archiveOutputs('2026/11');
const records = makeRecords();

function render(): Record<Format, string> {
  const doc = {
    ...buildFeedDocument(records, rc, { version: '0.0.0-test', ttl: 5, changedAt: null }),
    selfUrls: urls('archive/2026/11/'),
    history: HISTORY,
  };
  const { files, issues } = renderOutputs(doc, (f) => `out/${f}`, rows);
  expect(issues).toEqual([]);
  return Object.fromEntries(files.map((f) => [f.row.format, f.text])) as Record<Format, string>;
}

function codes(texts: Record<Format, string>, history: FeedHistory = HISTORY): string[] {
  return verifyOutputs({
    files: rows.map((row) => ({ row, text: texts[row.format] })),
    expected: expectedFeed(
      rc.config.site,
      records,
      Math.max(...records.map((r) => Date.parse(r.updatedAt))),
      5,
    ),
    baseUrl: base,
    shown: (f) => `out/${f}`,
    history,
  }).map((i) => `${i.file} ${i.code} ${i.element ?? ''}`);
}

describe('the gate on RFC 5005 archive documents', () => {
  it('accepts a rendered archive document in all three formats', () => {
    const t = render();
    expect(codes(t)).toEqual([]);
    expect(t.rss).toContain('xmlns:fh="http://purl.org/syndication/history/1.0"');
    expect(t.rss).toContain(
      `<atom:link rel="prev-archive" href="${base}/archive/2026/10/rss.xml" type="application/rss+xml"/>`,
    );
    expect(t.atom).toContain(
      `<link rel="current" href="${base}/atom.xml" type="application/atom+xml"/>`,
    );
    expect(JSON.parse(t.json)).toMatchObject({
      next_url: `${base}/archive/2026/10/feed.json`,
      _feed_history: { archive: true, next_archive: `${base}/archive/2026/12/feed.json` },
    });
  });

  it('refuses a missing fh:archive, a wrong link, a lost next_url, a wrong fh namespace', () => {
    const t = render();
    expect(codes({ ...t, atom: t.atom.replace(/\s*<fh:archive\/>/, '') })).toEqual([
      'out/archive/2026/11/atom.xml HISTORY_FLAG fh:archive',
    ]);
    expect(
      codes({ ...t, rss: t.rss.replace('archive/2026/12/rss.xml', 'archive/2027/01/rss.xml') }),
    ).toEqual(['out/archive/2026/11/rss.xml HISTORY_LINK link[@rel=next-archive]']);
    const json = JSON.parse(t.json) as Record<string, unknown>;
    delete json['next_url'];
    expect(codes({ ...t, json: JSON.stringify(json) })).toEqual([
      'out/archive/2026/11/feed.json HISTORY_LINK next_url',
    ]);
    expect(codes({ ...t, rss: t.rss.replace('history/1.0"', 'history/2.0"') })).toContain(
      'out/archive/2026/11/rss.xml XML_NAMESPACE fh:archive',
    );
    // The same document offered as a subscription document: it must not say fh:archive.
    expect(codes(t, { ...HISTORY, archive: false, current: null, nextArchive: null })).toContain(
      'out/archive/2026/11/atom.xml HISTORY_FLAG fh:archive',
    );
  });

  it('the head step fails loudly where feed did not write what it expects', () => {
    expect(() =>
      extendHead('<rss version="2.0"><channel></channel></rss>', 'rss', {
        namespaces: {},
        elements: [],
      }),
    ).toThrow(/no rss self link/);
  });
});
