import * as Y from 'yjs';
import { runAtClock } from '../collab/clock-runs.js';

/** A run of items (one Yjs item) inside the section: which type holds it and at which index it starts. */
interface Run {
  clock: number;
  length: number;
  /** Child indexes from the section down to the type holding the run. */
  path: readonly number[];
  /** Index of the run's first unit in that type, counting only what is visible. */
  index: number;
  /** Deleted or not counted (formatting): every position in it resolves to `index`. */
  collapsed: boolean;
}

const typeKey = (id: Y.ID) => `${id.client}:${id.clock}`;

/**
 * Where everything in a section stands, recorded just before the section is replaced by a copy
 * of itself (Yjs cannot move a subtree: a section moves as a copy at the new place). Relative
 * positions name items of the old section; with these places, each can be re-created at the same
 * spot of the copy — so a comment stays on its text when the section moves.
 */
export class SectionPlaces {
  private constructor(
    private readonly runs: ReadonlyMap<number, readonly Run[]>,
    private readonly types: ReadonlyMap<string, readonly number[]>,
  ) {}

  static of(section: Y.XmlElement): SectionPlaces {
    const runs = new Map<number, Run[]>();
    const types = new Map<string, readonly number[]>();
    // Iterative: a section may be deep, and the walk must not depend on the stack.
    const pending: Array<{ type: Y.AbstractType<any>; path: readonly number[] }> = [{ type: section, path: [] }];
    while (pending.length > 0) {
      const { type, path } = pending.pop()!;
      if (type._item) types.set(typeKey(type._item.id), path);
      let index = 0;
      for (let item = type._start; item !== null; item = item.right) {
        const collapsed = item.deleted || !item.countable;
        let list = runs.get(item.id.client);
        if (!list) runs.set(item.id.client, (list = []));
        list.push({ clock: item.id.clock, length: item.length, path, index, collapsed });
        if (!item.deleted && item.content instanceof Y.ContentType) pending.push({ type: item.content.type, path: [...path, index] });
        if (!collapsed) index += item.length;
      }
    }
    for (const list of runs.values()) list.sort((a, b) => a.clock - b.clock);
    return new SectionPlaces(runs, types);
  }

  /** The same place in `copy` (made from the section as it was recorded), or null if `position` is not inside the section. */
  translate(position: Y.RelativePosition, copy: Y.XmlElement): Y.RelativePosition | null {
    let path: readonly number[] | undefined;
    let index: number | 'end';
    if (position.item) {
      const run = this.runAt(position.item);
      if (!run) return null;
      path = run.path;
      index = run.collapsed ? run.index : run.index + (position.item.clock - run.clock) + (position.assoc < 0 ? 1 : 0);
    } else if (position.type) {
      path = this.types.get(typeKey(position.type));
      index = 'end';
    } else {
      return null;
    }
    if (!path) return null;
    const target = descend(copy, path);
    if (!target) return null;
    const length = target.length;
    return Y.createRelativePositionFromTypeIndex(target, index === 'end' ? length : Math.min(index, length), position.assoc);
  }

  private runAt(id: Y.ID): Run | null {
    const list = this.runs.get(id.client);
    return list ? runAtClock(list, id.clock, (run) => run.clock, (run) => run.length) : null;
  }
}

function descend(section: Y.XmlElement, path: readonly number[]): Y.XmlElement | Y.XmlText | null {
  let current: Y.XmlElement | Y.XmlText = section;
  for (const index of path) {
    if (!(current instanceof Y.XmlElement)) return null;
    const child: unknown = current.get(index);
    if (!(child instanceof Y.XmlElement) && !(child instanceof Y.XmlText)) return null;
    current = child;
  }
  return current;
}
