import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import { BASE_CONFIG, makeProject, sampleBytes } from '../helpers.js';

/**
 * schedule.cron and schedule.timezone are part of the configuration every command reads (the
 * RSS <ttl> follows schedule.cron), so the schema refuses a bad one for build, check and status
 * too, not only for `feedkeeper schedule`.
 */
const withSchedule = (schedule: Record<string, unknown>): unknown => ({ ...BASE_CONFIG, schedule });

const messageOf = (raw: unknown, overrides = {}): string => {
  try {
    resolveConfig(raw, '/tmp', overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('schedule.cron and schedule.timezone in the schema', () => {
  it('accepts what node-cron and Intl accept', () => {
    for (const cron of ['*/5 * * * *', '* * * * * *', '0 0 1 1 *', '@daily', '15 8 * * 1-5']) {
      expect(resolveConfig(withSchedule({ cron }), '/x').config.schedule.cron).toBe(cron);
    }
    // Canonical zones (Intl.supportedValuesOf), and what only Intl.DateTimeFormat knows: UTC
    // and aliases.
    for (const timezone of [
      'UTC',
      'Europe/Bucharest',
      'America/New_York',
      'Etc/GMT+2',
      'Etc/UTC',
      'US/Eastern',
      'Europe/Kiev',
    ]) {
      expect(resolveConfig(withSchedule({ timezone }), '/x').config.schedule.timezone).toBe(
        timezone,
      );
    }
  });

  it('a bad cron expression names schedule.cron, the value, why, and what to write', () => {
    const words = messageOf(withSchedule({ cron: 'every 5 minutes' }));
    expect(words).toContain(
      'schedule.cron: "every 5 minutes" is not a valid cron expression (expected 5 or 6 fields but got 3)',
    );
    expect(words).toContain('write five fields (six with seconds first), e.g. "*/5 * * * *"');
    expect(words.split('\n')).toHaveLength(2); // the problem, then the hint
    expect(messageOf(withSchedule({ cron: '61 * * * *' }))).toMatch(
      /schedule\.cron: "61 \* \* \* \*" is not a valid cron expression \(61 is a invalid expression for minute\)/,
    );
    expect(messageOf(withSchedule({ cron: '*/0 * * * *' }))).toContain(
      'schedule.cron: "*/0 * * * *"',
    );
    expect(messageOf(withSchedule({ cron: '' }))).toContain('schedule.cron: "" is not a valid');
    expect(messageOf(withSchedule({ cron: 5 }))).toMatch(/"schedule\.cron": .*got 5/);
  });

  it('an unknown time zone names schedule.timezone and what to write; both problems at once', () => {
    for (const timezone of ['Mars/Olympus', '', '+02:00']) {
      expect(messageOf(withSchedule({ timezone }))).toContain(
        `schedule.timezone: ${JSON.stringify(timezone)} is not an IANA time zone; write e.g. "UTC" or "Europe/Bucharest".`,
      );
    }
    // A misspelt zone gets the closest one instead.
    expect(messageOf(withSchedule({ timezone: 'Europe/Bucarest' }))).toContain(
      'schedule.timezone: "Europe/Bucarest" is not an IANA time zone; did you mean "Europe/Bucharest"?\n',
    );
    const both = messageOf(withSchedule({ cron: 'nope', timezone: 'Nowhere/Else' })).split('\n');
    expect(both).toHaveLength(3);
    expect(both[0]).toContain('schedule.cron: "nope"');
    expect(both[1]).toContain('schedule.timezone: "Nowhere/Else"');
    expect(both[2]).toMatch(/^hint: fix the keys above in the configuration file/);
  });

  it('a bad value from --cron / --tz names the flag, not the file', () => {
    const m = messageOf(BASE_CONFIG, { cron: 'not cron', timezone: 'X/Y' });
    expect(m).toContain('config: --cron: schedule.cron: "not cron" is not a valid cron expression');
    expect(m).toContain('config: --tz: schedule.timezone: "X/Y" is not an IANA time zone');
    expect(m).toContain('nothing was started');
    // A bad value in the file under a good flag for the other key still names the file.
    const fromFile = messageOf(withSchedule({ timezone: 'X/Y' }), { cron: '* * * * *' });
    expect(fromFile).toContain('config: feedkeeper.config.json: schedule.timezone: "X/Y"');
  });
});

describe('every command refuses a bad schedule (exit 2, nothing written)', () => {
  const cases = [
    { key: 'schedule.cron', schedule: { cron: 'every 5 minutes' }, write: 'write five fields' },
    { key: 'schedule.timezone', schedule: { timezone: 'Mars/Olympus' }, write: 'write e.g. "UTC"' },
  ];
  for (const command of ['build', 'check', 'status']) {
    for (const c of cases) {
      it(`${command} with a bad ${c.key}`, () => {
        const p = makeProject(withSchedule(c.schedule));
        p.write('a.txt', sampleBytes());
        const before = p.snapshot();
        for (const args of [[command], [command, '--json']]) {
          const r = p.cli(...args);
          expect(r.status).toBe(2);
          expect(r.stdout).toBe('');
          expect(r.stderr).toContain(`${c.key}: ${JSON.stringify(Object.values(c.schedule)[0])}`);
          expect(r.stderr).toContain(c.write);
          expect(r.stderr).toContain('hint:');
        }
        expect(p.snapshot()).toEqual(before);
        expect(existsSync(join(p.dir, 'out'))).toBe(false);
        expect(existsSync(join(p.dir, '.feedkeeper'))).toBe(false);
        expect(existsSync(join(p.dir, 'archive', 'records'))).toBe(false);
      });
    }
  }

  it('the same project with a good schedule builds (the refusal was the schedule, nothing else)', () => {
    const p = makeProject(withSchedule({ cron: '*/10 * * * *', timezone: 'Europe/Bucharest' }));
    p.write('a.txt', sampleBytes());
    const r = p.cli('build');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(p.read('out/rss.xml')).toContain('<ttl>10</ttl>');
  });
});
