import type { StoredArticle } from '../model/article.js';
import { issue, type Issue } from '../model/issue.js';
import type { Block, NormalizedArticle } from '../model/record.js';
import {
  BLANK_FILLERS,
  looksEmpty,
  removeIllegalCharacters,
  removeInvisibles,
  stripBomAndNewlines,
  toNfc,
} from './clean-text.js';
import { decodeArticle } from './decode.js';
import { splitFrontMatter } from './front-matter.js';
import { detectLanguage } from './language.js';
import { fingerprintOf } from './fingerprint.js';
import { fixRomanianCedillas } from './romanian.js';
import { slugFor } from './slug.js';
import { parseStructure } from './structure.js';
import { countWords } from './word-count.js';
import { appendAll } from '../model/append-all.js';
import { detached } from '../model/detached.js';
import { uniqueTags } from '../model/unique-tags.js';
import { BIDI_CONTROLS } from '../model/bidi-controls.js';

export interface NormalizeOptions {
  /** BCP 47 tag used when front matter says nothing and detection is unsure. */
  readonly defaultLanguage: string;
}

export interface NormalizeResult {
  /** Null when the article is rejected; `issues` then holds at least one error. */
  readonly article: NormalizedArticle | null;
  readonly issues: readonly Issue[];
}

const codePoint = (c: string): string =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * White space other than a space or a tab (U+3000 IDEOGRAPHIC SPACE, U+00A0) that fills a line
 * before the first line with text: the structure parser takes such a line as blank, as `\s`
 * and `trim()` do, so a headline written that way is no headline, and the text below it is
 * taken as one. Its first such character, or null.
 */
function spaceLineAbove(body: string): string | null {
  for (const line of body.split('\n')) {
    if (line.trim() !== '') return null;
    const odd = [...line].find((c) => c !== ' ' && c !== '\t' && c !== '\r');
    if (odd !== undefined) return odd;
  }
  return null;
}

