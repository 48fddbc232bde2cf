import { readRegular } from '../io/read-regular.js';
import { statStamp } from '../io/stat-stamp.js';
import { hashesStamp, loadHashes } from '../publish/precompress.js';
import { publishStateFile } from '../pipeline/publish-state.js';

/**
 * sha256 of published files as recorded when they were published, so that `serve` needs not
 * hash them: `<state>/etags.json` and its journal (written by publish/precompress.ts on every publication) and
 * the publish state's `files[name].sha256` where it has one. A hash is used only while the
 * file's size and mtime are still the recorded ones; otherwise the file is hashed once (by
 * file-cache.ts) for that size and mtime. Both tables are read again when they change.
 */
interface Row {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256?: string;
}

interface Table {
  /** Changes when the table's files change (stat only: called on every request). */
  readonly stamp: () => string;
  readonly load: () => ReadonlyMap<string, Row>;
  loaded: { stamp: string; rows: ReadonlyMap<string, Row> } | null;
}

export class KnownHashes {
  private readonly tables: Table[];

  constructor(stateDir: string) {
    const published = publishStateFile(stateDir);
    this.tables = [
      { stamp: () => hashesStamp(stateDir), load: () => loadHashes(stateDir).rows, loaded: null },
      {
        stamp: () => statStamp(published),
        load: () => publishedRows(published),
        loaded: null,
      },
    ];
  }

  /** The recorded sha256 (hex) of `name`, if its size and mtime are those recorded. */
  lookup(name: string, size: number, mtimeMs: number): string | null {
    for (const t of this.tables) {
      const row = this.rows(t).get(name);
      if (
        row !== undefined &&
        row.size === size &&
        row.mtimeMs === mtimeMs &&
        typeof row.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(row.sha256)
      )
        return row.sha256;
    }
    return null;
  }

  private rows(t: Table): ReadonlyMap<string, Row> {
    const stamp = t.stamp();
    if (t.loaded?.stamp !== stamp) t.loaded = { stamp, rows: t.load() };
    return t.loaded.rows;
  }
}

/** The publish state's `files` (pipeline/publish-state.ts); none when unreadable (derived data). */
function publishedRows(path: string): ReadonlyMap<string, Row> {
  try {
    const files = (
      JSON.parse(readRegular(path, true).toString('utf8')) as { files?: unknown } | null
    )?.files;
    if (typeof files === 'object' && files !== null && !Array.isArray(files))
      return new Map(Object.entries(files as Record<string, Row>));
  } catch {
    // Derived data: unreadable means "hash the file".
  }
  return new Map();
}
