import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { walkFiles } from '../../src/io/walk-files.js';
import { runOnce } from '../../src/pipeline/run.js';
import type * as MakeCopies from '../../src/publish/make-copies.js';
import { gateProject } from '../gate/project.js';

/**
 * The gzip and Brotli copies are what most readers get (`serve`, nginx and Caddy send them to
 * every client that accepts the encoding): each is decoded and compared with its file before it
 * is renamed into place. The faults are those of the outside try of the gate (attackE C01–C03),
 * injected into makeCopies(); each was published with exit 0 before.
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/publish/make-copies.js', async (importOriginal) => {
  const real = await importOriginal<typeof MakeCopies>();
  const fs = await import('node:fs');
  return {
    ...real,
    makeCopies: (path: string): MakeCopies.CopyTemps => {
      if (fault.name === '' || !path.endsWith('/out/rss.xml')) return real.makeCopies(path);
      if (fault.name === 'other bytes') {
        // C03: the copies of the file with something appended.
        const copy = `${path}.faulty`;
        fs.writeFileSync(
          copy,
          Buffer.concat([fs.readFileSync(path), Buffer.from('<p>injected</p>')]),
        );
        try {
          const made = real.makeCopies(copy);
          const out = { gzip: null as string | null, br: null as string | null };
          for (const coding of ['gzip', 'br'] as const) {
            const tmp = made[coding];
            if (tmp === null) continue;
            out[coding] = `${path}${real.SIBLING[coding]}.tmp-fault`;
            fs.renameSync(tmp, out[coding]);
          }
          return out;
        } finally {
          fs.rmSync(copy, { force: true });
        }
      }
      const made = real.makeCopies(path);
      if (fault.name === 'stale gzip') {
        // C01: the gzip copy is not made again; the one from before stays.
        if (made.gzip !== null) fs.rmSync(made.gzip, { force: true });
        return { ...made, gzip: null };
      }
      // C02: the Brotli copy cut in half.
      if (made.br !== null) fs.truncateSync(made.br, fs.statSync(made.br).size >> 1);
      return made;
    },
  };
});

afterEach(() => {
  fault.name = '';
});

/** Every copy in out/ decodes to the bytes of its file. */
function copiesOk(out: string): void {
  for (const name of walkFiles(out)) {
    const decode = name.endsWith('.gz')
      ? gunzipSync
      : name.endsWith('.br')
        ? brotliDecompressSync
        : null;
    if (decode === null) continue;
    const file = readFileSync(join(out, name.replace(/\.(gz|br)$/, '')));
    expect(decode(readFileSync(join(out, name))).equals(file), name).toBe(true);
  }
}

describe('the compressed copies are proven before they are published', () => {
  it.each(['stale gzip', 'cut brotli', 'other bytes'])(
    '%s: no copy of the file is published, the run fails with COPY_MISMATCH',
    async (name) => {
      const g = await gateProject();
      const out = join(g.p.dir, 'out');
      expect(existsSync(join(out, 'rss.xml.gz'))).toBe(true);
      fault.name = name;
      const r = await g.attempt();
      const codes = r.issues.map((i) => `${i.code} ${i.severity} ${i.file}`);
      expect(codes).toEqual(['COPY_MISMATCH error out/rss.xml']);
      expect(r.issues[0]?.message).toMatch(/^was published without its \.gz and \.br copies: /);
      expect(existsSync(join(out, 'rss.xml.gz'))).toBe(false);
      expect(existsSync(join(out, 'rss.xml.br'))).toBe(false);
      expect(existsSync(join(out, 'atom.xml.gz'))).toBe(true);
      copiesOk(out);
      // Repaired, and proven, by a build that publishes once the fault is gone.
      fault.name = '';
      const full = await runOnce(g.p.context(new Date('2026-11-25T20:00:00Z')), {
        dryRun: false,
        full: true,
      });
      expect(full.issues).toEqual([]);
      expect(existsSync(join(out, 'rss.xml.gz'))).toBe(true);
      expect(existsSync(join(out, 'rss.xml.br'))).toBe(true);
      copiesOk(out);
    },
  );
});
