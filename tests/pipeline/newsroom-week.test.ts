import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameWithoutDate } from '../../src/archive/plan-archive.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { runOnce } from '../../src/pipeline/run.js';
import { prng } from '../history/newsroom.js';
import { feedIds, makeProject, recordsOf, type Project } from '../helpers.js';

/**
 * The identity rules as a newsroom exercises them over a week, not case by case: a dozen
 * stories, some dated in front matter, renamed (to plain and to dated names), edited, deleted
 * and brought back, made drafts and back, copied, their copies dropped or kept while the
 * original goes, a date added to an undated one; several at once, then a build. After every
 * build, what a subscriber may rely on (issue 9): each story that is there and not a draft has
 * exactly one live record, with the id it was first published under; the others have none;
 * the feeds list each record once. Seeded: a failure prints its seed and round, and
 * FEEDKEEPER_SEED=<seed> replays it. (The outside try of the thirteenth session ran this
 * shape of test through the CLI; its failures are rows of tests/archive/plan-archive.test.ts.)
 */
// 110 and 115 found a story renamed with a date and edited in one step published again (its
// planner row: tests/archive/plan-archive.test.ts); 300 seeds passed by hand.
const SEEDS = process.env['FEEDKEEPER_SEED']
  ? [Number(process.env['FEEDKEEPER_SEED'])]
  : [1, 2, 3, 4, 5, 6, 7, 8, 110, 115];
const STORIES = 12;
const ROUNDS = 10;
const WORDS =
  'minister council harbour storm market budget school railway contract election river bridge court winter energy price festival museum doctor hospital farmer village police station'.split(
    ' ',
  );

interface Story {
  title: string;
  body: string;
  name: string;
  date: string | null;
  draft: boolean;
  present: boolean;
  edits: number;
  copy: string | null;
  /** Given a front-matter date after it was published. */
  lateDate?: boolean;
  /** The round it was given it in. */
  datedIn?: number;
  /** Out of the feeds (a draft, deleted) at the last build, or since. */
  out: boolean;
  /**
   * Renamed, edited since it was last live at a build: gone out and back both renamed and
   * edited, it is another article (the documented limit).
   */
  since: Set<'name' | 'text'>;
  /** Its file's name at the last build that had it live (its record's `input`). */
  archivedName: string;
}

const textOf = (s: Story): string => {
  const fm = [...(s.date === null ? [] : [`date: ${s.date}`]), ...(s.draft ? ['draft: true'] : [])];
  const head = fm.length === 0 ? '' : `---\n${fm.join('\n')}\n---\n`;
  const edits = Array.from({ length: s.edits }, (_, k) => `\n\nUpdate ${k + 1}: more on it.`);
  return `${head}${s.title}\n\n${s.body}${edits.join('')}\n`;
};

const liveRecords = (p: Project): ArchiveRecord[] =>
  recordsOf(p).filter((r) => r.withdrawnAt === null);

