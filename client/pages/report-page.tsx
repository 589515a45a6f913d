import type { Editor } from '@tiptap/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { contentLimits } from '../../blocks/content-limits.js';
import { maySuggest, sectionEditRefusal } from '../../blocks/section/permissions.js';
import { SectionViewContext, type SectionMeta, type SectionViewContextValue } from '../../blocks/section/view.js';
import { AnnexViewContext, type AnnexViewContextValue } from '../../blocks/annex/view-context.js';
import { AnnexSettings } from '../annex/annex-settings.js';
import { FindingsPanel } from '../annex/findings-panel.js';
import { useAnnex } from '../annex/use-annex.js';
import { FindingsBadge } from '../annex/findings-badge.js';
import { api, writerOf, type CommentInfo, type Department, type Me, type ReportSummary, type ReviewChanges, type SectionInfo } from '../api.js';
import { refreshReviewMarks } from '../editor/review-marks.js';
import { CollabSession, type CollabConnection, type ConnectionStatus, type SessionNotice } from '../collab/collab-session.js';
import { useReportEvents } from '../collab/use-report-events.js';
import type { ReachableLimit } from '../editor/content-limits.js';
import { PresenceList } from '../editor/presence-list.js';
import { ReportEditor } from '../editor/report-editor.js';
import { localizeApiError, useI18n, type MessageKey } from '../i18n.js';
import { PublishPanel } from '../publish/publish-panel.js';
import { Dashboard } from '../workflow/dashboard.js';
import { SectionPanel } from '../workflow/section-panel.js';
import { useSuggestions } from '../workflow/suggestion-list.js';

const limitMessage: Record<ReachableLimit, MessageKey> = {
  maxDepth: 'limitDepth',
  maxTableColumns: 'limitTableColumns',
  maxSectionLength: 'limitSectionLength',
};

const noticeText: Record<SessionNotice['kind'], MessageKey> = {
  refused: 'refusedEdit',
  'session-ended': 'sessionEnded',
  'server-error': 'serverError',
  'rate-limited': 'rateLimited',
};

type View = 'editor' | 'dashboard';