const shortened = (text: string): string => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** Stored article → normalized article (DESIGN.md section 4). Pure: no I/O, no clock. */
export function normalizeArticle(stored: StoredArticle, opts: NormalizeOptions): NormalizeResult {
  const file = stored.path;
  const decoded = decodeArticle(file, stored.bytes);
  if ('issue' in decoded) return { article: null, issues: [decoded.issue] };

  const issues: Issue[] = [];
  const nfc = toNfc(stripBomAndNewlines(decoded.text));
  const { text: legal, removed } = removeIllegalCharacters(nfc);
  if (removed) {
    issues.push(
      issue(
        'TEXT_CONTROL_CHARACTERS',
        'warning',
        file,
        `contains ${removed.count} control character${removed.count > 1 ? 's' : ''} that XML forbids (first on line ${removed.firstLine}); ${removed.count > 1 ? 'they were' : 'it was'} removed from the record.`,
        'Nothing to do for this run; to silence it, remove them from the stored file (often pasted from a word processor).',
      ),
    );
  }
  const text = removeInvisibles(legal);
  if (text.trim() === '') {
    return reject(
      issues,
      file,
      'ARTICLE_BLANK',
      'holds only white space.',
      'Write the article (headline line, blank line, paragraphs) or delete the file.',
    );
  }

  const fm = splitFrontMatter(file, text);
  // In the file's text, or written as a YAML escape (`title: "Price \u202e01 USD"`): the way
  // someone hiding one would write it.
  const bidi =
    text.match(BIDI_CONTROLS) ?? JSON.stringify(Object.values(fm.frontMatter)).match(BIDI_CONTROLS);
  if (bidi !== null)
    issues.push(
      issue(
        'TEXT_BIDI_CONTROLS',
        'warning',
        file,
        `contains ${bidi.length} bidirectional control character${bidi.length > 1 ? 's' : ''} (first ${codePoint(bidi[0] ?? '')}), which reorder the text around them where readers show it (a title can read backwards in a list); kept as they are.`,
        'If they were not meant (pasted, or hiding what a title says), remove them from the stored file (or its front matter, where a YAML escape such as \\u202e writes one); right-to-left text (Arabic, Hebrew) needs none of them to show right.',
      ),
    );
  appendAll(issues, fm.issues);
  if (fm.issues.some((i) => i.severity === 'error')) return { article: null, issues };
  const front = fm.frontMatter;

  const structure = parseStructure(fm.body, { titleFromFrontMatter: front.title ?? null });
  const rawTitle = front.title ?? structure.headline;
  if (!rawTitle) {
    return reject(
      issues,
      file,
      'ARTICLE_NO_TITLE',
      'has no headline.',
      'Put the headline on the first line (`Title | Section`), or a `title:` in front matter.',
    );
  }
  if (looksEmpty(rawTitle)) {
    return reject(
      issues,
      file,
      'ARTICLE_NO_TITLE',
      `has a headline of only white space or invisible characters (first ${codePoint(rawTitle.trim() || rawTitle)}), which readers would show as an empty title.`,
      'Write the headline on the first line (`Title | Section`), or a `title:` in front matter, in visible characters.',
    );
  }
  if (!structure.blocks.some((b) => b.type === 'paragraph')) {
    const space = front.title === undefined ? spaceLineAbove(fm.body) : null;
    return reject(
      issues,
      file,
      'ARTICLE_NO_BODY',
      space === null
        ? 'has a headline but no body text.'
        : `has a headline but no body text: a line above its text holds only ${codePoint(space)} (white space, as a space is), so it counts as blank, and the first line of text, ${JSON.stringify(shortened(structure.headline ?? ''))}, was taken as the headline.`,
      space === null
        ? 'Add the article text below the headline, separated by a blank line.'
        : 'Write the headline on the first line in visible characters, then a blank line, then the article text.',
    );
  }

  const detected = detectLanguage(
    structure.blocks.map((b) => b.text).join('\n'),
    opts.defaultLanguage,
  );
  const language = front.language ?? detected ?? opts.defaultLanguage;
  // The text's cedillas are folded only now that the language is known (a Turkish ş is right as
  // written). The trailer, found before the language could be, matched them folded (trailer.ts).
  const fix =
    language.toLowerCase().split('-')[0] === 'ro' ? fixRomanianCedillas : (s: string) => s;

  // Everything the catalogue, the page state or the planner keeps after the article is gone,
  // detached from the article's text (model/detached.ts); the body dies with the record.
  const keep = (text: string): string => detached(fix(text));
  const title = keep(rawTitle);
  const body: Block[] = structure.blocks.map((b) => ({ type: b.type, text: fix(b.text) }));
  const lede = body.find((b) => b.type === 'paragraph')?.text ?? '';
  const section = front.section ?? structure.section;
  const slug = slugFor(title);

  const invisible = blankFillers([
    ['the title', [title]],
    ['the section', section === null ? [] : [section]],
    ['the tags', front.tags ?? []],
    ['the authors', front.authors ?? []],
    ['the summary', front.summary === undefined ? [] : [front.summary]],
    ['the text', body.map((b) => b.text)],
    ['the source line', structure.source === null ? [] : [structure.source.name]],
  ]);
  if (invisible !== null)
    issues.push(
      issue(
        'TEXT_INVISIBLE_CHARACTERS',
        'warning',
        file,
        `contains ${invisible.count} invisible character${invisible.count > 1 ? 's' : ''} (first ${codePoint(invisible.first)}, in ${invisible.where}): blank space that is not white space (Hangul fillers, the braille blank), so a title of them looks empty and they can hide what a text says; kept as they are.`,
        'If they were not meant (pasted, or making a title look empty), remove them from the stored file (or its front matter); Korean as written today needs none of them.',
      ),
    );

  return {
    issues,
    article: {
      title,
      section: section === null ? null : keep(section),
      // Unique once every step has run: two tags can become equal only now (model/unique-tags.ts).
      tags: uniqueTags((front.tags ?? []).map(keep)),
      language,
      summary: front.summary !== undefined ? keep(front.summary) : detached(lede),
      body,
      source:
        structure.source === null
          ? null
          : { name: keep(structure.source.name), url: structure.source.url },
      authors: (front.authors ?? []).map((name) => ({ name: keep(name) })),
      wordCount: body.reduce((n, b) => n + countWords(b.text), 0),
      url: front.url === undefined ? null : new URL(front.url).href,
      id: front.id ?? null,
      publishedAt: front.date ?? null,
      updatedAt: front.updated ?? null,
      slugBase: slug === '' ? `article-${stored.sha256.slice(0, 12)}` : detached(slug),
      fingerprint: fingerprintOf({ title, body }),
      ...(front.draft === true ? { draft: true } : {}),
    },
  };
}

/**
 * The blank fillers (clean-text.ts) in what the record will show, counted over every field and
 * found first where they are: the article's values, not its file, since a YAML escape in front
 * matter (`"\\u3164"`) writes one the file's bytes do not show.
 */
function blankFillers(
  fields: readonly (readonly [string, readonly string[]])[],
): { count: number; first: string; where: string } | null {
  let found: { count: number; first: string; where: string } | null = null;
  for (const [where, values] of fields)
    for (const value of values) {
      const hits = value.match(BLANK_FILLERS);
      if (hits === null) continue;
      if (found === null) found = { count: 0, first: hits[0] ?? '', where };
      found.count += hits.length;
    }
  return found;
}

function reject(
  issues: Issue[],
  file: string,
  code: string,
  message: string,
  hint: string,
): NormalizeResult {
  return { article: null, issues: [...issues, issue(code, 'error', file, message, hint)] };
}
