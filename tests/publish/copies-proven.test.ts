import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { walkFiles } from '../../src/io/walk-files.js';
import { runOnce } from '../../src/pipeline/run.js';
import type * as MakeCopies from '../../src/publish/make-copies.js';
import { gateProject } from '../gate/project.js';
import { CLI, makeProject } from '../helpers.js';
import { start } from '../schedule/process-helpers.js';

/**
 * The gzip and Brotli copies are what most readers get (`serve`, nginx and Caddy send them to
 * every client that accepts the encoding): each is decoded and compared with its file before it
 * is renamed into place. The faults are those of the outside try of the gate (attackE C01–C03),
 * injected into makeCopies(); each was published with exit 0 before. The copies are made from
 * the staged bytes before the first rename, so a refusal leaves out/ byte for byte as it was
 * (it used to publish the files without their copies, which no later run made again).
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/publish/make-copies.js', async (importOriginal) => {
  const real = await importOriginal<typeof MakeCopies>();
  const fs = await import('node:fs');
  return {
    ...real,
    makeCopies: (path: string): MakeCopies.CopyTemps => {
      if (fault.name === '' || !/\/(staging|out)\/rss\.xml$/.test(path))
        return real.makeCopies(path);
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

/** Every file in out/ and its bytes. */
const snapshot = (out: string): Map<string, string> =>
  new Map(walkFiles(out).map((name) => [name, readFileSync(join(out, name)).toString('base64')]));

describe('the compressed copies are proven before they are published', () => {
  it.each(['stale gzip', 'cut brotli', 'other bytes'])(
    '%s: nothing of the run is published, out/ is as it was, the run fails with COPY_MISMATCH',
    async (name) => {
      const g = await gateProject();
      const out = join(g.p.dir, 'out');
      expect(existsSync(join(out, 'rss.xml.gz'))).toBe(true);
      const before = snapshot(out);
      fault.name = name;
      const r = await g.attempt();
      const codes = r.issues.map((i) => `${i.code} ${i.severity} ${i.file}`);
      expect(codes).toEqual(['COPY_MISMATCH error out/rss.xml']);
      expect(r.issues[0]?.message).toMatch(
        /^was not published, nor anything of this run: its (gzip|br) copy /,
      );
      expect(r.feeds?.published).toBe(false);
      // Byte for byte: the old files, their old copies, their markers; no temp file left.
      expect(snapshot(out)).toEqual(before);
      copiesOk(out);
      // Published, with its copies proven, by the next build once the fault is gone.
      fault.name = '';
      const next = await runOnce(g.p.context(new Date('2026-11-25T20:00:00Z')), {
        dryRun: false,
      });
      expect(next.issues).toEqual([]);
      expect(readFileSync(join(out, 'rss.xml'), 'utf8')).toContain('Delta story');
      expect(existsSync(join(out, 'rss.xml.gz'))).toBe(true);
      expect(existsSync(join(out, 'rss.xml.br'))).toBe(true);
      copiesOk(out);
    },
  );
});

describe('a faulty copy refuses the build command', () => {
  it('exits non-zero with out/ byte for byte as it was (the compression faked in the CLI process)', async () => {
    const p = makeProject();
    p.write('one.txt', 'First story | World\n\nThe first body, long enough to be compressed.\n');
    expect(p.cli('build').status).toBe(0);
    const out = join(p.dir, 'out');
    const before = snapshot(out);
    p.write('two.txt', 'Second story | World\n\nThe second body.\n');
    // Every gzip copy gets one byte of its CRC-32 flipped: it no longer decodes.
    const hook = join(p.dir, 'faulty-gzip.mjs');
    writeFileSync(
      hook,
      `import zlib from 'node:zlib';
import { syncBuiltinESMExports } from 'node:module';
const gzipSync = zlib.gzipSync;
zlib.gzipSync = function (bytes, options) {
  const made = gzipSync(bytes, options);
  made[made.length - 5] ^= 1;
  return made;
};
syncBuiltinESMExports();
`,
    );
    const run = await start(p.dir, '--import', [hook, CLI, 'build']).done;
    expect(run.code, run.stdout + run.stderr).not.toBe(0);
    expect(run.stdout + run.stderr).toContain('COPY_MISMATCH');
    expect(snapshot(out)).toEqual(before);
    const next = p.cli('build');
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(p.read('out/rss.xml')).toContain('Second story');
    copiesOk(out);
  }, 60_000);
});
