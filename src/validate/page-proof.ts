import { createHash } from 'node:crypto';
import type { Checker } from './checker.js';
import type { SiteFacts } from './expected-feed.js';
import type { ExpectedPage } from './expected-page.js';
import { validatorVersion } from './html-validator.js';
import { readPageFast } from './read-page-fast.js';
import { verifyPage } from './verify-page.js';

/**
 * How the gate proves every page of a run without running html-validate on each (README "How
 * pages are proven"). Each page is read by the strict reader (validate/read-page-fast.ts),
 * which accepts only the templates' markup with escaped text, and its facts are compared with
 * the records; html-validate runs on the first page of each shape in the run. A page of a shape
 * html-validate accepted differs from that page only in escaped text and free attribute
 * values, which the standard rules do not judge, so it is valid too. A page the strict reader
 * refuses is read by parse5 and validated by html-validate on its own (the slow, exact path).
 * `every` validates every page with html-validate too (the tests set it). Pure, but stateful
 * over one run.
 *
 * The shapes accepted are also kept across runs (`known`, saved in the page state): a shape is
 * keyed by its text and html-validate's version, so what an earlier run's html-validate
 * accepted holds for this run's, and a run that publishes a new article of a known shape does
 * not load html-validate at all (0.4 s to compile its rules, here).
 */
export class PageProof {
  private readonly accepted: Set<string>;
  private readonly used = new Set<string>();
  /** Pages html-validate ran on, this run. */
  validated = 0;
  /** The shapes html-validate itself accepted this run (not those known before it). */
  readonly judged = new Set<string>();

  /**
   * `known`: the shapes this site's earlier runs had accepted (its page state). `seen`: whether
   * html-validate accepted a shape on this install for any site (pipeline/shapes-seen.ts).
   */
  constructor(
    private readonly every: boolean,
    known: Iterable<string> = [],
    private readonly seen: (key: string) => boolean = () => false,
  ) {
    this.accepted = new Set(known);
  }

  /**
   * The accepted shapes to keep, sorted (a run that judged nothing new saves the same list, so
   * the page state's bytes do not change): all of them, or past `limit` those this run used
   * and then the others.
   */
  keys(limit = 1000): string[] {
    const all = [...this.accepted].sort();
    if (all.length <= limit) return all;
    const used = [...this.used].sort();
    return [...used, ...all.filter((k) => !this.used.has(k))].slice(0, limit).sort();
  }

  verify(
    c: Checker,
    text: string,
    file: string,
    expected: ExpectedPage | undefined,
    site: SiteFacts,
  ): void {
    const fast = readPageFast(text);
    if (fast === null) {
      this.validated++;
      verifyPage(c, text, file, expected, site);
      return;
    }
    const key = shapeKey(fast.shape);
    if (!this.every && !this.accepted.has(key) && this.seen(key)) this.accepted.add(key);
    const validate = this.every || !this.accepted.has(key);
    if (validate) this.validated++;
    const before = c.issues.length;
    verifyPage(c, text, file, expected, site, { read: fast.page, validate });
    if (validate && c.issues.length === before) {
      this.accepted.add(key);
      this.judged.add(key);
    }
    if (this.accepted.has(key)) this.used.add(key);
  }
}

const shapeKey = (shape: string): string =>
  createHash('sha256').update(`html-validate ${validatorVersion} standard\n${shape}`).digest('hex');
