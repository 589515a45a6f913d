import * as Y from 'yjs';
import { ROOT_FIELDS } from '../../blocks/contract.js';

export type UpdateRefusalCode = 'malformed' | 'missing-dependency' | 'unknown-root';

export interface UpdateRefusal {
  code: UpdateRefusalCode;
  message: string;
}

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type UpdateInspection =
  | { ok: true; decoded: DecodedUpdate; addsContent: boolean }
  | { ok: false; refusal: UpdateRefusal };

const refuse = (code: UpdateRefusalCode, message: string): UpdateInspection => ({ ok: false, refusal: { code, message } });

const describeId = (id: Y.ID) => `${id.client}:${id.clock}`;

/**
 * Decides whether an incoming update can be integrated into `doc` completely, reading only the
 * update and the state vector entries it names — its cost grows with the update, not the report.
 *
 * Yjs keeps an update whose dependencies are missing as "pending" and silently waits; on a
 * server that would leave the document in a state no client sees, so such updates are refused.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return refuse('malformed', `not a Yjs update: ${error instanceof Error ? error.message : String(error)}`);
  }
  const store = doc.store;
  const knownEnd = new Map<number, number>();
  const stateOf = (client: number) => knownEnd.get(client) ?? Y.getState(store, client);

  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) {
      return refuse('missing-dependency', `update skips clocks of client ${struct.id.client} at ${struct.id.clock}`);
    }
    const { client, clock } = struct.id;
    const known = stateOf(client);
    if (clock > known) {
      return refuse('missing-dependency', `update starts client ${client} at clock ${clock}, the report has only ${known}`);
    }
    knownEnd.set(client, Math.max(known, clock + struct.length));
  }

  const isKnown = (id: Y.ID) => id.clock < stateOf(id.client);
  let addsContent = false;
  for (const struct of decoded.structs) {
    if (struct.id.clock + struct.length <= Y.getState(store, struct.id.client)) continue;
    addsContent = true;
    if (!(struct instanceof Y.Item)) continue;
    for (const ref of [struct.origin, struct.rightOrigin]) {
      if (ref && !isKnown(ref)) return refuse('missing-dependency', `item ${describeId(struct.id)} refers to unknown item ${describeId(ref)}`);
    }
    const parent: unknown = struct.parent;
    if (typeof parent === 'string') {
      if (!ROOT_FIELDS.includes(parent)) return refuse('unknown-root', `item ${describeId(struct.id)} creates unknown root "${parent}"`);
    } else if (parent instanceof Y.ID) {
      if (!isKnown(parent)) return refuse('missing-dependency', `item ${describeId(struct.id)} has unknown parent ${describeId(parent)}`);
    } else if (struct.origin === null && struct.rightOrigin === null) {
      return refuse('malformed', `item ${describeId(struct.id)} has no parent and no neighbours`);
    }
  }

  for (const [client, ranges] of decoded.ds.clients) {
    const end = stateOf(client);
    for (const range of ranges) {
      if (range.clock + range.len > end) {
        return refuse('missing-dependency', `update deletes ${client}:${range.clock}+${range.len}, beyond what the report holds`);
      }
    }
    if (!addsContent && ranges.some((range) => deletesSomethingLive(doc, client, range.clock, range.clock + range.len))) addsContent = true;
  }
  return { ok: true, decoded, addsContent };
}

/**
 * Whether a deleted range removes anything the report still shows. A reconnecting client
 * re-sends every deletion it knows; those already applied change nothing and are not logged.
 */
function deletesSomethingLive(doc: Y.Doc, client: number, from: number, to: number): boolean {
  const end = Math.min(to, Y.getState(doc.store, client));
  // Clocks beyond what the report holds belong to items of this very update.
  if (end < to) return true;
  for (let clock = from; clock < end; ) {
    const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC;
    if (!struct.deleted) return true;
    clock = struct.id.clock + struct.length;
  }
  return false;
}
