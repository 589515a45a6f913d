import fs from 'node:fs';
import path from 'node:path';
import { openBenchDatabase } from '../store/bench-database.js';
import { buildLongHistory } from '../store/long-history.js';
import { runFanout, type FanoutResult } from './fanout.js';
import { ms, sleep, summarise, type RecordFigure } from './stats.js';

/**
 * Reading a report nobody has open must not stall everyone's typing elsewhere: 10 clients type in
 * this year's report while the API reads another report of about 1 MB (findings, which need the
 * whole document). A report nobody has open is replayed and digested on a worker thread, never
 * on the event loop every open report shares; later reads find its digest while its log does not
 * move. The same typing without reads is the comparison.
 */
export async function benchIdleRead(record: RecordFigure, { seconds, updates }: { seconds: number; updates: number }): Promise<void> {
  // The long history grows this year's report and copies it, log and all, as a second report; the
  // copy gets a snapshot as a room would have written, and is the idle one. The server finds it
  // all as its own database.
  const prepare = async (dataDir: string) => {
    const history = await buildLongHistory(dataDir, { updates, documentBytes: 1024 * 1024 });
    const { opened, store } = await openBenchDatabase(history.file);
    try {
      const copy = await store.load(history.uncompactedReportId);
      await store.snapshot(history.uncompactedReportId, copy.lastSeq, copy.doc);
    } finally {
      await opened.close();
    }
    fs.renameSync(history.file, path.join(dataDir, 'reports.sqlite'));
  };
  const idleReport = (reportIds: readonly string[]) => reportIds.find((id) => id.endsWith('-uncompacted'))!;
  // Newest first: this year's report, then (of the same year) its copy, then last year's.
  const typingElsewhere = (reportIds: readonly string[]) => reportIds.find((id) => id !== idleReport(reportIds))!;
  const common = { contender: 'product' as const, clients: 10, seconds, seedFile: '', prepare, room: typingElsewhere };

  const quiet = await runFanout(common);
  const reads: number[] = [];
  const reading = await runFanout({
    ...common,
    alongside: async (server, { cookie, reportIds }) => {
      // Let the typing settle, then read the idle report once a second.
      await sleep(2000);
      while (reads.length < seconds - 3) {
        const started = performance.now();
        const response = await fetch(`${server.httpUrl}/api/reports/${idleReport(reportIds)}/findings`, { headers: { cookie } });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`findings answered ${response.status}`);
        reads.push(performance.now() - started);
        await sleep(1000);
      }
    },
  });

  const latency = (result: FanoutResult) => `${result.latency.p50.toFixed(1)} / ${result.latency.p99.toFixed(1)} / ${ms(result.latency.max)}`;
  record('idle read: keystroke latency N=10, no reads (p50 / p99 / max)', latency(quiet));
  record('idle read: the same, findings of an idle 1 MB report each second', latency(reading), 'p99 not far above the quiet run');
  const warm = summarise(reads.slice(1));
  record('idle read: findings request, first (starts the worker, replays the report there) / later p50', `${ms(reads[0] ?? NaN)} / ${ms(warm.p50)}`);
}
