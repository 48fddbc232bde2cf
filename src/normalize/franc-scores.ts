import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

/**
 * The adapter for `franc-min` 6.2: its models and script expressions, scored by the same
 * algorithm as its `francAll()` (same numbers, same order: tests/normalize/franc-scores.test.ts
 * compares the two on a corpus), through an inverted index.
 *
 * franc measures a text against each of the 44 Latin-script models with one property lookup per
 * text trigram and language (≈ 13,000 per article); that was 40 % of a cold build. Here each text
 * trigram is looked up once, in a map from trigram to the languages whose model holds it and its
 * rank there, and only those languages' distances move.
 */

/** franc's constants (franc-min/index.js). */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

export type LanguageScores = ReadonlyArray<readonly [language: string, score: number]>;

interface ScriptIndex {
  readonly languages: readonly string[];
  /** Trigram → (language index << 16 | rank in that language's model) for each model holding it. */
  readonly postings: ReadonlyMap<string, readonly number[]>;
}

const indexes = new Map<string, ScriptIndex>();

/** Built on first use: a run with nothing to normalize never pays for it. */
function indexFor(script: string): ScriptIndex | undefined {
  const cached = indexes.get(script);
  if (cached) return cached;
  const models = data[script];
  if (!models) return undefined;
  const languages = Object.keys(models);
  const postings = new Map<string, number[]>();
  languages.forEach((language, l) => {
    // A model is its trigrams, most frequent first, joined by `|`; franc's "weight" is the index.
    (models[language] ?? '').split('|').forEach((trigram, rank) => {
      const list = postings.get(trigram);
      if (list) list.push((l << 16) | rank);
      else postings.set(trigram, [(l << 16) | rank]);
    });
  });
  const index = { languages, postings };
  indexes.set(script, index);
  return index;
}

/**
 * francAll(value, { minLength }): languages (ISO 639-3) with scores from 1 (best) down, or
 * `[['und', 1]]` when the text is too short or has no letters.
 */
export function francScores(value: string, minLength: number): LanguageScores {
  if (value.length < minLength) return [['und', 1]];
  const text = value.slice(0, MAX_LENGTH);
  const [script, share] = topScript(text);
  const index = script === undefined ? undefined : indexFor(script);
  // A script with one language (Han, Hangul, Greek...) is its language, when it occurs at all.
  if (index === undefined)
    return script === undefined || share === 0 ? [['und', 1]] : [[script, 1]];

  const counts = trigramCounts(text);
  const distance = new Array<number>(index.languages.length).fill(counts.size * MAX_DIFFERENCE);
  for (const [trigram, count] of counts) {
    const hits = index.postings.get(trigram);
    if (hits === undefined) continue;
    for (const hit of hits) {
      // franc's difference is |count − rank − 1| (it compares the text's count with the rank).
      distance[hit >> 16]! += Math.abs(count - (hit & 0xffff) - 1) - MAX_DIFFERENCE;
    }
  }
  // Array.prototype.sort is stable: equal distances keep the models' order, as in franc.
  const ranked = index.languages
    .map((language, l) => [language, distance[l]!] as [string, number])
    .sort((a, b) => a[1] - b[1]);
  const min = ranked[0]![1];
  const max = text.length * MAX_DIFFERENCE - min;
  return ranked.map(([language, d]) => [language, 1 - (d - min) / max || 0] as const);
}

/** The script whose expression matches the largest share of the text (the first on a tie). */
function topScript(text: string): [string | undefined, number] {
  let top: string | undefined;
  let topShare = -1;
  for (const [script, expression] of Object.entries(expressions)) {
    const share = (text.match(expression)?.length ?? 0) / text.length || 0;
    if (share > topShare) {
      top = script;
      topShare = share;
    }
  }
  return [top, topShare];
}

/**
 * trigram-utils' asDictionary(): ASCII punctuation and digits (U+0021–U+0040) become spaces,
 * white space collapses, the text is trimmed, lower-cased and padded with one space each side;
 * then every three UTF-16 code units are a trigram.
 */
function trigramCounts(text: string): Map<string, number> {
  const clean = ` ${text
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= clean.length; i++) {
    const trigram = clean.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}
