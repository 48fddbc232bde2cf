import { afterAll, describe, expect, it } from 'vitest';
import { NEARLY_FULL, unpublishedReason } from '../../src/cli/last-failure.js';
import { BASE_CONFIG, jsonOf, makeProject } from '../helpers.js';
import { mountSmallDisk, SMALL_DISK, type SmallDisk } from '../io/small-disk.js';

/**
 * A full disk under the state folder stops a run at its lock, its catalogue or its staged
 * outputs, and can stop its run log line too: then nothing says why the archive holds what
 * out/ does not. `status` looks at the disk itself (a known defect of the outside try).
 */
describe('why a run left nothing in the run log', () => {
  it('names a full state disk as the likely cause, and only then', () => {
    const full = unpublishedReason(null, 0);
    expect(full).toContain("the state folder's file system is full (0 bytes free)");
    expect(full).toContain('free space there, then run feedkeeper build');
    const roomy = unpublishedReason(null, 1 << 30);
    expect(roomy).toBe(unpublishedReason(null));
    expect(roomy).not.toContain('full');
    expect(unpublishedReason(null, NEARLY_FULL)).toBe(roomy);
  });
});

if (SMALL_DISK !== null) console.log(`the state folder on a full disk skipped: ${SMALL_DISK}`);

describe.skipIf(SMALL_DISK !== null)('the state folder on a file system of its own, full', () => {
  let disk: SmallDisk;
  afterAll(() => disk?.unmount());

  it('status says so, in words and in --json, until there is room again', () => {
    disk = mountSmallDisk(1024) as SmallDisk;
    const p = makeProject({ ...BASE_CONFIG, paths: { state: `${disk.dir}/state` } });
    p.write('a.txt', 'Prima | Lume\n\nUn paragraf despre prima știre.\n');
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('status').stdout).not.toContain('disk:');

    disk.leave(0);
    p.write('b.txt', 'A doua | Lume\n\nUn paragraf despre a doua știre.\n');
    const refused = p.cli('build');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('no space left on the device (ENOSPC)');
    const status = p.cli('status');
    expect(status.stdout).toMatch(
      new RegExp(
        `^disk: FULL under the state folder \\(\\d+ bytes free on the file system of ${disk.dir}/state\\)`,
        'm',
      ),
    );
    const json = jsonOf<{ stateFreeBytes: number }>(p.cli('status', '--json'));
    expect(json.stateFreeBytes).toBeLessThan(NEARLY_FULL);

    disk.leave(1 << 30);
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('status').stdout).not.toContain('disk:');
    expect(
      jsonOf<{ stateFreeBytes: number }>(p.cli('status', '--json')).stateFreeBytes,
    ).toBeGreaterThan(NEARLY_FULL);
  }, 120_000);
});
