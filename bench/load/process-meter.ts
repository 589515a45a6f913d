import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
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
