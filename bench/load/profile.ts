/**
 * Where the time goes in the fan-out: runs it against one contender with V8's CPU profiler on the
 * server and on the client workers, and prints, for the typing window only (start-up and the
 * connect phase left out), each process's busy time, the time inside the functions of the
 * keystroke's path, and its functions by self time.
 * `npx tsx bench/load/profile.ts [clients] [seconds] [product|y-websocket|hocuspocus]`;
 * profiles stay in the printed directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoReportUpdate } from '../../server/demo/seed-demo.js';
import { CONTENDERS, type Contender } from './contenders.js';
import { readProfile, timeInside, topSelfTime } from './cpu-profile.js';
import { runFanout } from './fanout.js';

const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 15);
const contender = (process.argv[4] ?? 'product') as Contender;
if (!CONTENDERS.includes(contender)) throw new Error(`unknown contender ${contender}: one of ${CONTENDERS.join(', ')}`);

/**
 * Functions on a keystroke's way through a server, ours and the peers': reading the socket,
 * accepting (ours: judged, logged), applying, writing to the peers, and the collector.
 */
const PATH_FUNCTIONS = [
  'onStreamRead', 'receive', 'tell', 'executeQuery', 'acceptUpdate', 'inspectUpdate', 'resolveUpdateScope', 'judgeEdit', 'applyUpdate', 'commit', 'append',
  'messageListener', 'updateHandler', 'handleMessage', 'send', 'writeGeneric', 'writevGeneric', '(garbage collector)',
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-profile-'));
const seedFile = path.join(dir, 'demo-report.update');
fs.writeFileSync(seedFile, buildDemoReportUpdate());
const profiler = (name: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`];

const result = await runFanout({ contender, clients, seconds, seedFile, nodeArgs: profiler('server'), workerNodeArgs: profiler('workers') });
const windowSeconds = (result.window.to - result.window.from) / 1e6;
console.log(`${contender}, N=${clients}, ${seconds} s: p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, server CPU ${result.cpuPercent.toFixed(0)}%, client workers CPU ${result.clientCpuPercent.toFixed(0)}%`);
for (const name of ['server', 'workers']) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread; the others are workers and loaders.
  for (const file of fs.readdirSync(path.join(dir, name)).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))) {
    const profile = readProfile(path.join(dir, name, file));
    const { busyMs, insideMs } = timeInside(profile, PATH_FUNCTIONS, result.window);
    console.log(`\n${name} ${file}: busy ${(busyMs / windowSeconds).toFixed(1)} ms per second of the typing window (${windowSeconds.toFixed(1)} s)`);
    for (const [fn, ms] of insideMs) if (ms > 0) console.log(`  inside ${fn}: ${(ms / windowSeconds).toFixed(1)} ms/s`);
    console.log('  top self time, share of busy time:');
    for (const entry of topSelfTime(profile, 25, { window: result.window })) {
      console.log(`${(entry.share * 100).toFixed(1).padStart(7)}%  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`);
    }
  }
}
console.log(`\nprofiles: ${dir}`);
