import { createHash } from 'node:crypto';
import { createReadStream, realpathSync, statSync, type Stats } from 'node:fs';
import { open, readFile, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { mediaTypeOf } from '../model/media-types.js';
import { GONE_MARKER } from '../publish/gone-markers.js';
import { encode, MIN_COMPRESS_BYTES, SIBLING } from '../publish/precompress.js';
import { cacheControlOf } from './cache-policy.js';
import { KnownHashes } from './known-hashes.js';

/**
 * What `serve` knows about each file it has served, so that a request costs one stat(2) and
 * no read, no hash and no compression: the bytes of the file and of its gzip and brotli copies
 * (for files up to `maxFileBytes`; larger ones are streamed from disk), its strong ETag, its
 * status (410 for a withdrawn article's notice page) and its response headers, built once.
 *
 * An entry is keyed by the file's inode, size and mtime: a publication renames a new inode into
 * place, so the next request's stat sees it and the entry is built again. Building one checks
 * that the file's real path is inside the real path of out/ (a symlink pointing out is refused)
 * and takes the ETag from the hashes recorded at publication (known-hashes.ts), hashing the
 * bytes only when none matches. A copy (`.gz`, `.br`) older than its file is stale (the file was
 * renamed into place and its copies are being written, publish/precompress.ts) and is not sent;
 * a file of 256 bytes or more without fresh copies is compressed here once, with the function
 * the publication uses, so the bytes (and the ETag) are the same it will write.
 */
export type Coding = 'identity' | 'gzip' | 'br';

export interface Representation {
  readonly coding: Coding;
  /** In memory, or null: streamed from `path`. */
  readonly body: Buffer | null;
  readonly path: string;
  readonly length: number;
  readonly etag: string;
  /** Headers of the full response (flat [name, value, …] list for writeHead). */
  readonly headers: string[];
  /** Headers of a 304 (RFC 9110 section 15.4.5: those a 200 would carry but the content's). */
  readonly headers304: string[];
}

export interface Entry {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly status: 200 | 410;
  readonly lastModifiedSeconds: number;
  readonly identity: Representation;
  readonly gzip: Representation | null;
  readonly br: Representation | null;
  /** Bytes held in memory. */
  readonly memory: number;
}

export type Lookup =
  | { readonly kind: 'entry'; readonly entry: Entry }
  | { readonly kind: 'folder' }
  | { readonly kind: 'missing' };

export interface FileCacheOptions {
  /** Files up to this size are held in memory (with their copies); larger ones are streamed. */
  readonly maxFileBytes?: number;
  /** Total bytes held; the oldest entries go first beyond it. */
  readonly maxTotalBytes?: number;
}

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<Entry | null>>();
  private total = 0;
  private readonly root: string;
  private readonly hashes: KnownHashes;
  private readonly maxFileBytes: number;
  private readonly maxTotalBytes: number;

  constructor(outDir: string, stateDir: string, opts: FileCacheOptions = {}) {
    this.root = realpathSync(outDir);
    this.hashes = new KnownHashes(stateDir);
    this.maxFileBytes = opts.maxFileBytes ?? 8 * 1024 * 1024;
    this.maxTotalBytes = opts.maxTotalBytes ?? 128 * 1024 * 1024;
  }

  /**
   * The entry of `rel` (a path resolve-target.ts let through), from memory when the file is the
   * one seen last time. Synchronous when it is (the common case: no promise, no tick).
   */
  lookup(rel: string): Lookup | Promise<Lookup> {
    const abs = rel === '' ? this.root : join(this.root, rel);
    let s: Stats | undefined;
    try {
      s = statSync(abs, { throwIfNoEntry: false });
    } catch (error) {
      // `rss.xml/` or `index.html/x` (a file used as a folder), a name too long, a symlink
      // loop: nothing is there to serve (404), not a server error (it was a 500).
      if (NOT_THERE.has((error as NodeJS.ErrnoException).code ?? '')) return MISSING;
      throw error;
    }
    if (!s) return MISSING;
    if (s.isDirectory()) return FOLDER;
    if (!s.isFile()) return MISSING;
    const cached = this.entries.get(rel);
    if (cached && cached.ino === s.ino && cached.size === s.size && cached.mtimeMs === s.mtimeMs)
      return { kind: 'entry', entry: cached };
    return this.build(rel, abs, s);
  }

  /** Forget a cached entry (a streamed file changed under a request). */
  forget(rel: string): void {
    const e = this.entries.get(rel);
    if (e) {
      this.total -= e.memory;
      this.entries.delete(rel);
    }
  }

  private async build(rel: string, abs: string, s: Stats): Promise<Lookup> {
    const key = `${rel}\0${s.ino}\0${s.size}\0${s.mtimeMs}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.make(rel, abs).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    const entry = await pending;
    return entry ? { kind: 'entry', entry } : MISSING;
  }

  private async make(rel: string, abs: string): Promise<Entry | null> {
    if (!(await this.inside(abs))) return null;
    const handle = await open(abs, 'r').catch(() => null);
    if (!handle) return null;
    let s: Stats;
    let body: Buffer | null = null;
    try {
      s = await handle.stat();
      if (!s.isFile()) return null;
      if (s.size <= this.maxFileBytes) body = await handle.readFile();
    } finally {
      await handle.close();
    }
    const sha256 =
      this.hashes.lookup(rel, s.size, s.mtimeMs) ??
      (body !== null ? sha256Of(body) : await sha256OfFile(abs));
    const tag = sha256.slice(0, 32);
    const type = mediaTypeOf(rel);
    const status = (await exists(abs + GONE_MARKER)) ? 410 : 200;
    const lastModifiedSeconds = Math.floor(s.mtimeMs / 1000);
    const common = {
      lastModified: new Date(lastModifiedSeconds * 1000).toUTCString(),
      cacheControl: cacheControlOf(rel),
      contentType: type.contentType,
    };

    let copies: Partial<
      Record<'gzip' | 'br', { body: Buffer | null; path: string; length: number }>
    > = {};
    if (type.compressible && s.size >= MIN_COMPRESS_BYTES) {
      for (const coding of ['gzip', 'br'] as const) {
        const path = abs + SIBLING[coding];
        const c = statSync(path, { throwIfNoEntry: false });
        if (!c?.isFile() || c.mtimeMs < s.mtimeMs || !(await this.inside(path))) continue;
        const copy = c.size <= this.maxFileBytes ? await readFile(path).catch(() => null) : null;
        if (copy !== null || c.size > this.maxFileBytes)
          copies[coding] = { body: copy, path, length: copy?.length ?? c.size };
      }
      if (body !== null && (copies.gzip === undefined || copies.br === undefined)) {
        // Copies missing (an out/ published before them, a deleted copy) or not yet written
        // (a publication in progress): make them here, as the publication does.
        const enc = await encode(body);
        copies = {
          gzip:
            copies.gzip ??
            (enc.gzip ? { body: enc.gzip, path: abs, length: enc.gzip.length } : undefined),
          br:
            copies.br ?? (enc.br ? { body: enc.br, path: abs, length: enc.br.length } : undefined),
        };
      }
    }
    const vary = copies.gzip !== undefined || copies.br !== undefined;
    const rep = (
      coding: Coding,
      b: Buffer | null,
      path: string,
      length: number,
    ): Representation => {
      const etag = `"${coding === 'identity' ? tag : `${tag}-${coding}`}"`;
      const h304 = [
        'ETag',
        etag,
        'Last-Modified',
        common.lastModified,
        'Cache-Control',
        common.cacheControl,
        ...(vary ? ['Vary', 'Accept-Encoding'] : []),
        'X-Content-Type-Options',
        'nosniff',
      ];
      const headers = [
        'Content-Type',
        common.contentType,
        'Content-Length',
        String(length),
        ...(coding === 'identity' ? [] : ['Content-Encoding', coding]),
        ...h304,
      ];
      return { coding, body: b, path, length, etag, headers, headers304: h304 };
    };
    const gz = copies.gzip;
    const br = copies.br;
    const entry: Entry = {
      ino: s.ino,
      size: s.size,
      mtimeMs: s.mtimeMs,
      status,
      lastModifiedSeconds,
      identity: rep('identity', body, abs, s.size),
      gzip: gz ? rep('gzip', gz.body, gz.path, gz.length) : null,
      br: br ? rep('br', br.body, br.path, br.length) : null,
      memory: (body?.length ?? 0) + (gz?.body?.length ?? 0) + (br?.body?.length ?? 0),
    };
    this.keep(rel, entry);
    return entry;
  }

  private keep(rel: string, entry: Entry): void {
    this.forget(rel);
    this.entries.set(rel, entry);
    this.total += entry.memory;
    for (const [name, e] of this.entries) {
      if (this.total <= this.maxTotalBytes || name === rel) break;
      this.total -= e.memory;
      this.entries.delete(name);
    }
  }

  /**
   * Is the real path of `abs` (symlinks resolved) inside out/, and not hidden there? A link with
   * a plain name to a hidden one (the `.feedkeeper-out` marker, a temp file, a hidden folder) is
   * held to the rule the request's own path is (resolve-target.ts): hidden names are never served.
   */
  private async inside(abs: string): Promise<boolean> {
    const real = await realpath(abs).catch(() => null);
    if (real === null || !real.startsWith(this.root + sep)) return false;
    return !real
      .slice(this.root.length + 1)
      .split(sep)
      .some((segment) => segment.startsWith('.'));
  }
}

const MISSING: Lookup = { kind: 'missing' };
const NOT_THERE = new Set(['ENOTDIR', 'ENAMETOOLONG', 'ELOOP']);
const FOLDER: Lookup = { kind: 'folder' };

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

const exists = (path: string): Promise<boolean> =>
  open(path, 'r').then(
    (h) => h.close().then(() => true),
    () => false,
  );
