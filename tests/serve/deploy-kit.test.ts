import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

/**
 * The rest of deploy/ as far as this machine can check it: systemd-analyze verifies the units
 * (and fails on a broken one), the crontab line uses absolute paths and no npx, the Dockerfile
 * runs what the build makes and has a health check. `docker build` needs a Docker engine,
 * which this machine does not have (only the client): the image itself is not built here.
 */
const deploy = (name: string): string => readFileSync(join(REPO, 'deploy', name), 'utf8');
const HAVE_SYSTEMD_ANALYZE = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!HAVE_SYSTEMD_ANALYZE)
  console.warn('deploy-kit: systemd-analyze is not installed, the unit checks are SKIPPED');

function verify(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-units-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(
      'systemd-analyze',
      ['verify', '--man=no', ...Object.keys(files).map((f) => join(dir, f))],
      { encoding: 'utf8' },
    );
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The units name Debian's node, /usr/bin/node; where node lives elsewhere, that path is checked.
const withNode = (text: string): string => text.replaceAll('/usr/bin/node', process.execPath);

describe.skipIf(!HAVE_SYSTEMD_ANALYZE)('systemd units', () => {
  it('feedkeeper.service, feedkeeper-build.service and its timer verify', () => {
    const r = verify({
      'feedkeeper.service': withNode(deploy('feedkeeper.service')),
      'feedkeeper-build.service': withNode(deploy('feedkeeper-build.service')),
      'feedkeeper-build.timer': deploy('feedkeeper-build.timer'),
    });
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the check fails on a broken unit', () => {
    const r = verify({
      'feedkeeper.service': deploy('feedkeeper.service').replace(
        /ExecStart=\/usr\/bin\/node/,
        'ExecStart=/nonexistent/node',
      ),
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('/nonexistent/node is not executable');
  });
});

describe('crontab, Dockerfile, logrotate', () => {
  it('the crontab line: absolute paths, node itself, no npx', () => {
    const lines = deploy('crontab')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).not.toMatch(/\bnpx\b/);
    expect(line).toMatch(
      /^\*\/5 \* \* \* \* cd \/\S+ && \/\S+\/node \/\S+\/dist\/bin\/main\.js build /,
    );
    // The README shows the same line.
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain(line);
  });

  it('the Dockerfile runs the compiled CLI, stops on SIGTERM and has a health check', () => {
    const text = deploy('Dockerfile');
    expect(text).toMatch(/^HEALTHCHECK /m);
    expect(text).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(text).toContain('"/app/dist/bin/main.js", "schedule", "--serve"');
    expect(text).not.toMatch(/\bnpx feedkeeper\b/);
    expect(existsSync(join(REPO, 'src', 'main.ts'))).toBe(true);
  });

  it('the Dockerfile copies every file the bundler config imports', () => {
    // The image builds the bundle itself: a plugin file left out fails `npm run build:ts` there.
    const copied = deploy('Dockerfile')
      .split('\n')
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    const config = readFileSync(join(REPO, 'rolldown.config.js'), 'utf8');
    const local = [...config.matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]!);
    expect(local.length).toBeGreaterThan(0);
    for (const file of ['rolldown.config.js', ...local]) expect(copied).toContain(file);
  });

  it('logrotate covers the cron log and the run log', () => {
    const text = deploy('logrotate');
    expect(text).toContain('/var/log/feedkeeper/build.log {');
    expect(text).toContain('/.feedkeeper/runs.jsonl {');
  });
});
