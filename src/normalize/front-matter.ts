import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { FrontMatter } from '../model/article.js';
import { issue, type Issue } from '../model/issue.js';
import {
  collapseWhitespace,
  illegalCharacterIn,
  removeIllegalCharacters,
  removeInvisibles,
  toNfc,
} from './clean-text.js';
import { dateProblem, toUtcSecond } from './dates.js';
import { canonicalTagCase } from './language-tags.js';
import { canonicalId, idProblem, languageProblem, urlProblem } from './feed-values.js';
import { yamlTooDeep } from './yaml-guard.js';
import { didYouMean } from '../model/did-you-mean.js';

/** The adapter for `yaml`: `---` front matter at the very top of a stored article. */
const FENCE = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/;

/**
 * A text value, cleaned as the article's own text is (normalize-article.ts): YAML escapes in a
 * quoted value (`"\x07"`, `"\u200B"`, `"e\u0301"`) write what the file's bytes were cleaned
 * of, and a control character XML forbids in a title stopped every feed of the site.
 */
/** A YAML value that is not text, as a person wrote it: `08` and `2026` parse as numbers. */
const notText = (input: unknown): string =>
  typeof input === 'number' || typeof input === 'boolean'
    ? `the ${typeof input} ${String(input)}: if that is meant as text, put it in quotes`
    : input === null
      ? 'an empty value'
      : Array.isArray(input)
        ? 'a list'
        : typeof input === 'object'
          ? 'a `key: value` block'
          : typeof input;
const text = z
  .string({ error: (iss) => `expected text, not ${notText(iss.input)}` })
  .transform((v) => collapseWhitespace(removeInvisibles(removeIllegalCharacters(toNfc(v)).text)))
  .pipe(z.string().min(1, 'expected some text'));
const TEXT_KEYS = ['title', 'section', 'author', 'authors', 'tags', 'summary'];

// One text or a list of texts; a problem is named by its item (`tags: [2026, x]`: item 1).
const stringList = z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(text));
// YAML reads `date: 20261104` or `date: 2026` as a number.
const date = z
  .string({
    error: (iss) =>
      `expected a date such as 2026-11-25 or 2026-11-25T08:30:00+02:00, not ${typeof iss.input === 'number' ? `the number ${String(iss.input)}` : notText(iss.input)}`,
  })
  .transform((v, ctx) => {
    const utc = toUtcSecond(v);
    if (utc === null) {
      ctx.addIssue({ code: 'custom', message: dateProblem(v) });
      return z.NEVER;
    }
    return utc;
  });

/** A string the feeds can carry as it is (normalize/feed-values.ts): `expected`, then why not. */
function checked(problem: (v: string) => string | null, expected: string) {
  return z
    .string()
    .superRefine((v, ctx) => {
      const why = problem(v);
      if (why !== null) ctx.addIssue({ code: 'custom', message: `${expected}; ${why}` });
    })
    .optional();
}

/**
 * An article's own link: what every feed carries (urlProblem), and no user name or password,
 * which every feed would publish; on the site's host it also got no page and no warning.
 */
function articleUrlProblem(value: string): string | null {
  const why = urlProblem(value);
  if (why !== null) return why;
  const url = new URL(value);
  return url.username !== '' || url.password !== ''
    ? `it holds a user name or password (${url.username}${url.password === '' ? '' : ':…'}@), which every feed would publish; write it without them`
    : null;
}

const ID_EXPECTED = 'expected an ASCII URI such as tag:news.example.org,2026-11-25:my-story';

const schema = z.object({
  title: text.optional(),
  section: text.optional(),
  date: date.optional(),
  updated: date.optional(),
  author: text.optional(),
  authors: stringList.optional(),
  tags: stringList.optional(),
  url: checked(articleUrlProblem, 'expected an absolute http(s) URL'),
  // In RFC 5646's case (`RO` → `ro`): tags are case-insensitive, but records, feeds and the
  // scripts that read them compare them as strings. Only new records: a row is not normalized
  // again until its article changes (normalizer-version.ts is not bumped for it).
  language: checked(
    languageProblem,
    'expected a BCP 47 language tag such as "ro" or "en-GB"',
  ).transform((v) => (v === undefined ? v : canonicalTagCase(v))),
  summary: text.optional(),
  /** Not archived as published, given no id, until the flag goes (README "Stored articles"). */
  draft: z.boolean({ error: 'expected true or false' }).optional(),
  // Stored as a URL parser writes it (feed-values.ts, canonicalId), since that is how the gate
  // reads it back; checked as written and as stored. Only new records take it: ids are minted
  // once, and a record keeps its id whatever its front matter says later (ARTICLE_ID_KEPT).
  id: checked(idProblem, ID_EXPECTED)
    .transform((v) => (v === undefined ? v : canonicalId(v)))
    .pipe(checked(idProblem, ID_EXPECTED)),
});

const KNOWN = new Set(Object.keys(schema.shape));

/**
 * The keys that hold an article back: `draft: true` keeps it unpublished, a future `date:`
 * embargoes it. A mistyped one (`Draft:`, `draftt:`, `Date:`, a Romanian newsroom's `data:`)
 * ignored with a warning published the story at once, which no later fix can take back from
 * the subscribers who fetched it; so such a key refuses the article, as `draft: yes` does.
 */
