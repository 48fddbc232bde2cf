import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A withdrawn article keeps a notice page, answered with 410 Gone (RFC 9110 section 15.5.11:
 * the page existed and is gone on purpose, so crawlers and readers drop it, unlike a 404). A
 * static server cannot see that in the page's bytes, so the output rows that say so (`status:
 * 410`) get an empty marker beside their file, `<name>.gone`, which `serve`, nginx
 * (`if (-f $request_filename.gone)`) and Caddy (a `file {path}.gone` matcher) all test.
 *
 * Set before the files are published: a marker appears just before its notice page replaces
 * the article's page, and goes just before the article's page replaces the notice, so for a
 * moment the old page is answered with the new status, never the notice page with 200.
 */
export const GONE_MARKER = '.gone';

export interface PublishedStatus {
  readonly file: string;
  readonly status?: number | undefined;
}

/** Create the markers of rows with status 410 and remove those of the others. */
export function setGoneMarkers(outDir: string, rows: readonly PublishedStatus[]): void {
  for (const row of rows) {
    const marker = join(outDir, row.file + GONE_MARKER);
    if (row.status === 410) {
      if (existsSync(marker)) continue;
      mkdirSync(dirname(marker), { recursive: true });
      closeSync(openSync(marker, 'w', 0o644));
    } else rmSync(marker, { force: true });
  }
}
