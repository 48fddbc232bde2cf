import { issue, type Issue } from '../model/issue.js';

/**
 * Drafts: a stored article whose front matter says `draft: true` is neither archived as
 * published nor given an id (an id minted now would be one readers never see, or see change).
 * Its catalogue row keeps the notice below, so every run reports it as a draft, and it is
 * read again (like any file) when it changes: the run that finds the flag gone archives it as
 * new, dated by its sources as usual. A file that already had a published record and becomes a
 * draft again takes it out of the feeds: the record is withdrawn (kept, as every record is) and
 * is restored, same id, when the flag goes.
 */
export const DRAFT = 'ARTICLE_DRAFT';

export const draftNotice = (file: string): Issue =>
  issue(
    DRAFT,
    'warning',
    file,
    'is a draft (`draft: true` in its front matter): it is not archived or published, and gets no id.',
    'Remove the `draft: true` line (or write `draft: false`) when it is ready; the next run publishes it.',
  );

export const isDraft = (issues: readonly Issue[]): boolean => issues.some((i) => i.code === DRAFT);
