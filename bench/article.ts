import { Prng, seedFor } from './prng.js';
import {
  ADJECTIVES,
  CONNECTORS,
  HEADING_WORDS,
  HOSTS,
  OBJECTS,
  PEOPLE,
  PHRASES,
  PLACES,
  SECTIONS,
  SUBJECTS,
  TIMES,
  VERBS,
} from './words.js';

/**
 * Synthetic stored articles in feedkeeper's plain-text format: `Title | Section`, a blank line,
 * paragraphs (and a few short heading lines) separated by blank lines, a `Sursa:` line last.
 * Article `i` depends only on the seed and on the titles of articles 0..i-1, so a smaller
 * archive is a prefix of a larger one.
 */
export interface GeneratedArticle {
  /** Relative to archive/articles. */
  readonly name: string;
  readonly text: string;
  readonly words: number;
}

const MIN_WORDS = 400;
const MAX_WORDS = 900;

const cap = (s: string): string => s.charAt(0).toLocaleUpperCase('ro') + s.slice(1);
const wordsIn = (s: string): number => s.split(' ').length;

/** Title key: what the slug is made of (case and diacritics do not make two titles differ). */
const keyOf = (title: string): string =>
  title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');

export class ArticleGenerator {
  private readonly titles = new Set<string>();

  constructor(private readonly seed: number) {}

  article(index: number): GeneratedArticle {
    const r = new Prng(seedFor(this.seed, index));
    const title = this.uniqueTitle(r, index);
    const target = r.int(MIN_WORDS + 10, MAX_WORDS - 50);
    const blocks: string[] = [`${title} | ${r.pick(SECTIONS)}`];
    let words = 0;
    let headings = 0;
    let paragraphs = 0;
    while (words < target) {
      if (paragraphs > 1 && headings < 3 && words < target - 80 && r.chance(0.15)) {
        blocks.push(heading(r));
        headings++;
      }
      const sentences: string[] = [];
      const count = r.int(2, 5);
      for (let s = 0; s < count && words < target; s++) {
        const sentence = sentenceOf(r);
        sentences.push(sentence);
        words += wordsIn(sentence);
      }
      blocks.push(sentences.join(' '));
      paragraphs++;
    }
    blocks.push(`Sursa: ${r.pick(HOSTS)}`);
    const batch = String(Math.floor(index / 1000)).padStart(3, '0');
    const name = `${batch}/${String(index).padStart(6, '0')}_${r.hex(16)}.txt`;
    return { name, text: `${blocks.join('\n\n')}\n`, words };
  }

  private uniqueTitle(r: Prng, index: number): string {
    for (let attempt = 0; attempt < 100; attempt++) {
      const title = titleOf(r);
      const key = keyOf(title);
      if (!this.titles.has(key)) {
        this.titles.add(key);
        return title;
      }
    }
    const title = `${titleOf(r)}, ediția ${index}`;
    this.titles.add(keyOf(title));
    return title;
  }
}

/** The same article with one more sentence in its first paragraph: a visible edit. */
export function editArticle(text: string, seed: number, index: number, edit: number): string {
  const r = new Prng(seedFor(seed, index, edit + 1));
  const blocks = text.split('\n\n');
  const first = blocks[1];
  if (first === undefined) throw new Error('editArticle: the article has no body');
  blocks[1] = `${first} Actualizare: ${sentenceOf(r)}`;
  return blocks.join('\n\n');
}

function titleOf(r: Prng): string {
  const where = r.chance(0.5) ? ` la ${r.pick(PLACES)}` : ` ${r.pick(TIMES)}`;
  const how = r.chance(0.3) ? ` ${r.pick(PHRASES)}` : '';
  return cap(`${r.pick(SUBJECTS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)}${where}${how}`);
}

function clause(r: Prng): string {
  const when = r.chance(0.4) ? ` ${r.pick(TIMES)}` : '';
  const where = r.chance(0.3) ? ` la ${r.pick(PLACES)}` : '';
  const how = r.chance(0.3) ? ` ${r.pick(PHRASES)}` : '';
  return `${r.pick(SUBJECTS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)}${when}${where}${how}`;
}

function sentenceOf(r: Prng): string {
  const kind = r.int(0, 9);
  if (kind < 4) return `${cap(clause(r))}.`;
  if (kind < 6) return `${cap(clause(r))}${r.pick(CONNECTORS)} ${clause(r)}.`;
  if (kind === 6) return `„${cap(clause(r))}”, a spus ${r.pick(PEOPLE)}.`;
  if (kind === 7) return `Potrivit lui ${r.pick(PEOPLE)}, ${clause(r)}.`;
  if (kind === 8) {
    const adj = r.pick(ADJECTIVES);
    return `Decizia este una ${adj} pentru ${r.pick(PLACES)}, a explicat ${r.pick(PEOPLE)}.`;
  }
  return `Întrebat dacă ${clause(r)}, ${r.pick(PEOPLE)} a refuzat să comenteze.`;
}

function heading(r: Prng): string {
  const base = r.pick(HEADING_WORDS);
  if (r.chance(0.3)) return `${base}?`;
  return r.chance(0.3) ? `${base} la ${r.pick(PLACES)}` : base;
}
