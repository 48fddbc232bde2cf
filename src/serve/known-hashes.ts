import { readFileSync, statSync } from 'node:fs';
import { etagsFile } from '../publish/precompress.js';
import { publishStateFile } from '../pipeline/publish-state.js';

/**
 * sha256 of published files as recorded when they were published, so that `serve` needs not
 * hash them: `<state>/etags.json` (written by publish/precompress.ts on every publication) and
 * the publish state's `files[name].sha256` where it has one. A hash is used only while the
 * file's size and mtime are still the recorded ones; otherwise the file is hashed once (by
 * file-cache.ts) for that size and mtime. Both tables are read again when they change.
 */
interface Row {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256?: string;
}

interface Loaded {
  readonly mtimeMs: number;
  readonly rows: Readonly<Record<string, Row>>;
}

export class KnownHashes {
  private readonly tables: {
    path: string;
    pick: (json: unknown) => unknown;
    loaded: Loaded | null;
  }[];

  constructor(stateDir: string) {
    this.tables = [
      { path: etagsFile(stateDir), pick: (j) => j, loaded: null },
      {
        path: publishStateFile(stateDir),
        pick: (j) => (j as { files?: unknown } | null)?.files,
        loaded: null,
      },
    ];
  }

  /** The recorded sha256 (hex) of `name`, if its size and mtime are those recorded. */
  lookup(name: string, size: number, mtimeMs: number): string | null {
    for (const t of this.tables) {
      const row = this.rows(t)[name];
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

  private rows(t: (typeof this.tables)[number]): Readonly<Record<string, Row>> {
    const s = statSync(t.path, { throwIfNoEntry: false });
    if (!s) {
      t.loaded = null;
      return {};
    }
    if (t.loaded?.mtimeMs === s.mtimeMs) return t.loaded.rows;
    let rows: Record<string, Row> = {};
    try {
      const picked = t.pick(JSON.parse(readFileSync(t.path, 'utf8')) as unknown);
      if (typeof picked === 'object' && picked !== null && !Array.isArray(picked))
        rows = picked as Record<string, Row>;
    } catch {
      // Derived data: unreadable means "hash the file".
    }
    t.loaded = { mtimeMs: s.mtimeMs, rows };
    return rows;
  }
}
