/**
 * The one table of what feedkeeper publishes. Render, verify, publish, `check` and the publish
 * state all read it, so a new output (pages, RFC 5005 archive documents) is one new row here,
 * plus its renderer (render/render-outputs.ts) and its reader (validate/verify-outputs.ts),
 * which are keyed by `format` and so must cover every format (the compiler checks it).
 */
export type Format = 'rss' | 'atom' | 'json';

/** Article, front and month pages (src/pages/, README "Pages"): rows made per record. */
export type PageFormat = 'html';

export interface OutputRow {
  /** Path under out/, which is also the path under site.baseUrl (the self link). */
  readonly file: string;
  readonly format: Format | PageFormat;
  /** What a server sends as Content-Type (with `; charset=utf-8`) and autodiscovery names. */
  readonly mediaType: string;
  /**
   * The HTTP status a server answers this file with; 200 when absent. 410 (Gone, RFC 9110
   * section 15.5.11) marks a withdrawn article's notice page: the page stays at its URL (a
   * reader following an old link learns what happened), and crawlers drop the URL. A server
   * learns it from the `.gone` marker the publication puts beside the file
   * (src/publish/gone-markers.ts).
   */
  readonly status?: 410;
}

/** A row of the feeds (the static part of the table). */
export interface FeedRow extends OutputRow {
  readonly format: Format;
}

export const PAGE_MEDIA_TYPE = 'text/html';

/** The row of one page; `gone` for a withdrawn article's notice page. */
export const pageRow = (file: string, gone = false): OutputRow =>
  gone
    ? { file, format: 'html', mediaType: PAGE_MEDIA_TYPE, status: 410 }
    : { file, format: 'html', mediaType: PAGE_MEDIA_TYPE };

export const OUTPUTS: readonly FeedRow[] = [
  { file: 'rss.xml', format: 'rss', mediaType: 'application/rss+xml' },
  { file: 'atom.xml', format: 'atom', mediaType: 'application/atom+xml' },
  { file: 'feed.json', format: 'json', mediaType: 'application/feed+json' },
];

export const outputFiles = (): string[] => OUTPUTS.map((o) => o.file);

/**
 * Names `serve` (and deploy/nginx.conf) never answers for: another representation of a file
 * (its gzip and Brotli copies) or the marker that it is gone, not a resource. So no page may be
 * published at such a name either (render/page-paths.ts).
 */
export const NOT_A_RESOURCE = /\.(?:gz|br|gone)$/;

/** The marker that says out/ is feedkeeper's (pipeline/out-folder.ts): a hidden file in out/. */
export const OUT_MARKER = '.feedkeeper-out';

/**
 * The RFC 5005 archive documents of one month (or part of a month, `YYYY/MM/2`): the same three
 * formats under archive/YYYY/MM/ (docs/reference.md, "The archive chain"; src/history/archive-chain.ts).
 */
export const archiveOutputs = (name: string): FeedRow[] =>
  OUTPUTS.map((o) => ({ ...o, file: `archive/${name}/${o.file}` }));

/** A rendered output, not yet proven. */
export interface RenderedFile {
  readonly row: OutputRow;
  readonly text: string;
}