describe('a newsroom week of renames, edits, drafts, copies and restores', () => {
  it.each(SEEDS)('keeps one record per story, under its first id (seed %i)', async (seed) => {
    console.log(`newsroom-week: seed ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const day = (): string =>
      `2026-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const sentence = (): string =>
      `${Array.from({ length: 30 }, () => pick(WORDS)).join(' ')}.`.replace(/^./, (c) =>
        c.toUpperCase(),
      );
    const p = makeProject();
    const stories: Story[] = Array.from({ length: STORIES }, (_, i) => ({
      title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} story ${i}`.replace(/^./, (c) =>
        c.toUpperCase(),
      ),
      body: [sentence(), sentence(), sentence()].join('\n\n'),
      name: `s${i}.md`,
      date: i % 2 === 1 ? `${day()}T08:00:00Z` : null,
      draft: false,
      present: true,
      edits: 0,
      copy: null,
      out: false,
      since: new Set<'name' | 'text'>(),
      archivedName: `s${i}.md`,
    }));
    const write = (s: Story, name = s.name): void => {
      p.write(name, textOf(s));
    };
    const remove = (name: string): void => rmSync(join(p.articles, name));
    for (const s of stories) write(s);

    const firstIds = new Map<number, string>();
    const embargoed: Story[] = [];
    const late = prng(seed ^ 0x5bd1e995);
    // A generator of its own too: a story dated after publication, renamed and edited in one
    // step (the week's own ops rarely do both in one round to such a story).
    const redo = prng(seed ^ 0x2545f491);
    let clock = Date.parse('2026-11-25T08:00:00Z');
    for (let round = 0; round <= ROUNDS; round++) {
      const done: string[] = [];
      for (let n = 0; round > 0 && n < 4; n++) {
        const i = Math.floor(rnd() * STORIES);
        const s = stories[i]!;
        const op = pick([
          'rename',
          'rename to a dated name',
          'edit',
          'delete',
          'restore',
          'draft',
          'undraft',
          'into a folder',
          'copy',
          'drop the copy',
          'drop the original',
          'date it in front matter',
        ]);
        if (op === 'restore' ? s.present : !s.present) continue;
        // A copy stays the same bytes as its original while both are there.
        const changes = !['copy', 'drop the copy', 'drop the original', 'restore'].includes(op);
        if (s.copy !== null && changes) continue;
        // The documented limit (docs/reference.md, "Identity over time"): a story that went
        // out (a draft, deleted) and comes back both renamed and edited is not recognized.
        const renames =
          op === 'rename' || op === 'rename to a dated name' || op === 'into a folder';
        const goesOut = op === 'draft' || op === 'delete';
        const both = (s.since.has('name') || renames) && (s.since.has('text') || op === 'edit');
        if (both && (s.out || goesOut)) continue;
        if (renames) s.since.add('name');
        if (op === 'edit') s.since.add('text');
        if (goesOut) s.out = true;
        const old = s.name;
        const folder = old.includes('/') ? old.slice(0, old.lastIndexOf('/') + 1) : '';
        if (op === 'rename') s.name = `${folder}s${i}-${Math.floor(rnd() * 100)}.md`;
        // As a newsroom adopts dated names: the name it was archived under, a date in front.
        else if (op === 'rename to a dated name')
          s.name = `${folder}${day()}-${nameWithoutDate(s.archivedName)}.md`;
        else if (op === 'into a folder') s.name = `section/${old.split('/').pop() ?? old}`;
        else if (op === 'edit') s.edits++;
        else if (op === 'draft') s.draft = true;
        else if (op === 'undraft') s.draft = false;
        else if (op === 'date it in front matter') {
          if (s.date !== null) continue;
          s.date = `${day()}T08:00:00Z`;
          s.lateDate = true;
          s.datedIn = round;
        } else if (op === 'copy') {
          if (s.copy !== null || s.draft) continue;
          s.copy = `copy-${i}-${round}.md`;
          write(s, s.copy);
        } else if (op === 'drop the copy') {
          if (s.copy === null) continue;
          remove(s.copy);
          s.copy = null;
        } else if (op === 'drop the original') {
          if (s.copy === null) continue;
          remove(old);
          s.name = s.copy;
          s.copy = null;
        } else if (op === 'delete') {
          remove(old);
          s.present = false;
        } else if (op === 'restore') {
          s.present = true;
          write(s);
        }
        if (changes && s.present) {
          if (s.name !== old) remove(old);
          write(s);
        }
        done.push(`${op} ${i}`);
      }
      const dated = stories.filter(
        // Dated in an earlier round: given a date, renamed and edited in one step, it is
        // another article (the daily bulletin's rule, docs/development.md "Known defects").
        (s) => (s.datedIn ?? round) < round && s.present && !s.draft && !s.out && s.copy === null,
      );
      if (round > 0 && dated.length > 0 && redo() < 0.6) {
        const s = dated[Math.floor(redo() * dated.length)]!;
        const i = stories.indexOf(s);
        const old = s.name;
        const folder = old.includes('/') ? old.slice(0, old.lastIndexOf('/') + 1) : '';
        s.name = `${folder}s${i}-moved-${round}.md`;
        s.edits++;
        s.since.add('name');
        s.since.add('text');
        rmSync(join(p.articles, old));
        write(s);
        done.push(`rename and edit the late-dated ${i}`);
      }
      // Embargoes, from a generator of their own (the rounds above stay as they were): a new
      // story dated up to three hours after this build, then maybe moved or made a draft.
      for (const [k, s] of embargoed.entries()) {
        const roll = late();
        if (!s.present || s.copy !== null) continue;
        if (roll < 0.15) s.draft = !s.draft;
        else if (roll < 0.3) s.date = new Date(clock + late() * 4 * 3_600_000).toISOString();
        else if (roll < 0.4) s.edits++;
        else continue;
        if (s.date !== null) s.date = s.date.replace(/\.\d+Z$/, 'Z');
        write(s);
        done.push(`embargo ${k} changed`);
      }
      if (round > 0 && late() < 0.4) {
        const k = embargoed.length;
        const due = new Date(clock + 3_600_000 + late() * 3 * 3_600_000);
        const e: Story = {
          ...stories[0]!,
          title: `Embargoed ${WORDS[k % WORDS.length]!} story e${k}`,
          body: Array.from({ length: 40 }, () => WORDS[Math.floor(late() * WORDS.length)]!).join(
            ' ',
          ),
          name: `e${k}.md`,
          date: due.toISOString().replace(/\.\d+Z$/, 'Z'),
          draft: false,
          present: true,
          edits: 0,
          copy: null,
          out: false,
          since: new Set(),
          archivedName: `e${k}.md`,
        };
        embargoed.push(e);
        write(e);
        done.push(`embargo ${k} until ${e.date ?? ''}`);
      }
      clock += 3_600_000;
      const report = await runOnce(p.context(new Date(clock)), { dryRun: false });
      const where = `seed ${seed}, round ${round} (${done.join(', ') || 'first build'})`;
      expect(report.feeds?.published, where).toBe(true);

      for (const s of stories)
        if (s.present && !s.draft) {
          s.out = false;
          s.since.clear();
          s.archivedName = s.name;
        }
      const live = liveRecords(p);
      [...stories, ...embargoed].forEach((s, i) => {
        const mine = live.filter((r) => r.title === s.title);
        if (!s.present || s.draft) {
          expect(
            mine.map((r) => r.id),
            `${where}: story ${i} is gone`,
          ).toEqual([]);
          return;
        }
        expect(
          mine.map((r) => r.id),
          `${where}: story ${i}`,
        ).toHaveLength(1);
        const first = firstIds.get(i) ?? mine[0]!.id;
        firstIds.set(i, first);
        expect(mine[0]!.id, `${where}: story ${i} keeps its first id`).toBe(first);
      });
      // The feeds: every live record whose time has come, each once; none under embargo.
      const ids = feedIds(p);
      const now = new Date(clock).toISOString().replace(/\.\d+Z$/, 'Z');
      expect([...ids].sort(), `${where}: the feed lists what is out, once`).toEqual(
        live
          .filter((r) => r.publishedAt <= now)
          .map((r) => r.id)
          .sort(),
      );
    }
  });
});
