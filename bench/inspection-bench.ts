import * as Y from 'yjs';
import { BODY_FIELD } from '../blocks/contract.js';
import type { ReportStore } from '../server/collab/report-store.js';
import { inspectUpdate } from '../server/collab/update-inspection.js';
import { sectionText } from '../tests/support/clients.js';

type Record = (figure: string, value: string, target?: string) => void;
type Summarise = (samples: number[]) => { p50: number; p99: number; max: number };

/** The first check every incoming update passes (it decodes, names only known roots, depends on nothing missing). */
export async function benchInspection(store: ReportStore, reportId: string, record: Record, summarise: Summarise): Promise<void> {
  const { doc: server } = await store.load(reportId);
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
  const text = sectionText(writer.getXmlFragment(BODY_FIELD), 'overview-finance');
  const keystrokes: Uint8Array[] = [];
  writer.on('update', (update: Uint8Array) => keystrokes.push(update));
  for (let i = 0; i < 20_000; i++) text.insert(i % 50, i % 2 ? '报' : '告');

  const inspectMs: number[] = [];
  for (const update of keystrokes) {
    const started = performance.now();
    const inspection = inspectUpdate(server, update);
    inspectMs.push(performance.now() - started);
    if (!inspection.ok) throw new Error(inspection.refusal.message);
    Y.applyUpdate(server, update);
  }
  const inspect = summarise(inspectMs);
  record('update inspection per keystroke (p50 / p99)', `${(inspect.p50 * 1000).toFixed(1)} µs / ${(inspect.p99 * 1000).toFixed(1)} µs`, 'median < 50 µs');
  server.destroy();
  writer.destroy();
}
