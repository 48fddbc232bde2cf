import { afterAll, describe, expect, it } from 'vitest';
import { AFTER_DUE_MS, MAX_TIMER_MS } from '../../src/schedule/wake.js';
import { makeProject } from '../helpers.js';
import { inProcessService, removeProjects } from './process-helpers.js';

afterAll(removeProjects);

/**
 * Found by an outside try: with an embargo more than 24.8 days ahead (beyond setTimeout's
 * range, so the wake-up re-arms on the way), `schedule` announced its next run at the timer's
 * cap, a time when nothing was due. It announces the embargo's time.
 */
describe('feedkeeper schedule and an embargo beyond the timer range', () => {
  it('announces the next run at the embargo, not at the timer cap', async () => {
    const p = makeProject();
    const now = Date.now();
    const due = new Date(Math.ceil(now / 1000) * 1000 + 25 * 86_400_000);
    const dueIso = due.toISOString().replace('.000Z', 'Z');
    p.write('far.txt', `---\ndate: ${dueIso}\n---\nFar | World\n\nThe embargoed lede.\n`);
    // A cron that ticks on 29 February only (the next one in 2028): the wake-up's run is next.
    const service = inProcessService(p, '0 0 29 2 *');
    try {
      await service.firstRun;
      const next = service.nextRun()?.getTime();
      expect(due.getTime() - now).toBeGreaterThan(MAX_TIMER_MS);
      expect(next).toBe(due.getTime() + AFTER_DUE_MS);
    } finally {
      await service.stop();
    }
  });
});
