import { validate as isCronExpression, validateDetailed } from 'node-cron';
import { z } from 'zod';
import { didYouMeanText } from '../model/did-you-mean.js';
import { DATE_SOURCES, DEFAULT_DATE_SOURCES } from '../normalize/date-sources.js';
import { describeIllegal, illegalCharacterIn, removeInvisibles } from '../normalize/clean-text.js';
import { languageProblem, tagHostProblem, urlProblem } from '../normalize/feed-values.js';
import { DEFAULT_STATE } from './settle-config.js';
import { listenHost } from '../model/listen-host.js';

/**
 * feedkeeper.config.json. Every key, its default and its meaning are listed in the README;
 * keep the two in step. Unknown keys are refused so that a typo is not silently ignored.
 */
/**
 * site.baseUrl: every link is made by appending a path to it (`<baseUrl>/articles/<slug>.html`),
 * and each record keeps its link forever: a query or fragment would end up in the middle of
 * every minted link, and a user name or password would be published in all of them. Its host
 * names every record's tag URI id, minted once: a host RFC 4151 refuses (`news_room.example.org`)
 * made ids the gate refused on every run, so it is refused here, before anything is minted.
 */
/** A `.` or `..` path part, written plainly or percent-encoded (`%2e%2e`). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/** A path whose last part is a page's file name (`/news/index.html`), not a folder. */
const PAGE_NAME = /\/[^/]+\.(?:html?|xhtml|php|aspx?|jsp|cgi)$/i;

const absoluteHttpUrl = z
  .url({
    protocol: /^https?$/,
    error: 'expected an absolute http(s) URL such as "https://news.example.org"',
  })
  .superRefine((u, ctx) => {
    // Checks go on after a failed one: what z.url() refused is not parsed here.
    if (!URL.canParse(u)) return;
    const url = new URL(u);
    const why =
      url.search !== '' || url.hash !== '' || u.includes('?') || u.includes('#')
        ? 'it has a query (?…) or a fragment (#…); every link is made by appending a path to it, so write the address of the site\'s folder only, such as "https://news.example.org/news"'
        : url.username !== '' || url.password !== ''
          ? 'it holds a user name or password, which every published link would carry; write it without them'
          : DOT_SEGMENT.test(u.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''))
            ? // https://x.org/%2e%2e/ became https://x.org/ without a word (an outside try).
              `its path has a "." or ".." part, which URLs resolve away (it would be ${url.href}); write the folder's address as it is`
            : PAGE_NAME.test(url.pathname)
              ? // The address of the front page pasted (an outside try): every link was made
                // below it, …/index.html/articles/….html, without a word.
                `its last part (${url.pathname.split('/').pop() ?? ''}) names a page, not a folder; every link is made by appending a path to it, so write the address of the page's folder, such as "${url.origin}${url.pathname.replace(/\/[^/]*$/, '')}"`
              : url.hostname.startsWith('[')
                ? // Not a character to encode (it said "percent-encode [", which cannot work).
                  "its host is an IPv6 address, and the records' ids are tag URIs, whose authority must be a domain name (RFC 4151 section 2.1); serve the site under a host name"
                : (urlProblem(url.href) ?? tagHostProblem(url.hostname));
    if (why !== null)
      ctx.addIssue({ code: 'custom', message: `expected an absolute http(s) URL; ${why}` });
  })
  .transform((u) => new URL(u).href.replace(/\/$/, ''));

/** site.language: the rule every format and validator shares, the one front matter follows. */
const languageTag = z.string().superRefine((tag, ctx) => {
  const why = languageProblem(tag);
  if (why !== null)
    ctx.addIssue({
      code: 'custom',
      message: `expected a BCP 47 language tag such as "ro" or "en-GB"; ${why}`,
    });
});

/** Text the feeds and pages carry: nothing XML 1.0 forbids (a control character pasted in). */
const feedText = (schema: z.ZodString) =>
  schema.superRefine((text, ctx) => {
    const bad = illegalCharacterIn(text);
    if (bad !== null)
      ctx.addIssue({
        code: 'custom',
        message: `it holds ${describeIllegal(bad)}, which XML forbids; remove it`,
      });
  });

/**
 * Marks an issue whose message reads after the value itself ("<key>: "<value>" is not …"), the
 * form the schedule command has always printed; load-config.ts writes such issues that way.
 */
export const VALUE_FIRST = 'valueFirst';

/**
 * schedule.cron: checked here, with node-cron's own validator, so that every command (not only
 * `schedule`) refuses an expression the service could never run; the RSS <ttl> is derived from it.
 */
const cronExpression = z.string().refine((text) => isCronExpression(text), {
  params: { [VALUE_FIRST]: true },
  error: (issue) => {
    const text = typeof issue.input === 'string' ? issue.input : '';
    const why = validateDetailed(text)
      .errors.map((e) => e.message)
      .join('; ');
    return `is not a valid cron expression (${why || 'wrong number of fields'}); write five fields (six with seconds first), e.g. "*/5 * * * *" for every five minutes`;
  },
});

/**
 * schedule.timezone: an IANA zone this Node.js knows. Intl.supportedValuesOf lists the canonical
 * zones in about 2 ms; creating the first DateTimeFormat loads ICU's zone data, 40 to 90 ms,
 * which was a tenth of a no-change build at 10,000 articles. So that is only the fallback, for
 * what the list leaves out: "UTC" and aliases such as "US/Eastern" (Intl throws RangeError on
 * anything it does not know).
 */
