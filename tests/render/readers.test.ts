import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import Parser from 'rss-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { sourceLabel } from '../../src/model/source-label.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import type { RunReport } from '../../src/pipeline/report.js';
import { runOnce } from '../../src/pipeline/run.js';
import { CONTROL_TEXT, NFD_TEXT, hostileArticles } from '../fixtures/hostile/hostile.js';
import { SAMPLE, makeProject, sampleBytes, type Project } from '../helpers.js';
import { unescapeHtml } from './document.js';

/**
 * The whole pipeline on the sample plus every hostile article, then the published files read
 * by independent parsers (rss-parser, feedsmith, JSON.parse): each must see exactly the
 * archive's entries, with the records' ids, titles, links and dates.
 */
const NOW = new Date('2026-11-25T08:00:00Z');
const SAMPLE_NAME = SAMPLE.split('/').pop() ?? '';

/** What a reader sees of one entry; a reader leaves out what its format or API lacks. */
interface Seen {
  id: string | undefined;
  title: string | undefined;
  link: string | undefined;
  published: number | undefined;
  updated?: number | undefined;
  categories?: string[];
  authors?: string[];
  /** The body read back out of the HTML content: one text per block. */
  blocks?: string[];
}

const ms = (date: string | undefined): number | undefined =>
  date === undefined ? undefined : Date.parse(date);

/** Our content HTML is one `<p>` or `<h2>` per line: back to the block texts. */
const blocksOf = (html: string | undefined): string[] | undefined =>
  html?.split('\n').map((line) => unescapeHtml(line.replace(/<[^>]*>/g, '')));

type Reader = (feeds: { rss: string; atom: string; json: string }) => Promise<{
  updated: number | undefined;
  entries: Seen[];
}>;

interface RssParserItem {
  id?: string;
  updated?: string;
  creators?: string[];
  'content:encoded'?: string;
}

const rssParser = new Parser<Record<string, unknown>, RssParserItem>({
  customFields: { item: ['updated', ['dc:creator', 'creators', { keepArray: true }]] },
});

const READERS: Record<string, Reader> = {
  'rss-parser on rss.xml': async ({ rss }) => {
    const feed = await rssParser.parseString(rss);
    return {
      updated: ms(feed.lastBuildDate as string | undefined),
      entries: feed.items.map((i) => ({
        id: i.guid,
        title: i.title,
        link: i.link,
        published: ms(i.isoDate),
        categories: i.categories ?? [],
        authors: i.creators ?? [],
        blocks: blocksOf(i['content:encoded']),
      })),
    };
  },
  'rss-parser on atom.xml': async ({ atom }) => {
    const feed = await rssParser.parseString(atom);
    return {
      updated: ms(feed.lastBuildDate as string | undefined),
      entries: feed.items.map((i) => ({
        id: i.id,
        title: i.title,
        link: i.link,
        published: ms(i.isoDate),
        updated: ms(i.updated),
        blocks: blocksOf(i.content),
      })),
    };
  },
  'feedsmith on rss.xml': ({ rss }) => {
    const feed = parseRssFeed(rss);
    return Promise.resolve({
      updated: ms(feed.lastBuildDate),
      entries: (feed.items ?? []).map((i) => ({
        id: i.guid?.value,
        title: i.title,
        link: i.link,
        published: ms(i.pubDate),
        categories: (i.categories ?? []).map((c) => c.name ?? ''),
        authors: i.dc?.creators ?? [],
        blocks: blocksOf(i.content?.encoded),
      })),
    });
  },
  'feedsmith on atom.xml': ({ atom }) => {
    const feed = parseAtomFeed(atom);
    return Promise.resolve({
      updated: ms(feed.updated),
      entries: (feed.entries ?? []).map((e) => ({
        id: e.id,
        title: e.title?.value,
        link: e.links?.find((l) => (l.rel ?? 'alternate') === 'alternate')?.href,
        published: ms(e.published),
        updated: ms(e.updated),
        categories: (e.categories ?? []).map((c) => c.term ?? ''),
        authors: (e.authors ?? []).map((a) => a.name ?? ''),
        blocks: blocksOf(e.content?.value),
      })),
    });
  },
  'feedsmith on feed.json': ({ json }) => {
    const feed = parseJsonFeed(json);
    return Promise.resolve({
      updated: undefined,
      entries: (feed.items ?? []).map((i) => ({
        id: i.id,
        title: i.title,
        link: i.url,
        published: ms(i.date_published),
        updated: ms(i.date_modified),
        categories: i.tags ?? [],
        authors: (i.authors ?? []).map((a) => a.name ?? ''),
        blocks: blocksOf(i.content_html),
      })),
    });
  },
  'JSON.parse on feed.json': ({ json }) => {
    const feed = JSON.parse(json) as {
      items: {
        id: string;
        title: string;
        url: string;
        date_published: string;
        date_modified: string;
        tags?: string[];
        authors?: { name: string }[];
      }[];
    };
    return Promise.resolve({
      updated: undefined,
      entries: feed.items.map((i) => ({
        id: i.id,
        title: i.title,
        link: i.url,
        published: ms(i.date_published),
        updated: ms(i.date_modified),
        categories: i.tags ?? [],
        authors: (i.authors ?? []).map((a) => a.name),
      })),
    });
  },
};

