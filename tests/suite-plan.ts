/**
 * How vitest.config.ts runs the test files: which need a process of their own, and which
 * start first. Kept apart from the configuration so that tests/suite-plan.test.ts can check
 * it without loading vitest's configuration code.
 */

/**
 * Test files that change what the whole process shares: module mocks (vi.mock, vi.spyOn on a
 * prototype), fake timers or a replaced global, process.env, the working folder, V8 flags.
 * Each runs in a fresh process (vitest's `isolate`). Every other file runs in a process that
 * earlier files used too: a fresh Node process and a fresh import of the code it tests cost
 * about 0.8 s of CPU a file, more than a hundred seconds over the suite.
 * tests/suite-plan.test.ts fails when a file does one of these things and is not listed.
 */
export const ISOLATED: readonly string[] = [
  'tests/archive/key-index-flush.test.ts',
  'tests/gate/embargo-faults.test.ts',
  'tests/gate/escape-faults.test.ts',
  'tests/gate/library-faults.test.ts',
  'tests/gate/neighbour-faults.test.ts',
  'tests/gate/planner-faults.test.ts',
  'tests/gate/render-faults.test.ts',
  'tests/gate/shared-code-faults.test.ts',
  'tests/history/verify-memory.test.ts',
  'tests/incremental/inputs-read.test.ts',
  'tests/incremental/interrupted.test.ts',
  'tests/incremental/moved-record-folder.test.ts',
  'tests/incremental/no-change.test.ts',
  'tests/incremental/pages-held-read.test.ts',
  'tests/incremental/records-read.test.ts',
  'tests/ingest/list-articles.test.ts',
  'tests/ingest/listing-unlistable.test.ts',
  'tests/io/flush-files.test.ts',
  'tests/io/state-not-regular.test.ts',
  'tests/model/detached.test.ts',
  'tests/normalize/front-matter-values.test.ts',
  'tests/pipeline/feed-head-run.test.ts',
  'tests/pipeline/page-state-once.test.ts',
  'tests/pipeline/parts-plan-run.test.ts',
  'tests/pipeline/worker-threads.test.ts',
  'tests/publish/copies-proven.test.ts',
  'tests/publish/copies-repaired.test.ts',
  'tests/publish/fail-closed.test.ts',
  'tests/publish/gone-proven.test.ts',
  'tests/publish/state-proven.test.ts',
  'tests/render/feed-adapter.test.ts',
  'tests/render/feed-output.test.ts',
  'tests/render/render-units.test.ts',
  'tests/schedule/crash.test.ts',
  'tests/schedule/lock.test.ts',
  'tests/schedule/signals.test.ts',
  'tests/validate/content-read-once.test.ts',
];

/**
 * Where the gate runs html-validate on every page a build renders, not once per page shape as
 * it does outside the tests (validate/page-proof.ts; FEEDKEEPER_VALIDATE_EVERY_PAGE=1): the
 * files about what pages and feeds say, where a page of an unusual text is the point. Loading
 * and running html-validate costs about a second of CPU a build; the other files (locks,
 * signals, the catalogue, the service, the command line's mechanics) prove their pages as a
 * newsroom's builds do. A folder (ending in `/`) or a file.
 */
export const EVERY_PAGE: readonly string[] = [
  'tests/pages/',
  'tests/gate/',
  'tests/validate/',
  'tests/render/',
  'tests/normalize/',
  'tests/history/',
  'tests/cli/bad-input.test.ts',
];

/** Whether `file` (a path from the repository's root) is one of EVERY_PAGE's. */
export const validatesEveryPage = (file: string): boolean =>
  EVERY_PAGE.some((e) => (e.endsWith('/') ? file.startsWith(e) : file === e));

/**
 * What in a test file's text changes process-wide state (see ISOLATED). A helper module (not a
 * .test.ts file) must not do any of it: it would change the state of every file that imports it.
 */
export const SHARED_STATE =
  /vi\.(mock|doMock|stubEnv|stubGlobal|spyOn|useFakeTimers|setSystemTime)\b|process\.env(\[[^\]]+\]|\.[A-Za-z_]+)\s*(=[^=]|\?\?=|\|\|=)|delete process\.env|process\.chdir\(|process\.umask\(|globalThis\.[A-Za-z_]+\s*=[^=]|setFlagsFromString|process\.(on|once|addListener)\(|Object\.defineProperty\((process|globalThis)\b/;

/**
 * The longest files (seconds, CI's run of 2026-12-01 before this plan), started first: on a
 * fresh clone vitest has no timings and starts the largest files first, and a one-minute file
 * started last makes the whole run a minute longer while the other worker idles. Where vitest
 * has timings of its own (a second local run), those decide among the rest.
 */
export const LONGEST: Readonly<Record<string, number>> = {
  'tests/io/state-not-regular.test.ts': 62,
  'tests/schedule/crash.test.ts': 61,
  'tests/schedule/stale-lock.test.ts': 61,
  'tests/schedule/embargo-rearm.test.ts': 53,
  'tests/config/path-overlaps.test.ts': 49,
  'tests/schedule/signals.test.ts': 42,
  'tests/publish/full-disk.test.ts': 37,
  'tests/cli/left-out.test.ts': 37,
  'tests/pipeline/parts-plan-run.test.ts': 36,
  'tests/pages/page-names.test.ts': 36,
  'tests/cli/records-by-hand.test.ts': 35,
  'tests/gate/hostile-values.test.ts': 30,
  'tests/schedule/lock.test.ts': 29,
  'tests/cli/bad-input.test.ts': 22,
  'tests/publish/interrupted-publish.test.ts': 22,
};
