/** An entry of a section's audit log, as the review baseline reads it. */
export interface ReviewEvent {
  action: string;
  at: number;
  userName: string | null;
  detail: Record<string, unknown>;
}

/** The version a review compares against: what the department handed in, or what the lead office sent back. */
export interface ReviewBaseline {
  action: 'submit' | 'return';
  at: number;
  userName: string | null;
  /** The report's version then, when the log recorded it. */
  atSeq: number | null;
}

/**
 * What the lead office last looked at in review, so it sees what the department changed since:
 * after a return, the section as it was sent back (a resubmission is not a new starting point —
 * the changes made to answer the return are what is reviewed); otherwise the section as last
 * submitted. An approval closes a review: before any submission after it there is nothing to
 * compare.
 */
export function reviewBaseline(events: readonly ReviewEvent[]): ReviewBaseline | null {
  const lastApproval = events.findLastIndex((event) => event.action === 'approve');
  const open = events.slice(lastApproval + 1);
  const chosen = open.findLast((event) => event.action === 'return') ?? open.findLast((event) => event.action === 'submit');
  if (!chosen) return null;
  const atSeq = chosen.detail.atSeq;
  return { action: chosen.action as 'submit' | 'return', at: chosen.at, userName: chosen.userName, atSeq: typeof atSeq === 'number' ? atSeq : null };
}