const isTimeZone = (zone: string): boolean => {
  if (zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone)) return true;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const timeZone = z.string().refine(isTimeZone, {
  params: { [VALUE_FIRST]: true },
  // A misspelt zone gets the closest one, as a mistyped command does (model/did-you-mean.ts).
  error: (iss) =>
    `is not an IANA time zone${didYouMeanText(
      typeof iss.input === 'string' ? iss.input : '',
      ['UTC', ...Intl.supportedValuesOf('timeZone')],
      '; write e.g. "UTC" or "Europe/Bucharest"',
    )}`,
});

/**
 * dates.sources: where publication dates come from, first found wins (normalize/date-sources.ts).
 * `firstSeen` always has a date, so it can only be last (it is added when left out).
 */
const dateSources = z
  .array(z.enum(DATE_SOURCES))
  .min(1)
  .refine((list) => new Set(list).size === list.length, {
    error: 'names a source twice; list each of frontMatter, fileName, fileMtime, firstSeen once',
  })
  .refine((list) => !list.includes('firstSeen') || list.at(-1) === 'firstSeen', {
    error:
      'lists a source after "firstSeen", which always has a date, so it would never be used; put "firstSeen" last',
  })
  // Every file has a modification time: a source after it was read only for a file dated
  // before 1970, so a front-matter date (an embargo) was ignored without a word.
  .refine((list) => !list.includes('fileMtime') || afterMtime(list).length === 0, {
    error:
      'lists "frontMatter" or "fileName" after "fileMtime": every file has a modification time, so their dates (embargoes included) would never be used; put "fileMtime" after them',
  });

function afterMtime(list: readonly string[]): string[] {
  return list.slice(list.indexOf('fileMtime') + 1).filter((s) => s !== 'firstSeen');
}

/**
 * A `paths.*` value: a NUL character is in no file name, and Node's file functions throw on it
 * (a stack trace from every command, and from every tick of `schedule`).
 */
const folderPath = z
  .string()
  .min(1)
  .refine((p) => !p.includes('\0'), {
    error: 'expected a folder path; it holds a NUL character (U+0000), which no file name can hold',
  });

export const configSchema = z
  .object({
    site: z
      .object({
        title: feedText(
          z
            .string()
            .trim()
            .min(1, 'expected a non-empty site title')
            // Only invisible characters (U+200B…) show as an empty title in every reader, as an
            // article's would (ARTICLE_NO_TITLE; found by an outside try).
            .refine((s) => removeInvisibles(s).trim() !== '', {
              message: 'expected a site title readers can see; it holds only invisible characters',
            }),
        ),
        description: feedText(z.string()).default(''),
        baseUrl: absoluteHttpUrl,
        language: languageTag.default('en'),
        author: z
          .object({
            name: feedText(z.string().trim().min(1, 'expected the publisher name')),
            email: z.email().optional(),
            // As URL writes it ("https://jane.example/"): feed passes it through new URL().
            // The rule a front-matter url follows: `[`, `|`, `%zz` or a second `#` were
            // published, and the W3C validator and the JSON Feed schema refused the feeds.
            url: z
              .url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' })
              .superRefine((u, ctx) => {
                const why = URL.canParse(u) ? urlProblem(new URL(u).href) : null;
                if (why !== null)
                  ctx.addIssue({
                    code: 'custom',
                    message: `expected an absolute http(s) URL; ${why}`,
                  });
              })
              .transform((u) => new URL(u).href)
              .optional(),
          })
          .strict(),
      })
      .strict(),
    paths: z
      .object({
        articles: folderPath.default('archive/articles'),
        records: folderPath.default('archive/records'),
        out: folderPath.default('out'),
        state: folderPath.default(DEFAULT_STATE),
      })
      .strict()
      .default({
        articles: 'archive/articles',
        records: 'archive/records',
        out: 'out',
        state: DEFAULT_STATE,
      }),
    feed: z
      .object({
        size: z.number().int().min(1).max(10_000).default(50),
      })
      .strict()
      .default({ size: 50 }),
    limits: z
      .object({
        maxArticleBytes: z.number().int().min(1).default(1_048_576),
      })
      .strict()
      .default({ maxArticleBytes: 1_048_576 }),
    dates: z
      .object({ sources: dateSources.default([...DEFAULT_DATE_SOURCES]) })
      .strict()
      .default({ sources: [...DEFAULT_DATE_SOURCES] }),
    schedule: z
      .object({
        cron: cronExpression.default('*/5 * * * *'),
        timezone: timeZone.default('UTC'),
      })
      .strict()
      .default({ cron: '*/5 * * * *', timezone: 'UTC' }),
    // `feedkeeper serve` (and `schedule --serve`): where it listens. Optional, so that a
    // configuration without it keeps its fingerprint; not part of the fingerprint either
    // (load-config.ts): where the feeds are served does not change their bytes.
    serve: z
      .object({
        host: z
          .string()
          .transform((text, ctx) => {
            const h = listenHost(text);
            if ('host' in h) return h.host;
            ctx.addIssue({
              code: 'custom',
              message: `expected a host name or IP address; ${h.why}`,
            });
            return z.NEVER;
          })
          .default('127.0.0.1'),
        port: z
          .number()
          .int('expected a whole port number')
          .min(0, 'expected a port from 0 to 65535')
          .max(65535, 'expected a port from 0 to 65535')
          .default(8080),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
