import type * as Y from 'yjs';
import type { ReportStore } from '../../server/collab/report-store.js';
import { readConfig } from '../../server/config.js';
import type { Edit } from './report-writer.js';

/** The server's default COMPACT_AFTER_UPDATES. */
export const COMPACT_AFTER_UPDATES = readConfig({}).compactAfterUpdates;

/**
 * The update log written the way a Room writes it (Room.commit, Room.compact): each update
 * appended under the next seq with the section it touched, and a snapshot of the document once
 * `compactAfterUpdates` updates have been logged since the last one. Append and compaction are
 * separate calls so a caller can time each.
 */
export class CompactingLog {
  constructor(
    private readonly store: ReportStore,
    private readonly reportId: string,
    private seq: number,
    private updatesSinceSnapshot: number,
    private readonly userId: number | null,
    private readonly compactAfterUpdates = COMPACT_AFTER_UPDATES,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  async append(edit: Edit): Promise<void> {
    await this.store.append(this.reportId, this.seq + 1, edit.update, this.userId, new Set([edit.sectionId]));
    this.seq++;
    this.updatesSinceSnapshot++;
  }

  get compactionDue(): boolean {
    return this.updatesSinceSnapshot >= this.compactAfterUpdates;
  }

  /** `doc` must hold every update appended so far, as the room's document does. */
  async compact(doc: Y.Doc): Promise<void> {
    await this.store.snapshot(this.reportId, this.seq, doc);
    this.updatesSinceSnapshot = 0;
  }
}
