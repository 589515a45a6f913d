/**
 * Memory per open report: opens rooms through RoomRegistry, as sockets would, on copies of one
 * report and measures what they hold after a full collection, then as many bare Y.Docs of the
 * same report for contrast. The first id only warms the load path up and is closed again. Run
 * with --expose-gc. Usage: memory-child.ts <database file> <report id,…>. Prints a MemoryResult
 * as JSON.
 */
import * as Y from 'yjs';
import { ReportStore } from '../../server/collab/report-store.js';
import { RoomRegistry } from '../../server/collab/room-registry.js';
import { openDatabase } from '../../server/db/database.js';
import { COMPACT_AFTER_UPDATES } from './compacting-log.js';

export interface MemoryResult {
  rooms: number;
  /** Per open room: growth of V8's heap, of memory outside it (buffers), and of the process's resident set. */
  heapUsed: number;
  external: number;
  rss: number;
  /** Per bare Y.Doc holding the same report (heap + external): what Yjs alone needs for it. */
  bareDoc: number;
  encodedBytes: number;
  /** The document's structs (Yjs items and GC ranges), by kind of content. */
  structs: { total: number; text: number; deleted: number; types: number; other: number };
  textCharacters: number;
}

const [file, idList] = process.argv.slice(2);
if (!file || !idList) throw new Error('usage: memory-child.ts <database file> <report id,…>');
const collect = globalThis.gc;
if (!collect) throw new Error('memory-child.ts needs node --expose-gc');
const [warmUpId, ...reportIds] = idList.split(',');

const opened = await openDatabase(file);
const registry = new RoomRegistry(new ReportStore(opened), {
  compactAfterUpdates: COMPACT_AFTER_UPDATES,
  onError: (error, context) => console.error(context, error),
});
await registry.withRoom(warmUpId!, async () => undefined);

const settled = () => {
  // Twice: the first pass can leave objects that only a second finds unreachable (weak references, finalizers).
  collect();
  collect();
  return process.memoryUsage();
};
const before = settled();
const rooms = reportIds.map((id) => registry.acquire(id));
await Promise.all(rooms.map((room) => room.ready));
const after = settled();

const doc = rooms[0]!.document;
const encoded = Y.encodeStateAsUpdate(doc);
const bareDocs = rooms.map(() => new Y.Doc());
for (const bare of bareDocs) Y.applyUpdate(bare, encoded);
const withBareDocs = settled();
const result: MemoryResult = {
  rooms: rooms.length,
  heapUsed: (after.heapUsed - before.heapUsed) / rooms.length,
  external: (after.external - before.external) / rooms.length,
  rss: (after.rss - before.rss) / rooms.length,
  bareDoc: (withBareDocs.heapUsed + withBareDocs.external - after.heapUsed - after.external) / bareDocs.length,
  encodedBytes: encoded.byteLength,
  ...countStructs(doc),
};
for (const bare of bareDocs) bare.destroy();
await registry.closeAll();
await opened.close();
console.log(JSON.stringify(result));

function countStructs(doc: Y.Doc): Pick<MemoryResult, 'structs' | 'textCharacters'> {
  const structs = { total: 0, text: 0, deleted: 0, types: 0, other: 0 };
  let textCharacters = 0;
  for (const clientStructs of doc.store.clients.values()) {
    for (const struct of clientStructs) {
      structs.total++;
      if (!(struct instanceof Y.Item)) structs.other++;
      else if (struct.deleted) structs.deleted++;
      else if (struct.content instanceof Y.ContentString) {
        structs.text++;
        textCharacters += struct.length;
      } else if (struct.content instanceof Y.ContentType) structs.types++;
      else structs.other++;
    }
  }
  return { structs, textCharacters };
}
