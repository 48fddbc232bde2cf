import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sameBytes, stagedFor, syncDir } from '../io/atomic-write.js';
import { flushFiles } from '../io/flush-files.js';
import { GONE_MARKER } from './gone-markers.js';
import { SIBLING } from './make-copies.js';
import { placeAll, withCopies, type Move } from './publish-files.js';

/**
 * The pages of a run, staged one by one as the gate proves them (so that no run holds them all
 * in memory), and renamed into out/ only once every output of the run passed the gate. A page
 * whose bytes are already in out/ is not staged. The staged files are made durable with one
 * flush (io/flush-files.ts), not one fsync each; each rename is atomic, and each folder that
 * received a page is synced once.
 */
export class PageStage {
  private readonly staged: string[] = [];
  /** Size and sha256 of every staged page (for etags.json). */
  readonly digests = new Map<string, { size: number; sha256: string }>();
  /** Pages whose bytes were already in out/. */
  readonly unchanged: string[] = [];

  constructor(
    private readonly outDir: string,
    private readonly dir: string,
  ) {
    rmSync(dir, { recursive: true, force: true });
  }

  /**
   * Stage the page `file` with `text`; returns the bytes staged, and where (null: they were
   * already in out/).
   */
  stage(file: string, text: string): { readonly path: string; readonly bytes: Buffer } | null {
    const bytes = Buffer.from(text, 'utf8');
    if (sameBytes(join(this.outDir, file), bytes)) {
      this.unchanged.push(file);
      return null;
    }
    const to = join(this.dir, file);
    try {
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, bytes);
    } catch (error) {
      throw stagedFor(error, join(this.outDir, file), this.dir);
    }
    this.staged.push(file);
    this.digests.set(file, {
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    return { path: to, bytes };
  }

  /** The pages staged (names under out/), and the folder they are staged in. */
  get files(): readonly string[] {
    return this.staged;
  }

  get folder(): string {
    return this.dir;
  }

  /**
   * Rename every staged page into out/, each followed by its `copies` (stage-copies.ts);
   * returns the files written (names under out/).
   */
  publish(copies: readonly Move[] = []): string[] {
    try {
      flushFiles(
        this.dir,
        this.staged.map((f) => join(this.dir, f)),
      );
    } catch (error) {
      throw stagedFor(error, this.outDir, this.dir);
    }
    const folders = new Set(this.staged.map((f) => dirname(join(this.outDir, f))));
    placeAll(
      withCopies(
        this.staged.map((f) => ({
          from: join(this.dir, f),
          to: join(this.outDir, f),
          digest: this.digests.get(f)!,
        })),
        copies,
      ),
    );
    for (const d of folders) syncDir(d);
    rmSync(this.dir, { recursive: true, force: true });
    return [...this.staged];
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Remove outputs no record has any more, with their gzip and Brotli copies and their gone
 * marker: pages (pipeline/render-pages.ts, `orphans`), after the new pages are in place (a page
 * left at an article's old URL was never rendered again, so an article withdrawn after its url
 * changed stayed readable there, whole), and archive documents that left the chain
 * (history/render-archive.ts, `gone`), after the feeds that linked them. Returns the files
 * removed (names under out/).
 */
export function removeOutputs(outDir: string, files: readonly string[]): string[] {
  const removed: string[] = [];
  const folders = new Set<string>();
  for (const file of files)
    for (const name of [
      file,
      ...Object.values(SIBLING).map((ext) => file + ext),
      file + GONE_MARKER,
    ]) {
      const path = join(outDir, name);
      if (!existsSync(path)) continue;
      rmSync(path, { force: true });
      removed.push(name);
      folders.add(dirname(path));
    }
  // The folders this left empty go too, up to out/ (never out/ itself): a page's folder at a
  // name the publication derives from another file (`articles/x.html.gz/notes/`, published
  // before such urls got no page) stood where that file's copy goes, and failed every run.
  for (const d of [...folders].sort().reverse())
    for (let at = d; at.startsWith(`${outDir}/`) && isEmptyFolder(at); at = dirname(at)) {
      rmdirSync(at);
      folders.delete(at);
      folders.add(dirname(at));
    }
  for (const d of folders) syncDir(d);
  return removed;
}

const isEmptyFolder = (path: string): boolean => {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false; // gone, or not a folder: nothing to remove
  }
};
