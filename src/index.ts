/**
 * feedkeeper from code: `import { build, check } from 'feedkeeper'`. The same runs as the
 * commands, returning what their `--json` prints (README, "Using it from code"): build takes
 * the same lock, so it never runs at once with a `feedkeeper build` or `schedule`.
 */
export { build } from './api/build.js';
export type { BuildDone, BuildOptions, BuildResult, BuildSkipped } from './api/build.js';
export { check } from './api/check.js';
export type { CheckOptions, CheckResult } from './api/check.js';
export { JSON_SCHEMA_VERSION } from './api/schema-version.js';
export { ConfigError } from './config/load-config.js';
export type { ConfigInput as Config } from './config/schema.js';
/** One problem: a stable code, its severity, the file (and element), what is wrong, what to do. */
export type { Issue as Problem, Severity } from './model/issue.js';
/** An archive record, as stored in archive/records/YYYY/MM/<slug>.json. */
export type { ArchiveRecord, Author, Block, InputRef, Revision, Source } from './model/record.js';
export type { ArchiveSummary, FeedSummary } from './pipeline/report.js';
