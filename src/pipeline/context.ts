import type { ResolvedConfig } from '../config/load-config.js';
import type { RunMemory } from './run-memory.js';

/** Everything a run depends on from outside, injected so that tests control it. */
export interface RunContext {
  readonly config: ResolvedConfig;
  /** The clock: only used to mint publication and revision times, never for feed dates. */
  readonly now: () => Date;
  /** feedkeeper's version, for the feeds' generator element. */
  readonly version: string;
  /** Told of each stored article read (the CLI's progress line on a terminal); optional. */
  readonly progress?: (done: number, total: number) => void;
  /** What a long-running service keeps between its runs (pipeline/run-memory.ts). */
  readonly memory?: RunMemory;
}