export function ReportPage({ reportId, me, onSessionEnded }: { reportId: string; me: Me; onSessionEnded: () => void }) {
  const { t, language } = useI18n();
  const [sections, setSections] = useState<SectionInfo[]>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [comments, setComments] = useState<CommentInfo[]>([]);
  const [connection, setConnection] = useState<CollabConnection | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [notice, setNotice] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [view, setView] = useState<View>('editor');
  const [publicationsRevision, setPublicationsRevision] = useState(0);
  const [panelSectionId, setPanelSectionId] = useState<string | null>(null);
  const [showFindings, setShowFindings] = useState(false);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [revision, setRevision] = useState(0);
  const [report, setReport] = useState<ReportSummary | null>(null);
  const lastBlockedNotice = useRef(0);
  const translate = useRef(t);
  translate.current = t;

  // Which report is open, said where everyone looks: its title and year.
  useEffect(() => {
    api.reports().then((reports) => setReport(reports.find((r) => r.id === reportId) ?? null), () => undefined);
  }, [reportId]);

  const refreshSections = useCallback(() => {
    api.sections(reportId).then(setSections, (e: Error) => setLoadError(e.message));
    setRevision((r) => r + 1);
  }, [reportId]);
  const refreshComments = useCallback(() => {
    api.comments(reportId).then(setComments, (e: Error) => setNotice(e.message));
  }, [reportId]);

  useEffect(() => {
    refreshSections();
    refreshComments();
    api.departments(reportId).then(setDepartments, (e: Error) => setLoadError(e.message));
    const session = new CollabSession(reportId, {
      onConnection: setConnection,
      onStatus: setStatus,
      onNotice: (next) => {
        setNotice(`${translate.current(noticeText[next.kind])}${localizeApiError('close', next.reason)}`);
        if (next.kind === 'session-ended') onSessionEnded();
      },
    });
    return () => session.destroy();
  }, [reportId, onSessionEnded, refreshSections, refreshComments]);

  const annex = useAnnex(reportId, connection, setNotice);

  useReportEvents(
    reportId,
    (event) => {
      if (event.type === 'sections') refreshSections();
      else if (event.type === 'comments') refreshComments();
      else if (event.type === 'publications') setPublicationsRevision((revision) => revision + 1);
      else annex.refresh();
    },
    () => {
      refreshSections();
      refreshComments();
      annex.refresh();
      setPublicationsRevision((revision) => revision + 1);
    },
  );

  // An archived report is read by everyone and written by no one, the lead office included.
  const writer = useMemo(() => (report?.archived ? { ...writerOf(me), role: 'viewer' as const } : writerOf(me)), [me, report]);
  const editableIds = useMemo(
    () => new Set(sections.filter((s) => sectionEditRefusal(writer, { departmentId: s.department, locked: s.locked }) === null).map((s) => s.id)),
    [sections, writer],
  );

  // Tell the user when a section they could write in turns read-only under them; their undo
  // history goes with it (counted here, cleared by the editor).
  const previousEditable = useRef<Set<string> | null>(null);
  const [accessLost, setAccessLost] = useState(0);
  useEffect(() => {
    const before = previousEditable.current;
    previousEditable.current = editableIds;
    if (!before) return;
    const lost = sections.filter((s) => before.has(s.id) && !editableIds.has(s.id));
    if (lost.length > 0) {
      setAccessLost((count) => count + 1);
      setNotice(lost.map((s) => t(s.locked ? 'nowLocked' : 'nowReassigned').replace('{title}', s.title)).join(' '));
    }
  }, [editableIds, sections, t]);

  const canEdit = useCallback((sectionId: string) => editableIds.has(sectionId), [editableIds]);
  const canSuggest = useCallback(
    (sectionId: string) => {
      const section = sections.find((s) => s.id === sectionId);
      return maySuggest(writerOf(me), section ? { departmentId: section.department, locked: section.locked } : undefined);
    },
    [sections, me],
  );
  const suggestions = useSuggestions(connection?.doc ?? null);

  // The lead office reviewing sees, in the text itself, what changed in each submitted section since its review began.
  const reviewChanges = useRef(new Map<string, ReviewChanges['parts']>());
  const annexModel = useRef<typeof annex.model>(null);
  annexModel.current = annex.model;
  const reviewSource = useMemo(() => ({ changes: () => reviewChanges.current, tables: () => annexModel.current?.getSnapshot().tables ?? {} }), []);
  useEffect(() => {
    if (me.role !== 'lead') return;
    const submitted = sections.filter((s) => s.state === 'submitted');
    let current = true;
    Promise.all(submitted.map((s) => api.reviewChanges(reportId, s.id).then((changes) => [s.id, changes] as const))).then(
      (read) => {
        if (!current) return;
        reviewChanges.current = new Map(read.filter(([, changes]) => changes.changed).map(([id, changes]) => [id, changes.parts]));
        if (editor && !editor.isDestroyed) refreshReviewMarks(editor.view);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [me.role, reportId, sections, revision, editor]);
  const convertWordDraft = useCallback((sectionId: string, file: File) => api.wordDraft(reportId, sectionId, file), [reportId]);
  const onBlocked = useCallback(
    (sectionId: string | null) => {
      const now = Date.now();
      if (now - lastBlockedNotice.current < 3000) return;
      lastBlockedNotice.current = now;
      const title = sections.find((s) => s.id === sectionId)?.title ?? '';
      const readOnly = sectionId !== null && canSuggest(sectionId) ? 'sectionSuggestOnly' : 'sectionReadOnly';
      setNotice(sectionId === null ? t('structureBlocked') : t(readOnly).replace('{title}', title));
    },
    [sections, t, canSuggest],
  );

  const onLimit = useCallback(
    (limit: ReachableLimit) => {
      const now = Date.now();
      if (now - lastBlockedNotice.current < 3000) return;
      lastBlockedNotice.current = now;
      setNotice(t(limitMessage[limit]).replace('{limit}', contentLimits[limit].toLocaleString()));
    },
    [t],
  );

  const sectionContext = useMemo<SectionViewContextValue>(() => {
    const meta = new Map<string, SectionMeta>(
      sections.map((s) => [
        s.id,
        {
          departmentName: language === 'en' ? s.departmentNameEn : s.departmentName,
          color: s.color,
          state: s.state,
          locked: s.locked,
          deadline: s.deadline,
          editable: editableIds.has(s.id),
        },
      ]),
    );
    return {
      meta,
      labels: {
        states: { draft: t('stateDraft'), submitted: t('stateSubmitted'), approved: t('stateApproved'), returned: t('stateReturned') },
        unassigned: t('unassigned'),
        locked: t('locked'),
        readOnly: t('readOnly'),
        deadline: t('deadline'),
        sameAsLastYear: t('sameAsLastYear'),
      },
    };
  }, [sections, language, t, editableIds]);

  const annexContext = useMemo<AnnexViewContextValue | null>(
    () =>
      annex.model && {
        model: annex.model,
        language,
        labels: {
          notFilled: t('notFilled'),
          shouldBe: t('shouldBe'),
          fillTotals: t('fillTotals'),
          unknownTable: t('unknownTable'),
          pasteTooLarge: t('pasteTooLarge'),
          pasteRejected: t('pasteRejected'),
          cellProblems: t('cellProblems'),
        },
      },
    [annex.model, language, t],
  );

  const openSection = useCallback((sectionId: string) => {
    setPanelSectionId(sectionId);
    setView('editor');
    requestAnimationFrame(() => document.querySelector(`[data-section-id="${CSS.escape(sectionId)}"]`)?.scrollIntoView({ behavior: 'smooth' }));
  }, []);

  if (loadError) return <main className="report-page"><p role="alert" className="form-error">{loadError}</p></main>;
  const panelSection = sections.find((s) => s.id === panelSectionId) ?? null;
  const openComments = (sectionId: string) => comments.filter((c) => c.sectionId === sectionId && c.threadId === null && c.resolvedAt === null).length;

  return (
    <main className="report-page">
      <div className="report-toolbar">
        {report && (
          <h1 className="report-heading" data-testid="report-heading">
            {report.title} <span className="muted">{report.year}</span>
          </h1>
        )}
        <div role="tablist" className="tabs" aria-label={t('views')}>
          <button type="button" role="tab" aria-selected={view === 'editor'} onClick={() => setView('editor')}>{t('editorView')}</button>
          <button type="button" role="tab" aria-selected={view === 'dashboard'} data-testid="dashboard-tab" onClick={() => setView('dashboard')}>
            {me.role === 'lead' ? t('dashboard') : t('mySections')}
          </button>
        </div>
        <span className="draft-downloads">
          {t('draft')}
          <a href={`/api/reports/${encodeURIComponent(reportId)}/draft.docx`} download data-testid="draft-docx">DOCX</a>
          <a href={`/api/reports/${encodeURIComponent(reportId)}/draft.docx?revisions=1`} download data-testid="draft-docx-revisions" title={t('withRevisionsHint')}>{t('withRevisions')}</a>
          <a href={`/api/reports/${encodeURIComponent(reportId)}/draft.pdf`} download data-testid="draft-pdf">PDF</a>
          <button type="button" className="link-button" onClick={() => window.print()}>{t('print')}</button>
        </span>
        {annex.model && <FindingsBadge model={annex.model} pressed={showFindings} onToggle={() => setShowFindings((shown) => !shown)} />}
        <div className="report-status" data-status={status} role="status">{t(status)}</div>
      </div>
      {report?.archived && <p className="notice" data-testid="archived-notice">{t('archivedReadOnly')}</p>}
      {notice && (
        <div className="notice" role="alert" data-testid="notice">
          {notice}
          <button type="button" onClick={() => setNotice(null)} aria-label={t('close')}>×</button>
        </div>
      )}
      {view === 'dashboard' ? (
        <>
          <Dashboard reportId={reportId} me={me} sections={sections} departments={departments} onOpenSection={openSection} onError={setNotice} onNotice={setNotice} />
          <PublishPanel reportId={reportId} me={me} revision={publicationsRevision} onOpenSection={openSection} onError={setNotice} />
          {me.role === 'lead' && annex.info && <AnnexSettings reportId={reportId} annex={annex.info} sections={sections} onError={setNotice} />}
        </>
      ) : (
        <div className={`report-layout${panelSection || showFindings ? ' with-panel' : ''}`}>
          <nav className="outline" aria-label={t('outline')}>
            <h2>{t('outline')}</h2>
            <ol>
              {sections.map((s) => (
                <li key={s.id} className={`outline-level-${s.level}`}>
                  <a href={`#section-${s.id}`} onClick={(event) => {
                    event.preventDefault();
                    openSection(s.id);
                  }}>{s.title}</a>
                  <span className="outline-department" style={{ color: s.color ?? undefined }}>
                    {(language === 'en' ? s.departmentNameEn : s.departmentName) ?? t('unassigned')}
                    {openComments(s.id) > 0 && <span className="comment-count" title={t('comments')}> 💬{openComments(s.id)}</span>}
                  </span>
                </li>
              ))}
            </ol>
          </nav>
          <SectionViewContext.Provider value={sectionContext}>
            <AnnexViewContext.Provider value={annexContext}>
              {connection ? (
                <ReportEditor
                  key={connection.doc.clientID}
                  connection={connection}
                  me={me}
                  canEdit={canEdit}
                  accessLost={accessLost}
                  onBlocked={onBlocked}
                  onLimit={onLimit}
                  onEditor={setEditor}
                  annex={annex.model}
                  convertWordDraft={convertWordDraft}
                  onNotice={setNotice}
                  canSuggest={canSuggest}
                  review={me.role === 'lead' ? reviewSource : null}
                />
              ) : (
                <p className="muted editor-placeholder">{t('loading')}</p>
              )}
            </AnnexViewContext.Provider>
          </SectionViewContext.Provider>
          {showFindings && annex.model ? (
            <FindingsPanel model={annex.model} previousSource={annex.info?.previousSource ?? null} onClose={() => setShowFindings(false)} />
          ) : panelSection ? (
            <SectionPanel
              // Another section's panel starts afresh: its own first tab, its own review answer.
              key={panelSection.id}
              reportId={reportId}
              me={me}
              section={panelSection}
              comments={comments.filter((c) => c.sectionId === panelSection.id)}
              editor={editor}
              revision={revision}
              doc={connection?.doc ?? null}
              suggestions={suggestions.filter(({ entry }) => entry.sectionId === panelSection.id)}
              onClose={() => setPanelSectionId(null)}
              onError={setNotice}
            />
          ) : (
            connection && <PresenceList awareness={connection.provider.awareness} sections={sections} />
          )}
        </div>
      )}
    </main>
  );
}