function readRecords(dir: string): ArchiveRecord[] {
  const out: ArchiveRecord[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.json'))
        out.push(JSON.parse(readFileSync(abs, 'utf8')) as ArchiveRecord);
    }
  };
  walk(dir);
  return out;
}

/** Newest publication first, ties by id: the order the feeds promise. */
const newestFirst = (a: ArchiveRecord, b: ArchiveRecord): number =>
  a.publishedAt !== b.publishedAt
    ? b.publishedAt.localeCompare(a.publishedAt)
    : a.id < b.id
      ? -1
      : a.id > b.id
        ? 1
        : 0;

const expectedOf = (r: ArchiveRecord): Required<Seen> => ({
  id: r.id,
  title: r.title,
  link: r.url,
  published: Date.parse(r.publishedAt),
  updated: Date.parse(r.updatedAt),
  categories: [
    ...(r.section === null ? [] : [r.section]),
    ...r.tags.filter((t) => t !== r.section),
  ],
  authors: r.authors.map((a) => a.name),
  // The body, then the source credit in the article's language ("Sursa: www.aljazeera.com").
  blocks: [
    ...r.body.map((b) => b.text),
    ...(r.source === null ? [] : [`${sourceLabel(r.language)}: ${r.source.name}`]),
  ],
});

/** The expected entry, restricted to the fields this reader reports. */
const sameKeys = (seen: Seen, want: Required<Seen>): Partial<Seen> =>
  Object.fromEntries(Object.keys(seen).map((k) => [k, want[k as keyof Seen]]));

const inputs = [SAMPLE_NAME, ...hostileArticles().keys()];

