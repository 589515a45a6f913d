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
    if (struct.length <= 0) return refuse('malformed', `struct ${describeId(struct.id)} is empty`);
    const known = Y.getState(store, struct.id.client);
    const isNew = struct.id.clock + struct.length > known;
    if (isNew) addsContent = true;
    if (!(struct instanceof Y.Item)) continue;
    // Yjs resolves the references of every struct, known or not, before it skips what it has:
    // one it cannot resolve holds that client's later structs back as pending, unseen by anyone.
    const refs: Array<[string, Y.ID | null]> = [
      ['item', struct.origin],
      ['item', struct.rightOrigin],
      ['parent', struct.parent instanceof Y.ID ? struct.parent : null],
    ];
    for (const [what, ref] of refs) {
      if (!ref) continue;
      // A struct can only build on what came before it: a client's later clocks do not exist yet when it integrates.
      if (ref.client === struct.id.client && ref.clock >= struct.id.clock) {
        return refuse('malformed', `item ${describeId(struct.id)} refers to ${describeId(ref)}, which comes after it`);
      }
      if (!isKnown(ref)) return refuse('missing-dependency', `item ${describeId(struct.id)} refers to unknown ${what} ${describeId(ref)}`);
    }
    if (!isNew) continue;
    const parent: unknown = struct.parent;
    if (typeof parent === 'string') {
      if (!ROOT_FIELDS.includes(parent)) return refuse('unknown-root', `item ${describeId(struct.id)} creates unknown root "${parent}"`);
    } else if (!(parent instanceof Y.ID) && struct.origin === null && struct.rightOrigin === null) {
      return refuse('malformed', `item ${describeId(struct.id)} has no parent and no neighbours`);
    }
    if (struct.id.clock < known) {
      if (!continuesWhereItLeftOff(doc, struct, known)) {
        return refuse('malformed', `item ${describeId(struct.id)} overlaps what the report holds but names a place other than where it continues`);
      }
      trimToNew(struct, known);
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
 * Whether the parent a struct names (directly, or through its neighbours) is the parent of the
 * client's last known item — where Yjs will link the struct's new part. If not, Yjs would link the
 * item into one list while counting it in another, and the guard would judge the wrong one.
 */
function continuesWhereItLeftOff(doc: Y.Doc, item: Y.Item, known: number): boolean {
  const typeOfItem = (id: Y.ID) => {
    if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
    const found = Y.getItem(doc.store, id) as Y.Item | Y.GC;
    return found instanceof Y.Item ? found : undefined;
  };
  const left = typeOfItem(Y.createID(item.id.client, known - 1));
  if (!left) return false;
  let named: unknown;
  if (typeof item.parent === 'string') named = doc.share.get(item.parent);
  else if (item.parent instanceof Y.ID) named = (typeOfItem(item.parent)?.content as { type?: unknown } | undefined)?.type;
  else named = typeOfItem((item.origin ?? item.rightOrigin)!)?.parent;
  return named !== undefined && named === left.parent && (item.parentSub ?? left.parentSub) === left.parentSub;
}

/**
 * Judges a struct that begins with clocks the report already holds as Yjs applies it: only its
 * new part, placed right after the client's last known item — whatever its declared origin or
 * parent say (a reconnecting client's merged keystrokes overlap what the server has like this).
 * The guard then resolves where the new part goes from the item Yjs will put it next to.
 */
function trimToNew(item: Y.Item, known: number): void {
  const offset = known - item.id.clock;
  item.content = item.content.splice(offset);
  item.length -= offset;
  item.id = Y.createID(item.id.client, known);
  item.origin = Y.createID(item.id.client, known - 1);
  item.parent = null;
  item.parentSub = null;
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
