import { describe, expect, it } from 'vitest';
import {
  decideTick,
  SAFETY_NET_MS,
  SAFETY_NET_WHY,
  STORM_EVENTS,
  type LastBuild,
  type TickFacts,
} from '../../src/schedule/tick-decision.js';

/** decideTick: must this tick build? One row per rule, and the rules' order. */
const AT = Date.parse('2026-11-30T04:00:00Z');
const last: LastBuild = { at: AT, changes: 7, events: 20, configKey: 'k', due: null };
const quiet: TickFacts = {
  now: AT + 5 * 60_000,
  lastBuild: last,
  watch: { problem: null, changes: 7, events: 20 },
  configKey: 'k',
};
const w = (over: Partial<NonNullable<TickFacts['watch']>>): TickFacts['watch'] => ({
  problem: null,
  changes: 7,
  events: 20,
  ...over,
});

describe('decideTick', () => {
  it.each<[string, Partial<TickFacts>, boolean | 'rewatch', RegExp]>([
    ['nothing changed', {}, false, /^nothing changed since the run at 2026-11-30T04:00:00.000Z$/],
    ['watching is off', { watch: null }, true, /--no-watch/],
    ['no completed run', { lastBuild: null }, true, /no run has completed/],
    [
      'the watch cannot be trusted',
      { watch: w({ problem: 'x is gone' }) },
      'rewatch',
      /cannot be trusted: x is gone/,
    ],
    ['one change', { watch: w({ changes: 8, events: 21 }) }, true, /^1 change in/],
    ['three changes', { watch: w({ changes: 10, events: 23 }) }, true, /^3 changes in/],
    [
      'own writes only (events, no changes)',
      { watch: w({ events: 20 + STORM_EVENTS - 1 }) },
      false,
      /^nothing changed/,
    ],
    ['an event storm', { watch: w({ events: 20 + STORM_EVENTS }) }, 'rewatch', /may have lost/],
    ['the configuration changed', { configKey: 'k2' }, true, /configuration or feedkeeper/],
    [
      'an embargo came due',
      { lastBuild: { ...last, due: '2026-11-30T04:03:00Z' } },
      true,
      /an embargo or a declared update came due at 2026-11-30T04:03:00Z/,
    ],
    [
      'an embargo still ahead',
      { lastBuild: { ...last, due: '2026-11-30T04:06:00Z' } },
      false,
      /^nothing changed/,
    ],
    ['an hour without a build', { now: AT + SAFETY_NET_MS }, true, new RegExp(SAFETY_NET_WHY)],
    ['just under the hour', { now: AT + SAFETY_NET_MS - 1 }, false, /^nothing changed/],
    ['the clock went back', { now: AT - 1 }, true, /clock went back/],
  ])('%s', (_, over, expected, why) => {
    const d = decideTick({ ...quiet, ...over });
    expect(d.build).toBe(expected !== false);
    if (d.build) expect(d.rewatch).toBe(expected === 'rewatch');
    expect(d.why).toMatch(why);
  });

  it('a doubt wins over a quiet watch, and a watch problem over every other reason', () => {
    const all: TickFacts = {
      now: AT + SAFETY_NET_MS,
      lastBuild: { ...last, due: '2026-11-30T04:01:00Z' },
      watch: w({ problem: 'gone', changes: 9, events: 20 + STORM_EVENTS }),
      configKey: 'other',
    };
    expect(decideTick(all)).toMatchObject({ build: true, rewatch: true, why: /gone/ });
    const noProblem = { ...all, watch: w({ changes: 9, events: 20 + STORM_EVENTS }) };
    expect(decideTick(noProblem)).toMatchObject({ build: true, rewatch: true });
    const noStorm = { ...all, watch: w({ changes: 9 }) };
    expect(decideTick(noStorm)).toMatchObject({
      build: true,
      rewatch: false,
      why: '2 changes in the watched folders',
    });
  });
});
