import { useEffect, useRef } from 'react';

export type ReportEventMessage =
  | { type: 'sections'; sectionId: string | null; action: string }
  | { type: 'comments'; sectionId: string }
  | { type: 'annex' }
  | { type: 'publications' };

/**
 * The server's push of workflow changes (assignments, locks, review states, comments, the annex rules' context, publications), so every
 * open page shows them at once. EventSource reconnects by itself; `onReconnect` lets the page
 * catch up on what it missed meanwhile.
 */
export function useReportEvents(reportId: string, onEvent: (event: ReportEventMessage) => void, onReconnect: () => void): void {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };

  useEffect(() => {
    const source = new EventSource(`/api/reports/${encodeURIComponent(reportId)}/events`);
    let opened = false;
    const forward = (event: MessageEvent<string>) => handlers.current.onEvent(JSON.parse(event.data) as ReportEventMessage);
    source.addEventListener('sections', forward);
    source.addEventListener('comments', forward);
    source.addEventListener('annex', forward);
    source.addEventListener('publications', forward);
    // The login ended (logout, expiry): the collaboration socket says so to the page; reconnecting
    // the stream would only be refused.
    source.addEventListener('session-ended', () => source.close());
    source.addEventListener('ready', () => {
      if (opened) handlers.current.onReconnect();
      opened = true;
    });
    return () => source.close();
  }, [reportId]);
}
