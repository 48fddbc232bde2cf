import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { renderArticlePage, renderWithdrawnPage } from '../../src/render/article-page.js';
import { renderFrontPage, renderMonthPage } from '../../src/render/list-pages.js';
import { Checker } from '../../src/validate/checker.js';
import { itemOf, type ExpectedPage } from '../../src/validate/expected-page.js';
import { PageProof } from '../../src/validate/page-proof.js';
import { readPage, type ReadPage } from '../../src/validate/read-page.js';
import { readPageFast } from '../../src/validate/read-page-fast.js';
import { FILE, record, site } from './page-fixtures.js';

/**
 * The gate's fast path for pages (README "How pages are proven"): the strict reader reads a
 * page into the same elements parse5 does, refuses anything outside the templates' markup, and
 * html-validate runs once per page shape, still catching a page whose markup is wrong.
 */
const hostile: ArchiveRecord = {
  ...record,
  title: `<script>alert("x")</script> & 'quotes' </p><div>`,
  summary: 'a < b && c > d "',
  authors: [{ name: "O'Brien & <Co>" }],
  updatedAt: '2026-11-26T09:30:00Z',
};
const listed = (r: ArchiveRecord): Parameters<typeof renderMonthPage>[2][number] => ({
  ...itemOf(r),
  file: `articles/${r.slug}.html`,
  summary: r.summary,
});

const pages: Record<string, string> = {
  article: renderArticlePage(site, record, FILE),
  hostile: renderArticlePage(site, hostile, FILE),
  withdrawn: renderWithdrawnPage(site, { ...record, withdrawnAt: '2026-11-27T10:00:00Z' }, FILE),
  month: renderMonthPage(site, '2026/11', [listed(record), listed(hostile)], {
    newer: '2026/12',
    older: null,
  }),
  front: renderFrontPage(site, [listed(hostile), listed(record)], [{ month: '2026/11', count: 2 }]),
};

/** What the verifier reads: every element but the text of html and body (whitespace only). */
const facts = (p: ReadPage): unknown => ({
  lang: p.lang,
  elements: p.elements.map((e) => ({
    name: e.name,
    attrs: [...e.attrs],
    text: e.name === 'html' || e.name === 'body' ? '' : e.text,
    path: e.path,
  })),
});

describe('the strict page reader', () => {
  for (const [kind, html] of Object.entries(pages))
    it(`reads the ${kind} page as parse5 does`, () => {
      const fast = readPageFast(html);
      expect(fast).not.toBeNull();
      expect(facts(fast!.page)).toEqual(facts(readPage(html)));
    });

  it('gives pages that differ only in text the same shape, and others another', () => {
    const shape = (html: string): string | undefined => readPageFast(html)?.shape;
    expect(shape(pages['hostile']!)).toBe(
      shape(
        renderArticlePage(
          site,
          { ...hostile, title: 'Plain', summary: 'Also plain', updatedAt: '2026-11-28T00:00:00Z' },
          FILE,
        ),
      ),
    );
    expect(shape(pages['article']!)).not.toBe(shape(pages['hostile']!)); // the "updated" line
    expect(shape(pages['month']!)).not.toBe(shape(pages['front']!));
  });

  it('refuses markup the templates never write (the page then takes the exact path)', () => {
    const page = pages['article']!;
    for (const broken of [
      page.replace('<h1>', '<h1><b>').replace('</h1>', '</b></h1>'), // an element we never write
      page.replace('</h1>', ''), // an element left open
      page.replace('<h1>', '<h1>a < b'), // a raw <
      page.replace('<h1>', '<h1>&nbsp;'), // a reference the escaper never writes
      page.replace('<title>', '<title>\r'), // a CR, which the parser rewrites
      page.replace('<h1>', "<h1 title='x'>"), // an attribute not written name="value"
    ])
      expect(readPageFast(broken)).toBeNull();
  });
});

