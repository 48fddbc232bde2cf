import { describe, expect, it, vi } from 'vitest';
import type * as ReadContent from '../../src/validate/read-content.js';
import { makeRecords, renderAll, verify } from './records.js';

/**
 * The gate reads an entry's content (its blocks, links and forbidden HTML) once, however many
 * of the three formats carry it (validate/compare-records.ts), and still compares each format's
 * reading with the records. Counted through a mock: a process of its own (tests/suite-plan.ts).
 */
const counts = vi.hoisted(() => ({ blocks: 0 }));
vi.mock('../../src/validate/read-content.js', async (original) => {
  const real = await original<typeof ReadContent>();
  return {
    ...real,
    readBlocks: (...args: Parameters<typeof real.readBlocks>) => {
      counts.blocks++;
      return real.readBlocks(...args);
    },
  };
});

describe('the content of an entry in three formats', () => {
  it('is read once per distinct content, not once per format', () => {
    counts.blocks = 0;
    expect(verify(renderAll())).toEqual([]);
    expect(counts.blocks).toBe(makeRecords().length);
  });

  it('is still compared in each format: one that differs is refused alone', () => {
    const feeds = renderAll();
    const json = JSON.parse(feeds.json) as { items: { content_html: string }[] };
    json.items[1]!.content_html = json.items[1]!.content_html.replace('</p>', ' more</p>');
    const issues = verify({ ...feeds, json: JSON.stringify(json, null, 2) });
    expect(issues.map((i) => `${i.file} ${i.code} ${i.element ?? ''}`)).toEqual([
      'out/feed.json ROUNDTRIP_MISMATCH items[2]/content',
    ]);
  });
});
