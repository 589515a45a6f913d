/** What changed in a report, pushed to everyone who has it open so nobody has to reload. */
export type ReportEvent =
  | { type: 'sections'; sectionId: string | null; action: string }
  | { type: 'comments'; sectionId: string }
  /** Last year's figures or the roll-up's units changed: the rules' context. */
  | { type: 'annex' }
  /** A version was published, or its push to the external portal changed state. */
  | { type: 'publications' };

type Listener = (event: ReportEvent) => void;

/** In-process fan-out of report events (the seam where a multi-process deployment adds pub/sub). */
export class ReportEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(reportId: string, listener: Listener): () => void {
    let set = this.listeners.get(reportId);
    if (!set) this.listeners.set(reportId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(reportId);
    };
  }

  publish(reportId: string, event: ReportEvent): void {
    for (const listener of this.listeners.get(reportId) ?? []) listener(event);
  }
}
