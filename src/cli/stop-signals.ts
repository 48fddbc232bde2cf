/** The signals that stop `schedule` and `serve`. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * Call `first` on the first SIGTERM, SIGINT or SIGHUP, and `again` on every one after it.
 * The handlers stay until the process ends: a signal that met Node's default action would
 * kill the process at once, with the run in progress cut short and its lock and schedule.json
 * left (found by an outside try: Ctrl-C twice, a `kill` repeated by a supervisor, and SIGHUP,
 * which a closed terminal or ssh session sends, all did). There is no forced stop by signal:
 * the run in progress is what the operator was promised; SIGKILL remains, and the next run
 * takes its lock over.
 */
export function onStopSignal(
  first: (signal: NodeJS.Signals) => void,
  again: (signal: NodeJS.Signals) => void,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return again(signal);
    stopping = true;
    first(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
}
