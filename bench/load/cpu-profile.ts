import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds of the machine's monotonic clock. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A V8 .cpuprofile as `node --cpu-prof` writes it. */
export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

/** Microseconds of the monotonic clock (process.hrtime) a profile is cut to. */
export interface ProfileWindow {
  from: number;
  to: number;
}

/** Each sample of the profile inside `window`, with the time spent where it landed. */
function samplesOf(profile: CpuProfile, window: ProfileWindow | undefined): Array<{ nodeId: number; micros: number }> {
  const samples: Array<{ nodeId: number; micros: number }> = [];
  let at = profile.startTime;
  profile.samples.forEach((nodeId, i) => {
    // timeDeltas[i] is the time since the previous sample; it is spent where sample i landed.
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (window && (at < window.from || at > window.to)) return;
    samples.push({ nodeId, micros });
  });
  return samples;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/**
 * Functions by self time in a profile, heaviest first;
 * shares are of the busy time, (idle) left out.
 */
export function topSelfTime(profile: CpuProfile, count: number, { root = process.cwd(), window }: { root?: string; window?: ProfileWindow } = {}): SelfTime[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const { nodeId, micros } of samplesOf(profile, window)) {
    const frame = frameOf.get(nodeId)!;
    if (frame.functionName === '(idle)') continue;
    const where = frame.url ? `${path.relative(root, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    total += micros;
  }
  return [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / total }));
}

/**
 * Busy time, and the time spent inside each of the named functions (anywhere on the stack, so
 * callees count): where a path's cost goes, not only which leaf burns it. Names are matched
 * exactly against V8's function names.
 */
export function timeInside(profile: CpuProfile, functionNames: readonly string[], window?: ProfileWindow): { busyMs: number; insideMs: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const wanted = new Set(functionNames);
  const inside = new Map(functionNames.map((name) => [name, 0]));
  let busy = 0;
  for (const { nodeId, micros } of samplesOf(profile, window)) {
    if (nodes.get(nodeId)!.callFrame.functionName === '(idle)') continue;
    busy += micros;
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parentOf.get(id)) {
      const name = nodes.get(id)!.callFrame.functionName;
      if (wanted.has(name) && !seen.has(name)) {
        seen.add(name);
        inside.set(name, inside.get(name)! + micros);
      }
    }
  }
  return { busyMs: busy / 1000, insideMs: new Map([...inside].map(([name, micros]) => [name, micros / 1000])) };
}
