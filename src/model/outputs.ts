/**
 * The one table of what feedkeeper publishes. Render, verify, publish, `check` and the publish
 * state all read it, so a new output (pages, RFC 5005 archive documents) is one new row here,
 * plus its renderer (render/render-outputs.ts) and its reader (validate/verify-outputs.ts),
 * which are keyed by `format` and so must cover every format (the compiler checks it).
 */
export type Format = 'rss' | 'atom' | 'json';

export interface OutputRow {
  /** Path under out/, which is also the path under site.baseUrl (the self link). */
  readonly file: string;
  readonly format: Format;
  /** What a server sends as Content-Type (with `; charset=utf-8`) and autodiscovery names. */
  readonly mediaType: string;
}

export const OUTPUTS: readonly OutputRow[] = [
  { file: 'rss.xml', format: 'rss', mediaType: 'application/rss+xml' },
  { file: 'atom.xml', format: 'atom', mediaType: 'application/atom+xml' },
  { file: 'feed.json', format: 'json', mediaType: 'application/feed+json' },
];

export const outputFiles = (): string[] => OUTPUTS.map((o) => o.file);

/**
 * The RFC 5005 archive documents of one month (or part of a month, `YYYY/MM/2`): the same three
 * formats under archive/YYYY/MM/ (docs/reference.md, "The archive chain"; src/history/archive-chain.ts).
 */
export const archiveOutputs = (name: string): OutputRow[] =>
  OUTPUTS.map((o) => ({ ...o, file: `archive/${name}/${o.file}` }));

/** A rendered output, not yet proven. */
export interface RenderedFile {
  readonly row: OutputRow;
  readonly text: string;
}
