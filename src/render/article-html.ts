import type { Block, Source } from '../model/record.js';
import { sourceLabel } from '../model/source-label.js';
import { escapeMarkup } from './escape.js';

/**
 * A record's body as HTML (feeds' content, article pages) and as plain text. Every text is
 * escaped, so the HTML holds only the tags we write, and never the sequence `]]>` (its `>`
 * is always escaped), which keeps it safe inside a CDATA section.
 */
export const bodyHtml = (body: readonly Block[]): string =>
  body
    .map((b) =>
      b.type === 'heading' ? `<h2>${escapeMarkup(b.text)}</h2>` : `<p>${escapeMarkup(b.text)}</p>`,
    )
    .join('\n');

/**
 * The source credit, in the article's language: "Sursa: <a href=…>www.aljazeera.com</a>".
 * Only an http(s) URL becomes a link: a hand-edited record could hold `javascript:` (any URL
 * passes the record schema), and a reader would run it on a click.
 */
export function sourceHtml(source: Source, language: string): string {
  const name = escapeMarkup(source.name);
  const credit = isHttpUrl(source.url) ? `<a href="${escapeMarkup(source.url)}">${name}</a>` : name;
  return `<p>${escapeMarkup(sourceLabel(language))}: ${credit}</p>`;
}

/** What a feed's content shows: the body, then the source credit when there is one. */
export const contentHtml = (
  body: readonly Block[],
  source: Source | null,
  language: string,
): string =>
  source === null ? bodyHtml(body) : `${bodyHtml(body)}\n${sourceHtml(source, language)}`;

export const isHttpUrl = (url: string | null): url is string =>
  url !== null && /^https?:\/\//i.test(url);

export const bodyText = (body: readonly Block[]): string => body.map((b) => b.text).join('\n\n');
