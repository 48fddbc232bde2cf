import type { KeptCatalogue } from '../archive/kept-catalogue.js';
import type { KeptPages } from './page-state.js';

/**
 * What a long-running `feedkeeper schedule` keeps between its runs (issue 15: "the catalogue
 * kept in memory"), so that a tick with work reads none of it again: at 100,000 articles,
 * reading `inputs.json`, `records.json` and `pages.json` was 1.2 s of a 3.4 s run with one new
 * article. Each is derived data, kept after the run that saved it and taken back only while
 * its files are as that run left them (archive/kept-catalogue.ts, pipeline/page-state.ts);
 * taken out of memory for the run that uses it, so a run that fails halfway leaves nothing
 * kept. A one-shot `build` has no memory.
 */
export interface RunMemory {
  keptCatalogue: KeptCatalogue | null;
  keptPages: KeptPages | null;
}

export const newRunMemory = (): RunMemory => ({ keptCatalogue: null, keptPages: null });
