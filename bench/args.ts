import { parseArgs } from 'node:util';

export interface BenchOptions {
  readonly sizes: readonly number[];
  /** Repetitions of every scenario (the cold build at 100,000+ articles runs once); null: defaults. */
  readonly runs: number | null;
  /** Keep the generated folders (printed on stderr), e.g. to profile a build by hand. */
  readonly keep: boolean;
  readonly seed: number;
}

/**
 * 1,000 and 10,000 by default; 100,000 only when asked (`--sizes 1000,10000,100000`): its
 * cold build alone takes minutes, and the bench is not part of CI.
 */
export const DEFAULT_SIZES = '1000,10000';

export const USAGE = `usage: npm run bench -- [--sizes ${DEFAULT_SIZES}] [--runs N] [--seed N] [--keep]
  (add 100000 to --sizes for the 100,000-article archive: minutes, not in CI)`;

const positiveInt = (flag: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${flag} takes positive integers, not "${value}"\n${USAGE}`);
  return n;
};

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES },
      runs: { type: 'string' },
      seed: { type: 'string', default: '20261125' },
      keep: { type: 'boolean', default: false },
    },
  });
  return {
    sizes: values.sizes.split(',').map((s) => positiveInt('--sizes', s.trim())),
    runs: values.runs === undefined ? null : positiveInt('--runs', values.runs),
    keep: values.keep,
    seed: positiveInt('--seed', values.seed),
  };
}
