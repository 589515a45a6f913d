import fs from 'node:fs';

/**
 * CPU seconds the process has used so far: the time on a CPU of each of its threads, which the
 * kernel keeps in nanoseconds (/proc/<pid>/task/<tid>/schedstat). The user and system times of
 * /proc/<pid>/stat count 10-ms clock ticks; a server at N=10 uses some 100 ms in a 10-s window,
 * which ticks would measure to ±10 %. A thread that ends takes its time with it, but the threads
 * of the processes measured here (V8's and libuv's) live as long as the process.
 */
export function cpuSeconds(pid: number): number {
  let nanoseconds = 0;
  for (const thread of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(fs.readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return nanoseconds / 1e9;
}

/** Resident set size in bytes, or null once the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples RSS every 250 ms so short peaks between the figures' own readings are not missed. */
export function watchPeakRss(pid: number): { peak(): number; stop(): void } {
  let peak = rssBytes(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid) ?? 0);
  }, 250);
  return {
    peak: () => Math.max(peak, rssBytes(pid) ?? 0),
    stop: () => clearInterval(timer),
  };
}

/** CPU used between `start` and `stop`, as a percentage of one core. */
export function cpuWindow(pid: number): { stop(): number } {
  const cpu0 = cpuSeconds(pid);
  const wall0 = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - wall0) / 1000;
      return ((cpuSeconds(pid) - cpu0) / seconds) * 100;
    },
  };
}
