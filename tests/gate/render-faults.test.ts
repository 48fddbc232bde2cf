import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRecord } from '../../src/archive/read-record.js';
import type { Catalogue } from '../../src/archive/catalogue.js';
import type { FeedDocument } from '../../src/model/feed.js';
import type * as ChooseEntries from '../../src/pipeline/choose-entries.js';
import type * as SelectEntries from '../../src/pipeline/select-entries.js';
import type * as UnpublishableModule from '../../src/pipeline/unpublishable.js';
import type * as ArticleHtml from '../../src/render/article-html.js';
import type * as Escape from '../../src/render/escape.js';
import type * as FeedDocumentModule from '../../src/render/feed-document.js';
import { expectRefused, gateProject } from './project.js';

/**
 * Faults in our own render path (the selection, the document builder, the body HTML, the
 * escaping), each of the kind an outside mutation check found published with exit 0 when the
 * gate compared the feeds with the document the renderer itself built. Every one of them is
 * rendered faithfully into all three formats, which then agree with each other; the gate reads
 * the records on its own path and must refuse them all.
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/pipeline/select-entries.js', async (importOriginal) => {
  const real = await importOriginal<typeof SelectEntries>();
  return {
    ...real,
    selectEntries: (cat: Catalogue, size: number): string[] => {
      if (fault.name === 'withdrawn listed') {
        const records = new Map([...cat.records].map(([k, r]) => [k, { ...r, withdrawn: false }]));
        return real.selectEntries({ ...cat, records }, size);
      }
      const chosen = real.selectEntries(cat, size);
      return fault.name === 'newest missing' ? chosen.slice(1) : chosen;
    },
  };
});

// The records left out as unrenderable (pipeline/choose-entries.ts): a good one among them.
vi.mock('../../src/pipeline/choose-entries.js', async (importOriginal) => {
  const real = await importOriginal<typeof ChooseEntries>();
  return {
    ...real,
    chooseEntries: (...args: Parameters<typeof real.chooseEntries>): ChooseEntries.Chosen => {
      const chosen = real.chooseEntries(...args);
      if (fault.name !== 'good record left out') return chosen;
      const [dropped] = chosen.listed;
      const leftOut = new Map(chosen.leftOut);
      if (dropped !== undefined) leftOut.set(dropped, chosen.issues[0] as never);
      return {
        ...chosen,
        listed: chosen.listed.slice(1),
        records: chosen.records.slice(1),
        leftOut,
      };
    },
  };
});

// The judge of what the feeds can carry (pipeline/unpublishable.ts): a record it would leave
// out for a value (a source.url with `|`) is judged publishable.
vi.mock('../../src/pipeline/unpublishable.js', async (importOriginal) => {
  const real = await importOriginal<typeof UnpublishableModule>();
  class Faulty extends real.Unpublishable {
    override judge(path: string): ReturnType<UnpublishableModule.Unpublishable['judge']> {
      if (fault.name !== 'value not judged') return super.judge(path);
      const { recordsDir, root } = this as unknown as { recordsDir: string; root: string };
      const read = readRecord(recordsDir, path, root);
      return 'record' in read ? read.record : super.judge(path);
    }
  }
  return { ...real, Unpublishable: Faulty };
});

vi.mock('../../src/render/feed-document.js', async (importOriginal) => {
  const real = await importOriginal<typeof FeedDocumentModule>();
  const entries = (doc: FeedDocument): FeedDocument['entries'] => {
    const e = doc.entries;
    switch (fault.name) {
      case 'oldest first':
        return [...e].reverse();
      case 'dates wrong':
        return e.map((x) => ({ ...x, publishedAt: x.updatedAt.replace(/T\d\d/, 'T00') }));
      case 'language forced':
        return e.map((x) => ({ ...x, language: doc.language }));
      case 'titles swapped':
        return e.map((x, i) => ({ ...x, title: e[(i + 1) % e.length]?.title ?? x.title }));
      default:
        return e;
    }
  };
  return {
    ...real,
    buildFeedDocument: (...args: Parameters<typeof real.buildFeedDocument>): FeedDocument => {
      const doc = real.buildFeedDocument(...args);
      return { ...doc, entries: entries(doc) };
    },
  };
});

vi.mock('../../src/render/article-html.js', async (importOriginal) => {
  const real = await importOriginal<typeof ArticleHtml>();
  return {
    ...real,
    contentHtml: (...args: Parameters<typeof real.contentHtml>): string => {
      const html = real.contentHtml(...args);
      if (fault.name === 'headings as paragraphs') return html.replace(/<(\/?)h2>/g, '<$1p>');
      if (fault.name === 'no source credit') return real.bodyHtml(args[0]);
      return html;
    },
  };
});

vi.mock('../../src/render/escape.js', async (importOriginal) => {
  const real = await importOriginal<typeof Escape>();
  return {
    ...real,
    escapeMarkup: (text: string): string =>
      fault.name === 'markup not escaped'
        ? text
        : fault.name === '&amp; decoded'
          ? real.escapeMarkup(text.replace(/&amp;/g, '&'))
          : real.escapeMarkup(text),
  };
});

afterEach(() => {
  fault.name = '';
});

describe('faults in the render path are refused', () => {
  it.each([
    ['withdrawn listed', ['FEED_SELECTION']],
    ['newest missing', ['FEED_SELECTION']],
    ['good record left out', ['FEED_SELECTION']],
    ['oldest first', ['ROUNDTRIP_MISMATCH']],
    ['dates wrong', ['ROUNDTRIP_MISMATCH']],
    ['language forced', ['ROUNDTRIP_MISMATCH']],
    ['titles swapped', ['ROUNDTRIP_MISMATCH']],
    ['headings as paragraphs', ['ROUNDTRIP_MISMATCH']],
    ['no source credit', ['ROUNDTRIP_MISMATCH']],
    ['markup not escaped', ['HTML_ELEMENT', 'ROUNDTRIP_MISMATCH']],
    ['&amp; decoded', ['ROUNDTRIP_MISMATCH']],
  ])('%s', async (name, codes) => {
    const g = await gateProject();
    fault.name = name;
    await expectRefused(g, codes);
  });
});

describe('a value the feeds cannot carry, listed by a faulty judge', () => {
  // A record archived before the Sursa: line's URL rule, with `|` in its source.url: the
  // renderer publishes it faithfully in every format, so only the gate's own reading of the
  // record's values can refuse it.
  it('is refused by the gate, naming the record file: nothing published', async () => {
    const g = await gateProject();
    const records = join(g.p.dir, 'archive', 'records');
    const target = readdirSync(records, { recursive: true })
      .map(String)
      .find((f) => f.includes('alpha') && f.endsWith('.json'));
    const abs = join(records, target ?? '');
    const record = JSON.parse(readFileSync(abs, 'utf8')) as { source: { name: string } };
    writeFileSync(
      abs,
      JSON.stringify({
        ...record,
        source: { ...record.source, url: 'https://www.aljazeera.com/a|b' },
      }),
    );
    fault.name = 'value not judged';
    const before = g.published();
    const r = await g.attempt();
    expect(r.feeds).toMatchObject({ rendered: true, published: false, written: [] });
    expect(g.published()).toEqual(before);
    const refused = r.issues.find((i) => i.code === 'RECORD_UNPUBLISHABLE');
    expect(refused?.file).toBe(join('archive', 'records', target ?? ''));
    expect(refused?.message).toContain('source.url: it holds "|"');
    expect(refused?.message).toContain('nothing was published');
  });
});
