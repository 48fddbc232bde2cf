import type { Block } from '../model/record.js';
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

export const bodyText = (body: readonly Block[]): string => body.map((b) => b.text).join('\n\n');
