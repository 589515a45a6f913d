/**
 * Where the time goes at the largest fan-out: runs N=200 against our server with V8's CPU
 * profiler on the server and on the client workers, and prints each process's functions by
 * self time. `npx tsx bench/load/profile.ts [clients] [seconds]`; profiles stay in the printed directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoReportUpdate } from '../../server/demo/seed-demo.js';
import { topSelfTime } from './cpu-profile.js';
import { runFanout } from './fanout.js';

const clients = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 15);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-load-profile-'));
const seedFile = path.join(dir, 'demo-report.update');
fs.writeFileSync(seedFile, buildDemoReportUpdate());
const profiler = (name: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`];

const result = await runFanout({ contender: 'product', clients, seconds, seedFile, nodeArgs: profiler('server'), workerNodeArgs: profiler('workers') });
console.log(`N=${clients}, ${seconds} s: p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, server CPU ${result.cpuPercent.toFixed(0)}%, client workers CPU ${result.clientCpuPercent.toFixed(0)}%`);
for (const name of ['server', 'workers']) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread; the others are workers and loaders.
  for (const file of fs.readdirSync(path.join(dir, name)).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))) {
    console.log(`\n${name} ${file}: top self time, share of busy time (start-up and the connect phase included)`);
    for (const entry of topSelfTime(path.join(dir, name, file), 25)) {
      console.log(`${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`);
    }
  }
}
console.log(`\nprofiles: ${dir}`);
