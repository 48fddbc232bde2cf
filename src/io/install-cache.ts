/**
 * The folder where the command keeps what holds for every site it builds: the install's
 * `dist/code-cache/` (beside the bundle, so only whoever may change the code may write there).
 * V8's compiled code (cli/code-cache.ts) and the page shapes html-validate accepted
 * (pipeline/shapes-seen.ts) are kept in it. Set by the command's entry (bin.ts); unset when
 * feedkeeper is used as a library (`import('feedkeeper')`), which then keeps neither.
 */
let folder: string | undefined;

export const setInstallCache = (dir: string): void => {
  folder = dir;
};

export const installCache = (): string | undefined => folder;
