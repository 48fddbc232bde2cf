import { describe, expect, it } from 'vitest';
import { ttlOf } from '../../src/model/ttl.js';

/**
 * RSS `<ttl>` from schedule.cron: how often the feed can change, never longer. Found by an
 * outside try: `*\/1440 * * * *` ran hourly (a minute step past 59 matches minute 0 alone)
 * and published `<ttl>1440</ttl>`, so readers honouring it polled once a day.
 */
describe('the RSS ttl of a schedule', () => {
  it.each([
    ['*/5 * * * *', 5],
    ['*/59 * * * *', 59],
    ['*/60 * * * *', 60],
    ['*/90 * * * *', 60],
    ['*/1440 * * * *', 60],
    ['*/99999999999999999999 * * * *', 60],
    ['15 * * * *', 60],
    ['*/0 * * * *', null],
    ['0 9 * * *', null],
    ['*/5 * * * * *', null],
  ])('%s: %s', (cron, ttl) => {
    expect(ttlOf(cron)).toBe(ttl);
  });
});