describe('published feeds read by independent parsers', () => {
  let p: Project;
  let report: RunReport;
  let records: ArchiveRecord[];
  const feeds = { rss: '', atom: '', json: '' };
  const byInput = new Map<string, ArchiveRecord>();

  beforeAll(async () => {
    p = makeProject();
    p.write(SAMPLE_NAME, sampleBytes());
    for (const [name, bytes] of hostileArticles()) p.write(name, bytes);
    report = await runOnce(p.context(NOW), { dryRun: false });
    records = readRecords(join(p.dir, 'archive', 'records'))
      .filter((r) => r.withdrawnAt === null)
      .sort(newestFirst);
    for (const r of records) byInput.set(r.input.path.replace('archive/articles/', ''), r);
    feeds.rss = p.read('out/rss.xml');
    feeds.atom = p.read('out/atom.xml');
    feeds.json = p.read('out/feed.json');
  });

  it('archives every input and publishes, with only the control-character warning', () => {
    expect(report.feeds?.published).toBe(true);
    expect(report.issues.map((i) => [i.code, i.severity, i.file])).toEqual([
      ['TEXT_CONTROL_CHARACTERS', 'warning', 'archive/articles/control-characters.txt'],
    ]);
    expect(report.archive.added).toHaveLength(inputs.length);
    expect([...byInput.keys()].sort()).toEqual([...inputs].sort());
    expect(report.feeds?.entries).toBe(inputs.length);
  });

  it('keeps the hostile text as text in the records', () => {
    const title = (name: string): string | undefined => byInput.get(name)?.title;
    expect(title('markup-title.txt')).toBe('<b>Bold</b> & Co <i>x</i>');
    expect(byInput.get('markup-title.txt')?.section).toBe('Secțiune');
    expect(title('ampersands.txt')).toBe('Tom & Jerry &amp; partners &lt;not a tag&gt; &#38; more');
    expect(title('cdata-end.txt')).toBe('Closing ]]> twice ]]> in a headline');
    expect(byInput.get('cdata-end.txt')?.body[0]?.text).toContain(']]> once and ]]> twice');
    expect(title('quotes.txt')).toBe('"Citat" și \'apostrof\' în titlu: O\'Neil spune "da"');
    expect(byInput.get('quotes.txt')?.section).toBe('Secția "Știri" \'speciale\'');
    // ZWJ sequences stay whole: woman + ZWJ + laptop, family of four, rainbow flag.
    expect(title('emoji.txt')).toContain('\u{1F469}\u200D\u{1F4BB}');
    expect(title('emoji.txt')).toContain('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}');
    expect(byInput.get('emoji.txt')?.tags).toContain('\u{1F3F3}\uFE0F\u200D\u{1F308}');
    // Words that look like the markup the adapter edits in feed's output stay words.
    expect(title('feed-markup-words.txt')).toBe(
      'Launch at 10:00:00.000Z<br> with <title type="html"> words',
    );
    expect(byInput.get('feed-markup-words.txt')?.body[1]?.text).toContain('at 23:59:59.000Z');
    expect(title('rtl.txt')).toBe('أخبار اليوم: שלום עולם');
    expect(byInput.get('rtl.txt')?.language).toBe('ar');
    expect(byInput.get('rtl.txt')?.body.map((b) => b.text.slice(0, 9))).toEqual([
      'هذه فقرة ',
      'זוהי פסקה',
    ]);
    // NFD in, NFC out.
    expect(NFD_TEXT).not.toBe(NFD_TEXT.normalize('NFC'));
    expect(title('nfd.txt')).toBe('Știri în formă NFD: Ștefan, Țară și café'.normalize('NFC'));
    expect(title('nfd.txt')).toBe(title('nfd.txt')?.normalize('NFC'));
    // Control characters removed, nothing else.
    expect(CONTROL_TEXT).toMatch(/\u0001/);
    expect(title('control-characters.txt')).toBe('Control characters in a headline');
    expect(byInput.get('control-characters.txt')?.section).toBe('Tech');
    expect(JSON.stringify(records)).not.toMatch(/\\u00(0[0-8bcef]|1[0-9a-f])/i);
    const long = readFileSync(join(p.articles, 'very-long-title.txt'), 'utf8').split(' | ')[0];
    expect(title('very-long-title.txt')).toBe(long);
    expect(long?.length).toBeGreaterThan(900);
  });

  describe.each(Object.entries(READERS))('%s', (_name, read) => {
    it("sees exactly the archive's entries: ids, titles, links, dates, in order", async () => {
      const seen = await read(feeds);
      expect(seen.entries).toHaveLength(records.length);
      seen.entries.forEach((entry, i) => {
        const want = expectedOf(records[i]!);
        expect(entry, `entry ${i + 1}`).toEqual(sameKeys(entry, want));
      });
      if (seen.updated !== undefined)
        expect(seen.updated).toBe(Math.max(...records.map((r) => Date.parse(r.updatedAt))));
    });

    it.each(inputs)('reads %s exactly as its record says', async (name) => {
      const record = byInput.get(name)!;
      const entry = (await read(feeds)).entries.find((e) => e.id === record.id);
      expect(entry).toBeDefined();
      expect(entry!.id).toBe(record.id);
      expect(entry!.title).toBe(record.title);
      expect(entry!.link).toBe(record.url);
      expect(entry!.published).toBe(Date.parse(record.publishedAt));
    });
  });

  it('RSS guid = Atom id = JSON id, byte for byte, = the record id', () => {
    const guids = (parseRssFeed(feeds.rss).items ?? []).map((i) => i.guid?.value ?? '');
    const ids = (parseAtomFeed(feeds.atom).entries ?? []).map((e) => e.id ?? '');
    const jsonIds = (parseJsonFeed(feeds.json).items ?? []).map((i) => i.id ?? '');
    const want = records.map((r) => r.id);
    const bytes = (list: string[]): string[] => list.map((s) => Buffer.from(s).toString('hex'));
    expect(bytes(guids)).toEqual(bytes(want));
    expect(bytes(ids)).toEqual(bytes(want));
    expect(bytes(jsonIds)).toEqual(bytes(want));
    for (const id of want)
      expect(id).toMatch(/^tag:news\.example\.org,\d{4}-\d{2}-\d{2}:[\x21-\x7e]+$/);
  });

  it('dates: the revised emoji article has its own update time, everywhere', () => {
    const r = byInput.get('emoji.txt')!;
    expect([r.publishedAt, r.updatedAt]).toEqual(['2026-11-20T08:15:00Z', '2026-11-22T12:30:00Z']);
    const entry = parseAtomFeed(feeds.atom).entries?.find((e) => e.id === r.id);
    expect([entry?.published, entry?.updated]).toEqual([r.publishedAt, r.updatedAt]);
    const item = parseRssFeed(feeds.rss).items?.find((i) => i.guid?.value === r.id);
    expect(item?.pubDate).toBe('Fri, 20 Nov 2026 08:15:00 GMT');
  });

  it('holds no control character, no "undefined" and no raw "]]>" outside CDATA ends', () => {
    for (const text of Object.values(feeds)) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      expect(text).not.toContain('undefined');
    }
    // Every "]]>" in the XML closes a CDATA section that this feed opened.
    for (const xml of [feeds.rss, feeds.atom]) {
      expect(xml.split(']]>').length - 1).toBe(xml.split('<![CDATA[').length - 1);
    }
  });
});
