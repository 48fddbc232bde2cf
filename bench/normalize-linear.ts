import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { normalizeArticle } from '../src/normalize/normalize-article.js';
import { formatLoad } from './stability.js';

/**
 * `npm run bench:normalize`: normalization must take time linear in the text on any input. Each
 * pathological article (a long run of one character where an expression of src/normalize
 * could backtrack or rescan) is normalized at 100, 200 and 400 KB; the table gives ms per KB
 * and the time ratio per doubling, which is about 2 when linear and 4 when quadratic. A ratio
 * above 2.5 is flagged.
 *
 * Options: --sizes=100,200,400 (KB of UTF-8), --only=<regular expression on the input name>,
 * --cap=<seconds> (skip the larger sizes of an input once one size took longer).
 */
const KB = 1024;
const FLAG = 2.5;
const PARAGRAPH =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici.';

/** A run of `unit` about `bytes` long in UTF-8. */
const run = (unit: string, bytes: number): string =>
  unit.repeat(Math.max(1, Math.round(bytes / Buffer.byteLength(unit))));

/** The long line as the article's first line (headline), as a middle block, and as its body. */
const first = (line: string): string => `${line}\n\n${PARAGRAPH}\n`;
const middle = (line: string): string =>
  `Titlu | Secție\n\n${PARAGRAPH}\n\n${line}\n\n${PARAGRAPH}\n`;
const body = (text: string): string => `Titlu | Secție\n\n${text}\n\n${PARAGRAPH}\n`;

const SPECIAL: Readonly<Record<string, string>> = {
  hash: '#',
  space: ' ',
  tab: '\t',
  nbsp: '\u00a0',
  newline: '\n',
  'space-newline': ' \n',
  crlf: '\r\n',
  '[': '[',
  ']': ']',
  '|': '|',
  ':': ':',
  '.': '.',
  ';': ';',
  '-': '-',
  '*': '*',
  _: '_',
  'zero-width': '\u200b',
  'combining mark': '\u0301',
  'marks out of order': '\u0301\u0316',
  'astral marks out of order': '\u{1d165}\u{1d167}',
  ideographs: '中',
  'ideographs and spaces': '中文 ',
  'word.': 'a.',
};

const INPUTS: ReadonlyArray<readonly [string, (bytes: number) => string]> = [
  ['headline "# a" + #### + "b"', (n) => first(`# a${run('#', n)}b`)],
  ['headline "# a" + spaces + "b"', (n) => first(`# a${run(' ', n)}b`)],
  ['headline "# a" + tabs + "b"', (n) => first(`# a${run('\t', n)}b`)],
  ['headline "# a" + NBSP + "b"', (n) => first(`# a${run('\u00a0', n)}b`)],
  ['headline "# a" + "# " + "b"', (n) => first(`# a${run('# ', n)}b`)],
  ['heading block "# a" + #### + "b"', (n) => middle(`# a${run('#', n)}b`)],
  ['heading block "# a" + " #" + "b"', (n) => middle(`# a${run(' #', n)}b`)],
  ['source line "Sursa: " + "a." + "x"', (n) => body(`Sursa: ${run('a.', n)}x`)],
  ['trailer "Citește și" + spaces + "x"', (n) => body(`Citește și${run(' ', n)}x`)],
  ['front matter "---" + spaces + "x"', (n) => `---\ntitle: T\n---${run(' ', n)}x\n\n${PARAGRAPH}`],
  ...Object.entries(SPECIAL).flatMap(([name, unit]): [string, (n: number) => string][] => [
    [`headline of ${name}`, (n) => first(`T${run(unit, n)}x`)],
    [`body of ${name}`, (n) => body(`a${run(unit, n)}x`)],
  ]),
];

function parseArgs(argv: readonly string[]): { sizes: number[]; only: RegExp; cap: number } {
  const value = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    sizes: (value('sizes') ?? '100,200,400').split(',').map(Number),
    only: new RegExp(value('only') ?? ''),
    cap: Number(value('cap') ?? 120) * 1000,
  };
}

/** With node --expose-gc (as npm run bench:normalize runs it). */
const gc = (globalThis as { gc?: () => void }).gc;

function timeMs(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  const stored = {
    path: 'bench.txt',
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  // CPU time, not wall time: the machine may be busy with other jobs, which makes wall time
  // a measure of the scheduler. The best of a few runs; one run when it is slow anyway.
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    gc?.(); // the garbage of the last run is not this run's cost
    const t = process.cpuUsage();
    normalizeArticle(stored, { defaultLanguage: 'ro' });
    const used = process.cpuUsage(t);
    best = Math.min(best, (used.user + used.system) / 1000);
    if (best > 1000) break;
  }
  return best;
}

const { sizes, only, cap } = parseArgs(process.argv.slice(2));
const log = (line: string): void => void process.stdout.write(`${line}\n`);
log(`normalizeArticle, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}`);
log(`load average at start: ${formatLoad(loadavg())}`);
log(`sizes ${sizes.join(', ')} KB; CPU ms/KB per size, then the time ratio per doubling\n`);
for (const [, make] of INPUTS.slice(0, 3)) timeMs(make(10 * KB)); // warm up
const flagged: string[] = [];
const width = Math.max(...INPUTS.map(([name]) => name.length));
for (const [name, make] of INPUTS) {
  if (!only.test(name)) continue;
  const ms: number[] = [];
  for (const size of sizes) {
    ms.push(timeMs(make(size * KB)));
    if ((ms.at(-1) ?? 0) > cap) break;
  }
  const perKb = ms.map((t, i) => `${(t / (sizes[i] ?? 1)).toFixed(3)}`.padStart(8));
  const ratios = ms.slice(1).map((t, i) => t / Math.max(ms[i] ?? 0, 0.05));
  // Below a few ms the timer and the garbage collector decide the ratio, not the code.
  const bad = ratios.some((r, i) => r > FLAG && (ms[i + 1] ?? 0) > 20);
  if (bad) flagged.push(name);
  log(
    `${name.padEnd(width)} ${perKb.join(' ')} ms/KB   ×${ratios.map((r) => r.toFixed(2)).join(' ×')}` +
      `   (${(ms.at(-1) ?? 0).toFixed(0)} ms at ${sizes[ms.length - 1]} KB)${bad ? '   <<< super-linear?' : ''}`,
  );
}
log(`\nload average at end: ${formatLoad(loadavg())}`);
log(
  flagged.length === 0
    ? `no input grew faster than ×${FLAG} per doubling`
    : `${flagged.length} input(s) grew faster than ×${FLAG} per doubling: ${flagged.join('; ')}`,
);
if (flagged.length > 0) process.exitCode = 1;
