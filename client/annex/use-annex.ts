import { useCallback, useEffect, useState } from 'react';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { api, type ReportAnnex } from '../api.js';
import type { CollabConnection } from '../collab/collab-session.js';
import { AnnexState, type AnnexRulesContext } from './annex-state.js';

/**
 * The live annex state of the open report: built on the connection's document once the report's
 * format and the rules' context (last year, units, who writes it) are known; `refresh` re-reads the context when
 * the server says it changed.
 */
export function useAnnex(reportId: string, connection: CollabConnection | null, onError: (message: string) => void) {
  const [info, setInfo] = useState<ReportAnnex | null>(null);
  const [state, setState] = useState<AnnexState | null>(null);

  const refresh = useCallback(() => {
    api.annex(reportId).then(setInfo, (error: Error) => onError(error.message));
  }, [reportId, onError]);

  useEffect(refresh, [refresh]);

  const format = info ? findFormat(info.format) : null;
  useEffect(() => {
    if (!connection || !format || !info) return;
    const created = new AnnexState(connection.doc, format, rulesContextOf(info));
    setState(created);
    return () => {
      created.destroy();
      setState(null);
    };
    // Only a new document or format rebuilds the state; a new context is applied to it below.
  }, [connection, format]);

  useEffect(() => {
    if (state && info) state.setContext(rulesContextOf(info));
  }, [state, info]);

  return { model: state, info, refresh };
}

const rulesContextOf = (info: ReportAnnex): AnnexRulesContext => ({ year: info.year, previous: info.previous, previousText: info.previousText, units: info.units, level: info.level });
