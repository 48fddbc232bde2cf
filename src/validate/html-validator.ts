import { createRequire } from 'node:module';
import type * as HtmlValidateModule from 'html-validate';
import type { ConfigData, HtmlValidate, ResolvedConfig } from 'html-validate';
import { appendAll } from '../model/append-all.js';

/**
 * The adapter for `html-validate` (offline; the WHATWG HTML content models, nesting, attribute
 * values, duplicate ids, raw `<` and `&`): the only importer of it. The "standard" preset is the
 * specification's conformance rules without style opinions. Its StaticConfigLoader resolves the
 * configuration again on every call (20 ms a page here); resolved once, a page costs 2 to 3 ms.
 *
 * Loaded on first use, like parse5 (rolldown.config.js keeps it outside the bundle): loading it
 * costs 0.3 s of CPU here and compiling its rules 0.4 s more, and a run whose pages all have
 * shapes html-validate already accepted (validate/page-proof.ts) needs neither.
 */
const require = createRequire(import.meta.url);
let loaded: typeof HtmlValidateModule | undefined;
const htmlValidate = (): typeof HtmlValidateModule =>
  (loaded ??= require('html-validate') as typeof HtmlValidateModule);

function makeValidator(): HtmlValidate {
  const { HtmlValidate, StaticConfigLoader } = htmlValidate();
  class OnceLoader extends StaticConfigLoader {
    private resolved: ResolvedConfig | undefined;
    override getConfigFor(handle: string, override?: ConfigData): ResolvedConfig {
      if (override !== undefined) return super.getConfigFor(handle, override) as ResolvedConfig;
      this.resolved ??= super.getConfigFor(handle) as ResolvedConfig;
      return this.resolved;
    }
  }
  return new HtmlValidate(
    new OnceLoader({ extends: ['html-validate:standard'], elements: ['html5'] }),
  );
}

let validator: HtmlValidate | undefined;

/**
 * Which html-validate judges a page shape (validate/page-proof.ts keys its shapes by it), read
 * from its package.json without loading it.
 */
export const validatorVersion: string = (
  require('html-validate/package.json') as { version: string }
).version;

export interface HtmlProblem {
  readonly line: number;
  readonly column: number;
  readonly rule: string;
  readonly message: string;
}

function validateOne(html: string, lineOffset = 0): HtmlProblem[] {
  validator ??= makeValidator();
  const report = validator.validateStringSync(html);
  return report.results.flatMap((r) =>
    r.messages.map((m) => ({
      line: m.line + lineOffset,
      column: m.column,
      rule: m.ruleId,
      message: m.message,
    })),
  );
}

/**
 * html-validate is worse than linear on one long page (a list of 2,000 items took 8 s with
 * every rule off, 4,000 took 80 s; an article of 20,000 short paragraphs, 33 s, under the
 * 1 MB a stored article may weigh), and a month page can list thousands of articles. So a
 * long run of siblings with no constraint between them (no ids) is validated in slices of
 * SLICE: a list's items (`<ol class="list">`), an article's paragraphs and headings (`<div
 * class="body">`, one per line: render/article-html.ts). The page is validated with its first
 * slice, then each further slice inside a minimal document of the same container. Every byte
 * of the page is validated in one of them; the line numbers are those of the page. parse5
 * still reads the whole page (validate/read-page.ts).
 */
const SLICE = 100;
const CONTAINERS = [
  { open: '<ol class="list">\n', close: '\n</ol>', item: /\n(?=<li[ >])/, wrap: ['<ol>', '</ol>'] },
  {
    open: '<div class="body">\n',
    close: '\n</div>',
    item: /\n(?=<(?:p|h2)[ >])/,
    wrap: ['<div>', '</div>'],
  },
] as const;

export function validateHtml(html: string, opts: { representative?: boolean } = {}): HtmlProblem[] {
  for (const c of CONTAINERS) {
    const start = html.indexOf(c.open);
    const end = start < 0 ? -1 : html.indexOf(c.close, start);
    if (start < 0 || end < 0) continue;
    const from = start + c.open.length;
    const items = html.slice(from, end).split(c.item);
    if (opts.representative) return validateOne(representative(html, from, end, items));
    if (items.length <= SLICE) continue;
    const problems = validateOne(
      `${html.slice(0, from)}${items.slice(0, SLICE).join('\n')}${html.slice(end)}`,
    );
    // Lines of the page before item `i`.
    let line = html.slice(0, from).split('\n').length - 1;
    for (let i = 0; i < SLICE; i++) line += (items[i] ?? '').split('\n').length;
    for (let i = SLICE; i < items.length; i += SLICE) {
      const slice = items.slice(i, i + SLICE).join('\n');
      // The wrapper puts the slice on line 7 (six lines before it).
      const [before, after] = c.wrap;
      appendAll(
        problems,
        validateOne(`${WRAP_BEFORE}${before}\n${slice}\n${after}${WRAP_AFTER}`, line - 6),
      );
      line += slice.split('\n').length;
    }
    return problems;
  }
  return validateOne(html);
}

const WRAP_BEFORE =
  '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>slice</title>\n</head>\n<body>';
const WRAP_AFTER = '</body>\n</html>\n';

/**
 * The page with its long list cut to a representative of its shape (validate/page-proof.ts):
 * of the items that differ only in text and attribute values, the first two (one when there is
 * one), so the list keeps every kind of item it has, each once or more than once as in the
 * page. The gate uses it for a page the strict reader accepted; line numbers in a problem are
 * then those of the cut page. A month page of 10,000 items costs what one of 20 does.
 */
function representative(html: string, from: number, end: number, items: readonly string[]): string {
  const kept: string[] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const skeleton = item.replace(/="[^"]*"/g, '=""').replace(/>[^<]*</g, '><');
    const n = seen.get(skeleton) ?? 0;
    if (n < 2) kept.push(item);
    seen.set(skeleton, n + 1);
  }
  return `${html.slice(0, from)}${kept.join('\n')}${html.slice(end)}`;
}
