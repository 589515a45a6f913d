/**
 * The run (an item, a recorded stretch of one) holding `clock`, in a list of one client's runs
 * sorted by their first clock; null if none does. Binary search: a client's list can be long.
 */
export function runAtClock<T>(runs: readonly T[], clock: number, start: (run: T) => number, length: (run: T) => number): T | null {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const run = runs[middle]!;
    if (clock < start(run)) high = middle - 1;
    else if (clock >= start(run) + length(run)) low = middle + 1;
    else return run;
  }
  return null;
}
