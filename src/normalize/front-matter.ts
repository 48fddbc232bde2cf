import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FrontMatter } from '../model/article.js';
import { issue, type Issue } from '../model/issue.js';
import { dateProblem, toUtcSecond } from './dates.js';
import { idProblem, languageProblem, urlProblem } from './feed-values.js';
import { yamlTooDeep } from './yaml-guard.js';

/** The adapter for `yaml`: `---` front matter at the very top of a stored article. */
const FENCE = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/;

const stringList = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (typeof v === 'string' ? [v] : v));
const date = z.string().transform((v, ctx) => {
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

const schema = z.object({
  title: z.string().trim().min(1).optional(),
  section: z.string().trim().min(1).optional(),
  date: date.optional(),
  updated: date.optional(),
  author: z.string().trim().min(1).optional(),
  authors: stringList.optional(),
  tags: stringList.optional(),
  url: checked(urlProblem, 'expected an absolute http(s) URL'),
  language: checked(languageProblem, 'expected a BCP 47 language tag such as "ro" or "en-GB"'),
  summary: z.string().trim().min(1).optional(),
  /** Not archived as published, given no id, until the flag goes (README "Stored articles"). */
  draft: z.boolean({ error: 'expected true or false' }).optional(),
  id: checked(idProblem, 'expected an ASCII URI such as tag:news.example.org,2026-11-25:my-story'),
});

const KNOWN = new Set(Object.keys(schema.shape));

export interface SplitFrontMatter {
  readonly frontMatter: FrontMatter;
  readonly body: string;
  readonly issues: readonly Issue[];
}

/** Split and validate front matter. An invalid one rejects the article (an `error` issue). */
export function splitFrontMatter(file: string, text: string): SplitFrontMatter {
  const m = FENCE.exec(text);
  if (!m) return { frontMatter: {}, body: text, issues: [] };
  const body = text.slice(m[0].length);
  const deep = yamlTooDeep(m[1] ?? '');
  if (deep !== null) return reject(file, body, `has front matter that ${deep}; it was not parsed.`);
  let raw: unknown;
  try {
    raw = parseYaml(m[1] ?? '') ?? {};
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return reject(file, body, `has front matter that is not valid YAML (${reason}).`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return reject(file, body, 'has front matter that is not a list of `key: value` lines.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const key = first?.path.join('.') ?? '?';
    return reject(
      file,
      body,
      `has an invalid front matter value for "${key}": ${first?.message ?? 'invalid'}.`,
    );
  }
  const warnings = Object.keys(raw as object)
    .filter((k) => !KNOWN.has(k))
    .map((k) =>
      issue(
        'FRONT_MATTER_UNKNOWN_KEY',
        'warning',
        file,
        `has an unknown front matter key "${k}"; it is ignored.`,
        `Known keys: ${[...KNOWN].join(', ')}. Remove or rename it.`,
      ),
    );
  const fm = parsed.data;
  const authors = fm.authors ?? (fm.author !== undefined ? [fm.author] : undefined);
  const frontMatter: FrontMatter = Object.fromEntries(
    Object.entries({ ...fm, author: undefined, authors }).filter(([, v]) => v !== undefined),
  );
  return { frontMatter, body, issues: warnings };
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
