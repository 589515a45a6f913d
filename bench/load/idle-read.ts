import fs from 'node:fs';
import path from 'node:path';
import { buildLongHistory } from '../store/long-history.js';
import { runFanout, type FanoutResult } from './fanout.js';
import { ms, sleep, summarise, type RecordFigure } from './stats.js';

/**
 * Reading a report nobody has open must not stall everyone's typing elsewhere: 10 clients type in
 * last year's report while the API reads this year's, grown to about 1 MB (findings, which need
 * the whole document). The first read loads the report on the event loop every report shares;
 * later ones find it still loaded (`ROOM_KEEP_IDLE_SECONDS`). The same typing without reads, in the
 * same session, is the comparison.
 */
export async function benchIdleRead(record: RecordFigure, { seconds, updates }: { seconds: number; updates: number }): Promise<void> {
  // The long history grows the newest report; the server finds it as its own database.
  const prepare = async (dataDir: string) => {
    const history = await buildLongHistory(dataDir, { updates, documentBytes: 1024 * 1024 });
    fs.renameSync(history.file, path.join(dataDir, 'reports.sqlite'));
  };
  const typingElsewhere = (reportIds: readonly string[]) => reportIds[reportIds.length - 1]!;
  const common = { kind: 'ours' as const, clients: 10, seconds, seedFile: '', prepare, room: typingElsewhere };

  const quiet = await runFanout(common);
  const reads: number[] = [];
  const reading = await runFanout({
    ...common,
    alongside: async (server, { cookie, reportIds }) => {
      // Let the typing settle, then read the idle report once a second.
      await sleep(2000);
      while (reads.length < seconds - 3) {
        const started = performance.now();
        const idle = reportIds.find((id) => !id.endsWith('-uncompacted'))!;
        const response = await fetch(`${server.httpUrl}/api/reports/${idle}/findings`, { headers: { cookie } });
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
  record('idle read: findings request, first (loads the report) / later p50', `${ms(reads[0] ?? NaN)} / ${ms(warm.p50)}`);
}