const HOLDING = new Set(['draft', 'date']);
/**
 * Other tools' keys for the same (lower case): Jekyll's `published: false`, Hugo's
 * `publishDate`; a site moved to feedkeeper keeps its files as they are.
 */
const HOLDING_ELSEWHERE = new Map([
  ['published', 'draft'],
  ['publishdate', 'date'],
  ['publish_date', 'date'],
  ['pubdate', 'date'],
  ['embargo', 'date'],
]);

/** Why an unknown key may hold its article back (what the article is refused with), or null. */
function holdingProblem(key: string, value: unknown): string | null {
  if (KNOWN.has(key)) return null;
  const elsewhere = HOLDING_ELSEWHERE.get(key.toLowerCase());
  if (elsewhere !== undefined)
    // `published: true` is Jekyll's default and holds nothing back.
    return key.toLowerCase() === 'published' && value === true
      ? null
      : `has the front matter key "${key}", which feedkeeper does not read: other tools hold an article back with it, so the article is not published while it is unclear; feedkeeper's key is "${elsewhere}" (${elsewhere === 'draft' ? 'draft: true keeps an article unpublished' : 'a future date embargoes it until then'}): write that, or remove the line.`;
  const meant = didYouMean(key, [...KNOWN]);
  return meant !== null && HOLDING.has(meant)
    ? `has the front matter key "${key}", which feedkeeper does not know; it looks like "${meant}", a key that holds an article back, so the article is not published while it is unclear: write "${meant}" (lower case, spelled so) or remove the line.`
    : null;
}

export interface SplitFrontMatter {
  readonly frontMatter: FrontMatter;
  readonly body: string;
  readonly issues: readonly Issue[];
}

/** Split and validate front matter. An invalid one rejects the article (an `error` issue). */
export function splitFrontMatter(file: string, text: string): SplitFrontMatter {
  const m = FENCE.exec(text);
  if (!m) {
    if (/^---[ \t]*\n/.test(text))
      return reject(
        file,
        text,
        'starts a front matter block with a `---` line but has no `---` line to close it.',
      );
    return { frontMatter: {}, body: text, issues: [] };
  }
  const body = text.slice(m[0].length);
  const deep = yamlTooDeep(m[1] ?? '');
  if (deep !== null) return reject(file, body, `has front matter that ${deep}; it was not parsed.`);
  let raw: unknown;
  try {
    // Warnings too (an unknown tag such as `!!js/function`, kept as plain text by the parser
    // and printed on stderr by it without the file's name): front matter is `key: value` lines.
    const doc = parseDocument(m[1] ?? '', { logLevel: 'silent' });
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem !== undefined) throw problem;
    raw = doc.toJS() ?? {};
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return reject(file, body, `has front matter that is not valid YAML (${reason}).`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return reject(file, body, 'has front matter that is not a list of `key: value` lines.');
  }
  const fields = raw as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    const problem = holdingProblem(k, v);
    if (problem !== null) return reject(file, body, problem);
  }
  // An empty `draft:` could mean either: published now, it could not be taken back.
  if (fields['draft'] === null)
    return reject(
      file,
      body,
      'has an empty front matter value for "draft": expected true or false (write draft: true to keep the article unpublished).',
    );
  // `section:` with nothing after it says there is none, as if the line were not there.
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)),
  );
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const [name, ...rest] = first?.path ?? ['?'];
    const listed = Array.isArray(fields[String(name)]);
    const item = listed && typeof rest[0] === 'number' ? ` (item ${rest[0] + 1})` : '';
    return reject(
      file,
      body,
      `has an invalid front matter value for "${String(name)}"${item}: ${first?.message ?? 'invalid'}.`,
    );
  }
  const controls = TEXT_KEYS.filter((k) =>
    [fields[k]].flat().some((v) => typeof v === 'string' && illegalCharacterIn(v) !== null),
  ).map((k) =>
    issue(
      'TEXT_CONTROL_CHARACTERS',
      'warning',
      file,
      `has a control character that XML forbids in its front matter value "${k}" (written as a YAML escape); it was removed from the record.`,
      'Nothing to do for this run; to silence it, remove it from the front matter.',
    ),
  );
  const warnings = Object.keys(fields)
    .filter((k) => !KNOWN.has(k))
    .map((k) => {
      const meant = didYouMean(k, [...KNOWN]);
      return issue(
        'FRONT_MATTER_UNKNOWN_KEY',
        'warning',
        file,
        `has an unknown front matter key "${k}"; it is ignored.`,
        `${meant === null ? '' : `Did you mean "${meant}"? `}Known keys: ${[...KNOWN].join(', ')}. Remove or rename it.`,
      );
    });
  const fm = parsed.data;
  const authors = fm.authors ?? (fm.author !== undefined ? [fm.author] : undefined);
  const frontMatter: FrontMatter = Object.fromEntries(
    Object.entries({ ...fm, author: undefined, authors }).filter(([, v]) => v !== undefined),
  );
  return { frontMatter, body, issues: [...controls, ...warnings] };
}

function reject(file: string, body: string, message: string): SplitFrontMatter {
  return {
    frontMatter: {},
    body,
    issues: [
      issue(
        'FRONT_MATTER_INVALID',
        'error',
        file,
        message,
        'Fix the block between the two `---` lines (keys: title, section, date, updated, author, authors, tags, url, language, summary, draft, id).',
      ),
    ],
  };
}
