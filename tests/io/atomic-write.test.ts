import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  writeFileAtomic,
  writeFileAtomicAsync,
  writeLinesAtomic,
  writeMarker,
} from '../../src/io/atomic-write.js';
import { appendRunLog, type RunLogLine } from '../../src/schedule/run-log.js';
import { REPO, RUN_LIMIT_MS } from '../helpers.js';
import { mountSmallDisk, SMALL_DISK, type SmallDisk } from './small-disk.js';

/**
 * Writes that cannot half-succeed (issue 10): on a disk that fills up mid-write, every writer
 * throws an error naming the file it meant to write, the previous file keeps its bytes, and no
 * temp file is left to take the space. Before, one unchecked writeSync() renamed a record cut at
 * 8,192 bytes over the whole one.
 */
const OLD = Buffer.from('{"old": "the previous, whole record"}\n');
const big = (kb: number): Buffer => Buffer.alloc(kb * 1024, 'x');

if (SMALL_DISK !== null) console.log(`atomic-write full-disk tests skipped: ${SMALL_DISK}`);

describe.skipIf(SMALL_DISK !== null)('on a full disk (tmpfs)', () => {
  let disk: SmallDisk;
  beforeAll(() => {
    disk = mountSmallDisk(1024) as SmallDisk;
  });
  afterAll(() => disk?.unmount());

  /** A folder holding `name` with OLD, and `free` bytes left on the disk. */
  const setup = (name: string, free: number): { dir: string; file: string } => {
    const dir = join(disk.dir, `case-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    writeFileSync(join(dir, name), OLD);
    disk.leave(free);
    return { dir, file: join(dir, name) };
  };
  const expectIntact = (dir: string, file: string): void => {
    expect(readFileSync(file)).toEqual(OLD);
    expect(readdirSync(dir)).toEqual([file.split('/').pop()]); // no temp file left
  };

  it.each([0, 4096, 12_288, 40_960])(
    'writeFileAtomic with %i bytes free: ENOSPC naming the file, the old bytes stay',
    (free) => {
      const { dir, file } = setup('r.json', free);
      let error: NodeJS.ErrnoException | undefined;
      try {
        writeFileAtomic(file, big(64));
      } catch (e) {
        error = e as NodeJS.ErrnoException;
      }
      expect(error?.code).toBe('ENOSPC');
      expect(error?.path).toBe(file);
      expectIntact(dir, file);
      disk.leave(1 << 20);
      expect(writeFileAtomic(file, big(64))).toBe(true);
      expect(statSync(file).size).toBe(64 * 1024);
      rmSync(dir, { recursive: true });
    },
  );

  it('writeFileAtomicAsync (the write worker): the same', async () => {
    const { dir, file } = setup('r.json', 8192);
    await expect(writeFileAtomicAsync(file, big(64))).rejects.toMatchObject({
      code: 'ENOSPC',
      path: file,
    });
    expectIntact(dir, file);
  });

  it('writeLinesAtomic (the catalogue): the same', () => {
    const { dir, file } = setup('records.json', 8192);
    const lines = Array.from({ length: 5000 }, (_, i) => `["row ${i}", "${'y'.repeat(20)}"]\n`);
    expect(() => writeLinesAtomic(file, lines)).toThrow(
      expect.objectContaining({ code: 'ENOSPC', path: file }),
    );
    expectIntact(dir, file);
  });

  it('writeMarker: ENOSPC names the marker', () => {
    const dir = join(disk.dir, 'markers');
    mkdirSync(dir);
    disk.leave(0);
    const file = join(dir, 'publish.pending');
    expect(() => writeMarker(file)).toThrow(
      expect.objectContaining({ code: 'ENOSPC', path: file }),
    );
  });

  it('the run log: a line the disk cannot take is cut off again, the next one starts clean', () => {
    const state = join(disk.dir, 'state');
    mkdirSync(state);
    const line = (n: number): RunLogLine => ({
      start: `run ${n}`,
      end: '',
      durationMs: 0,
      command: 'build',
      outcome: 'ok',
      counts: {},
      filesWritten: 0,
      written: Array.from({ length: 400 }, (_, i) => `archive/records/2026/11/file-${i}.json`),
      problems: [],
    });
    disk.leave(1 << 20);
    appendRunLog(state, line(1));
    const before = readFileSync(join(state, 'runs.jsonl'));
    disk.leave(0);
    expect(() => appendRunLog(state, line(2))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    expect(readFileSync(join(state, 'runs.jsonl'))).toEqual(before);
    disk.leave(1 << 20);
    appendRunLog(state, line(3));
    const lines = readFileSync(join(state, 'runs.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as RunLogLine).start)).toEqual(['run 1', 'run 3']);
  });
});

describe('under a file size limit (ulimit -f): EFBIG, not SIGXFSZ, not a cut file', () => {
  const module = pathToFileURL(join(REPO, 'dist', 'src', 'io', 'atomic-write.js')).href;
  const limited = (blocks: number, script: string): ReturnType<typeof spawnSync> =>
    spawnSync(
      'bash',
      ['-c', `ulimit -f ${blocks}; exec "${process.execPath}" --input-type=module -e "$0"`, script],
      { encoding: 'utf8', timeout: RUN_LIMIT_MS },
    );

  it.each(['writeFileAtomic', 'writeFileAtomicAsync'])('%s', (writer) => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-ulimit-'));
    const file = join(dir, 'r.json');
    writeFileSync(file, OLD);
    // ulimit -f counts 1024-byte blocks here (bash): 16 KB may be written, 64 KB may not.
    const r = limited(
      16,
      `import * as w from ${JSON.stringify(module)};
try { await w.${writer}(${JSON.stringify(file)}, Buffer.alloc(65536, 120)); console.log('wrote'); }
catch (e) { console.log(JSON.stringify({ code: e.code, path: e.path })); }`,
    );
    expect(r.signal, String(r.stderr)).toBeNull();
    expect(JSON.parse(String(r.stdout))).toEqual({ code: 'EFBIG', path: file });
    expect(readFileSync(file)).toEqual(OLD);
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(existsSync(join(dir, '.r.json.tmp-1'))).toBe(false);
  });
});
