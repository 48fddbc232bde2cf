/**
 * The version of every `--json` shape (build, check, status, init, the schedule log's JSON
 * Lines) and of the programmatic API's results. Raised when a field is renamed or removed or
 * changes meaning; new fields may appear without a new version.
 */
export const JSON_SCHEMA_VERSION = 1;
