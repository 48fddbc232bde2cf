import { describe, expect, it } from 'vitest';
import { explainMisses, FIXED_COST_SIZE } from '../../bench/explain.js';
import type { Phase } from '../../bench/profile-phases.js';
import type { Row } from '../../bench/scenarios.js';

const row = (
  size: number,
  scenario: string,
  seconds: number[],
  profile?: [Phase, number][],
): Row => ({
  size,
  scenario,
  samples: seconds.map((s) => ({ seconds: s, peakKb: null, cpuSeconds: null, written: 0 })),
  ...(profile === undefined ? {} : { profile: new Map(profile) }),
});

describe('explainMisses: by how much a change run misses 1.3× the no-change run, and why', () => {
  it('splits a miss into the fixed cost (the smallest archive) and what grows, with the profile', () => {
    const lines = explainMisses([
      row(FIXED_COST_SIZE, 'no change', [0.1]),
      row(FIXED_COST_SIZE, 'one new article', [0.5, 0.49, 0.48]),
      row(10_000, 'no change', [0.2, 0.18, 0.19]),
      row(
        10_000,
        'one new article',
        [0.8, 0.9, 0.85],
        [
          ['loading code', 150],
          ['other', 50],
        ],
      ),
      row(10_000, 'one edited article', [0.2]),
      {
        ...row(10_000, 'cold build', [40], [['rendering feeds, pages, archive documents', 9000]]),
        samples: [
          { seconds: 40, peakKb: null, cpuSeconds: null, written: 41_220, floorSeconds: 1 },
        ],
      },
    ]);
    expect(lines).toEqual([
      '- one new article at 10,000: 0.85 s, 4.47× the no-change run (0.19 s); the target 1.3× allows 0.25 s: missed by 0.60 s.',
      '  - fixed: the same run at 100 articles took 0.49 s, 2.58× this no-change run by itself: publishing anything costs more than the target allows, whatever is read.',
      "  - grows with the archive: 0.36 s, of which the no-change run's own work (listing and stat-ing the stored articles) is 0.19 s; the profile below says where the rest goes.",
      '  - CPU of one more such run, profiled, all threads: loading code 150 ms (75 %), other 50 ms (25 %).',
      '- one edited article at 10,000: 0.20 s, 1.05× the no-change run (0.19 s): target 1.3× met.',
      "- cold build at 10,000: 40.0× write N (target 4×, missed by 10.0×); it writes 41,220 files, 4.1× the floor's 10,000 (records, pages, archive documents, their .gz and .br copies), each rendered and proven; CPU of one more, profiled, all threads: rendering feeds, pages, archive documents 9000 ms (100 %).",
    ]);
  });

  it('says nothing below 10,000 articles (no target there), nor without a no-change row', () => {
    expect(
      explainMisses([
        row(FIXED_COST_SIZE, 'no change', [0.1]),
        row(FIXED_COST_SIZE, 'one new article', [0.5]),
        row(1000, 'no change', [0.1]),
        row(1000, 'one new article', [0.5]),
        row(10_000, 'one new article', [0.5]),
      ]),
    ).toEqual([]);
  });
});

describe('explainMisses: by how much a run misses its memory target, and what holds it', () => {
  const peaks = (size: number, scenario: string, mb: number[]): Row => ({
    size,
    scenario,
    samples: mb.map((m) => ({ seconds: 1, peakKb: m * 1024, cpuSeconds: null, written: 0 })),
  });

  it('gives the miss, the growth per article against 100 articles, and the heap by holder', () => {
    const lines = explainMisses([
      peaks(FIXED_COST_SIZE, 'cold build', [180, 186]),
      {
        ...peaks(10_000, 'cold build', [520, 538]),
        heap: {
          live: 113_400_000,
          holders: [
            { label: 'KeyIndex → #buckets (Array)', bytes: 17_400_000 },
            { label: 'expected → items (Map)', bytes: 12_300_000 },
          ],
        },
      },
      // Under its target (150 MB for no change at 100,000): no line.
      peaks(100_000, 'no change', [149]),
      peaks(100_000, 'cold build', [2544]),
    ]);
    expect(lines).toEqual([
      '- memory, cold build at 10,000: peak 538 MB, target 250 MB: missed by 2.2×.',
      '  - grows with the archive: 186 MB at 100 articles, so 36.4 KB more an article.',
      "  - the main thread's live heap in one more such run, once its outputs were proven (a heap snapshot): 108.1 MB, 11.1 KB an article. What holds it: KeyIndex → #buckets (Array) 16.6 MB; expected → items (Map) 11.7 MB. The rest of the peak is garbage not yet collected, the worker threads' heaps and Node's buffers.",
      '- memory, cold build at 100,000: peak 2544 MB, target 400 MB: missed by 6.4×.',
      '  - grows with the archive: 186 MB at 100 articles, so 24.2 KB more an article.',
    ]);
  });
});
