import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers.js';
import { removeProjects, runLog, startCli, syntheticProject, waitFor } from './process-helpers.js';

afterAll(removeProjects);

describe('schedule --cron / --tz', () => {
  it('time the service only: a build after its runs finds nothing to write (same feeds, same <ttl>)', async () => {
    const p = syntheticProject(3); // schedule.cron "*/5 * * * *": <ttl>5</ttl>
    // --no-watch: every tick builds (with the watch, the ticks after the first would skip).
    const service = startCli(
      p,
      'schedule',
      '--cron',
      '* * * * * *',
      '--tz',
      'Europe/Bucharest',
      '--no-watch',
    );
    await waitFor(() => runLog(p).length >= 2, 'two runs of the service');
    service.child.kill('SIGTERM');
    const done = await service.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(p.read('out/rss.xml')).toContain('<ttl>5</ttl>');

    const r = p.cli('build', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(jsonOf<{ written: string[] }>(r).written).toEqual([]);
  });
});