describe('the page proof', () => {
  const verify = (proof: PageProof, html: string, expected: ExpectedPage): string[] => {
    const c = new Checker(`out/${FILE}`);
    proof.verify(c, html, FILE, expected, site);
    return c.issues.map((i) => i.code);
  };

  it('runs html-validate once per shape, or on every page when asked', () => {
    const other = { ...hostile, updatedAt: '2026-11-28T00:00:00Z' };
    const proof = new PageProof(false);
    expect(verify(proof, pages['hostile']!, { kind: 'article', record: hostile })).toEqual([]);
    expect(
      verify(proof, renderArticlePage(site, other, FILE), { kind: 'article', record: other }),
    ).toEqual([]);
    expect(proof.validated).toBe(1);
    const every = new PageProof(true);
    verify(every, pages['hostile']!, { kind: 'article', record: hostile });
    verify(every, renderArticlePage(site, other, FILE), { kind: 'article', record: other });
    expect(every.validated).toBe(2);
  });

  it('shapes accepted in an earlier run are not validated again; a new shape still is, and is refused when wrong', () => {
    const expected: ExpectedPage = { kind: 'article', record };
    const first = new PageProof(false);
    expect(verify(first, pages['article']!, expected)).toEqual([]);
    expect(first.validated).toBe(1);
    const next = new PageProof(false, first.keys());
    expect(verify(next, pages['article']!, expected)).toEqual([]);
    expect(next.validated).toBe(0);
    const broken = pages['article']!.replace('<p class="meta">', '<p class="meta"><div></div>');
    expect(verify(next, broken, expected)).toContain('HTML_INVALID');
    expect(next.validated).toBe(1);
    // The refused shape is not kept.
    expect(next.keys()).toEqual(first.keys());
  });

  it("the install's marks stand for a shape; only what html-validate accepted itself is judged", () => {
    const expected: ExpectedPage = { kind: 'article', record };
    const first = new PageProof(false);
    expect(verify(first, pages['article']!, expected)).toEqual([]);
    expect([...first.judged]).toEqual(first.keys());
    // Marked on this install (pipeline/shapes-seen.ts): accepted without html-validate, and
    // not judged by this run, so not marked again from it.
    const asked: string[] = [];
    const seen = new PageProof(false, [], (key) => (asked.push(key), true));
    expect(verify(seen, pages['article']!, expected)).toEqual([]);
    expect(seen.validated).toBe(0);
    expect(asked).toEqual(first.keys());
    expect([...seen.judged]).toEqual([]);
    expect(seen.keys()).toEqual(first.keys());
    // Known from the site's own page state: not judged either, so never marked from it.
    const known = new PageProof(false, first.keys(), () => false);
    expect(verify(known, pages['article']!, expected)).toEqual([]);
    expect([...known.judged]).toEqual([]);
    // A refused shape is neither kept nor judged; on every page, all is judged anew.
    const broken = pages['article']!.replace('<p class="meta">', '<p class="meta"><div></div>');
    const refused = new PageProof(false, [], () => false);
    expect(verify(refused, broken, expected)).toContain('HTML_INVALID');
    expect([...refused.judged]).toEqual([]);
    const every = new PageProof(true, [], () => true);
    expect(verify(every, pages['article']!, expected)).toEqual([]);
    expect(every.validated).toBe(1);
  });

  it('a page whose markup is wrong has a new shape, and html-validate refuses it', () => {
    const proof = new PageProof(false);
    const expected: ExpectedPage = { kind: 'article', record };
    expect(verify(proof, pages['article']!, expected)).toEqual([]);
    // A <div> inside a <p>: the strict reader reads it as written (a browser would not), but
    // the shape is new, so html-validate runs on it.
    const broken = pages['article']!.replace('<p class="meta">', '<p class="meta"><div></div>');
    expect(readPageFast(broken)).not.toBeNull();
    expect(verify(proof, broken, expected)).toContain('HTML_INVALID');
    expect(proof.validated).toBe(2);
  });

  it('a page the strict reader refuses is read by parse5 and validated on its own', () => {
    const proof = new PageProof(false);
    const expected: ExpectedPage = { kind: 'article', record };
    verify(proof, pages['article']!, expected);
    const broken = pages['article']!.replace('<h1>', '<h1><b>').replace('</h1>', '</b></h1>');
    expect(verify(proof, broken, expected)).toContain('PAGE_ELEMENT');
    expect(proof.validated).toBe(2);
  });
});
