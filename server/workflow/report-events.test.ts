import { describe, expect, it } from 'vitest';
import type { SessionEnd } from '../auth/session-end.js';
import { ReportEvents, type ReportEvent } from './report-events.js';

function stream(sessionId: string) {
  const delivered: ReportEvent[] = [];
  const ended: SessionEnd[] = [];
  return { sessionId, delivered, ended, deliver: (event: ReportEvent) => delivered.push(event), end: (why: SessionEnd) => ended.push(why) };
}

describe('report events', () => {
  it('deliver to the streams of the report only', () => {
    const events = new ReportEvents();
    const here = stream('s1');
    const elsewhere = stream('s1');
    events.subscribe('r1', here);
    events.subscribe('r2', elsewhere);
    events.publish('r1', { type: 'annex' });
    expect(here.delivered).toEqual([{ type: 'annex' }]);
    expect(elsewhere.delivered).toEqual([]);
  });

  it('keep delivering to a page opened after another left, however often the one that left unsubscribes', () => {
    // A reload: the old page's stream goes, the new one comes, and the old one's cleanup may run
    // again later (when its keep-alive notices the stream is gone) — it must not take the new one along.
    const events = new ReportEvents();
    const unsubscribeOld = events.subscribe('r1', stream('s1'));
    unsubscribeOld();
    const reloaded = stream('s1');
    events.subscribe('r1', reloaded);
    unsubscribeOld();
    const leaving = stream('s2');
    events.subscribe('r1', leaving)();
    events.publish('r1', { type: 'comments', sectionId: 'overview' });
    expect(reloaded.delivered).toEqual([{ type: 'comments', sectionId: 'overview' }]);
  });

  it('end every stream of a session, in every report, and no other; a stream that unsubscribed is not ended', () => {
    const events = new ReportEvents();
    const first = stream('s1');
    const second = stream('s1');
    const gone = stream('s1');
    const otherSession = stream('s2');
    events.subscribe('r1', first);
    events.subscribe('r2', second);
    events.subscribe('r1', gone)();
    events.subscribe('r1', otherSession);
    events.endSession('s1', 'logged-out');
    expect([first.ended, second.ended, gone.ended, otherSession.ended]).toEqual([['logged-out'], ['logged-out'], [], []]);
  });
});
